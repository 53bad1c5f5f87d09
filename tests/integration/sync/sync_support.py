"""Helpers the sync integration tests share: building adapters for the test servers.

Kept out of ``conftest.py`` so that tests import them by a name no other test folder uses.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from sync_servers import Server

from b2bbridge.adapters.files.profiles import load_partners
from b2bbridge.adapters.systems.oscar import OscarSystem, build_oscar
from b2bbridge.adapters.systems.tryton import TrytonSystem, build_tryton
from b2bbridge.bootstrap_sync import outbound_maps
from b2bbridge.core.model import Order
from b2bbridge.ports import InboundFile, UnitOfWorkFactory
from b2bbridge.services.sync_context import SyncContext
from b2bbridge.services.sync_partner import PartnerOutbox


def b2bbridge_command(config: Path, *args: str) -> list[str]:
    """The command line of ``b2bbridge --config CONFIG ARGS...`` in this interpreter."""
    return [sys.executable, "-m", "b2bbridge", "--config", str(config), *args]


def partner_850(number: str, icn: str) -> str:
    """An ACME 850 for WIDGET-1 x 7 and GADGET-1 x 2, billed to party ACME-AP."""
    segments = [
        "ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*B2BBRIDGE      "
        f"*261122*0930*U*00401*{icn}*0*P*>",
        f"GS*PO*ACMEBUYER*B2BBRIDGE*20261122*0930*{int(icn)}*X*004010",
        "ST*850*0001",
        f"BEG*00*SA*{number}**20261122",
        "N1*BT*ACME CORP ACCOUNTS PAYABLE*92*ACME-AP",
        "N3*PO BOX 4455",
        "N4*CHICAGO*IL*60601*US",
        "PO1*1*7*EA*9.75**VN*WIDGET-1",
        "PO1*2*2*EA*24.00**VN*GADGET-1",
        "CTT*2*9",
        "SE*9*0001",
        f"GE*1*{int(icn)}",
        f"IEA*1*{icn}",
    ]
    return "~\n".join(segments) + "~\n"


def tryton_system(server: Server, database: str, name: str | None = None) -> TrytonSystem:
    settings = {"url": server.url, "database": database, "user": "admin", "password": "admin"}
    return build_tryton(name or database, settings)


def oscar_system(server: Server) -> OscarSystem:
    settings = {
        "url": server.url,
        "user": "admin",
        "password": "admin",
        "email": "admin@example.com",
    }
    return build_oscar("storefront", settings)


class Pauses:
    """Records the back-off delays a run asked for, without waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


MakeContext = Callable[..., SyncContext]


def store_order(uow_factory: UnitOfWorkFactory, order: Order, partner: str = "ACME") -> None:
    """Store a canonical order the way the pipeline does: a message, then its document."""
    body = order.model_dump_json()
    with uow_factory() as uow:
        sha = uow.payloads.put(b"ISA*...~")
        message = uow.messages.add(
            direction="in",
            partner=partner,
            connector="folder:inbox",
            filename="850.edi",
            payload_sha256=sha,
            size=8,
            correlation_id=uuid.uuid4().hex,
            syntax="x12",
        )
        uow.documents.add(
            transaction_id=None,
            message_id=message,
            partner=partner,
            doc_type="order",
            doc_number=order.number,
            doc_date=order.order_date,
            schema_version="1",
            body=body,
        )
        uow.commit()


class SentFiles:
    """An outbox connector that keeps what it was asked to send."""

    name = "acme-outbox"
    partner: str | None = "acme"

    def __init__(self) -> None:
        self.sent: dict[str, str] = {}

    def send(self, name: str, data: bytes) -> str:
        self.sent[name] = data.decode("utf-8")
        return f"memory:{name}"

    def poll(self) -> Iterator[InboundFile]:
        return iter(())

    def fetch(self, item: InboundFile) -> bytes:
        raise LookupError(item.ref)

    def confirm(self, item: InboundFile, *, ok: bool) -> str | None:
        return None

    def close(self) -> None:
        """Nothing to release."""


def with_acme_outbox(base: SyncContext, outbox: SentFiles) -> SyncContext:
    """``base`` plus the partner ACME as a sync target, rendering into ``outbox``."""
    repo = Path(__file__).resolve().parents[3]
    acme = PartnerOutbox(
        "acme",
        profile=load_partners(repo / "connectors").get("acme"),
        load_map=outbound_maps(repo / "mappings"),
        uow=base.uow,
        outbox=outbox,
        clock=base.clock,
    )
    systems = {**base.systems, "acme": acme}
    return SyncContext(
        systems, base.flows, base.state, base.uow, base.clock, base.retry, base.pause
    )
