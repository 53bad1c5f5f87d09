"""Intake for pushed payloads (the HTTP API) and for large polled batches, plus message status.

:func:`receive_order` stores a canonical JSON order the way the EDI pipeline stores a
mapped transaction, but in one unit of work with its raw payload: when it returns, the
bytes, the message row and the canonical document are all committed, which is what lets
the API answer 202 only once the order is durable. :func:`receive_orders` does the same
for many orders in one commit, for the API's group-commit writer. A second order with
the same natural key (number and date) from the same partner is kept as a message but
not as a second document.

:func:`receive_in_batches` is :func:`~b2bbridge.services.run.run_once` for inboxes of any
size: it polls, stores and processes ``batch`` files at a time and confirms each batch
before taking the next, so memory holds one batch of payloads, not the whole inbox.

:func:`message_lineage` answers "what became of message N": its status, envelopes,
transactions, documents, acks sent and events.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

import structlog

from b2bbridge.core.errors import MappingError
from b2bbridge.core.mapping.payload import map_payload
from b2bbridge.core.model.order import Order
from b2bbridge.ports import (
    Connector,
    InboundFile,
    InterchangeRecord,
    JsonObject,
    MessageRecord,
    StreamingConnector,
    TransactionRecord,
    UnitOfWork,
)
from b2bbridge.services.chunks import chunked
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.receive import Received, receive_payload
from b2bbridge.services.results import MessageResult
from b2bbridge.services.run import SummaryRow, run_once
from b2bbridge.services.sync_work import enqueue_after_store

log = structlog.get_logger("b2bbridge.intake")


@dataclass(frozen=True, slots=True)
class OrderIntake:
    """One stored request: its message, and a document per order (new or already known)."""

    message_id: int
    document_ids: tuple[int, ...]
    new_documents: int

    @property
    def status(self) -> str:
        return "stored" if self.new_documents else "duplicate"


def payload_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class OrderSubmission:
    """One canonical order pushed by a partner, with the exact bytes it arrived as."""

    connector: str
    partner: str
    data: bytes
    orders: tuple[Order, ...]


def receive_order(
    ctx: ServiceContext, *, connector: str, partner: str, data: bytes, order: Order
) -> OrderIntake:
    """Store the raw JSON and its canonical order in one commit."""
    return receive_orders(ctx, [OrderSubmission(connector, partner, data, (order,))])[0]


def receive_orders(
    ctx: ServiceContext, submissions: Sequence[OrderSubmission]
) -> list[OrderIntake]:
    """Store several orders in one commit (group commit): all of them, or none.

    One fsync for many orders is what lets a single SQLite file keep up with an HTTP
    API; the caller answers each request only after this returns.
    """
    with ctx.uow() as uow:
        results = [_store_order(uow, s) for s in submissions]
        uow.commit()
    for s, r in zip(submissions, results, strict=True):
        log.info(
            "order_received",
            message_id=r.message_id,
            partner=s.partner,
            orders=[o.number for o in s.orders],
            new_documents=r.new_documents,
        )
        if r.new_documents:  # a stored order starts the flows it triggers, as in the pipeline
            stored = MessageResult(r.message_id, partner=s.partner, documents=r.new_documents)
            enqueue_after_store(ctx, stored)
    return results


def _store_order(uow: UnitOfWork, s: OrderSubmission) -> OrderIntake:
    uow.payloads.put(s.data)
    message_id = uow.messages.add(
        direction="in",
        partner=s.partner,
        connector=s.connector,
        filename=None,
        payload_sha256=payload_digest(s.data),
        size=len(s.data),
        correlation_id=uuid.uuid4().hex,
        syntax="json",
    )
    added = [
        uow.documents.add(
            transaction_id=None,
            message_id=message_id,
            partner=s.partner,
            doc_type=order.document_type,
            doc_number=order.number,
            doc_date=order.order_date,
            schema_version=order.schema_version,
            body=order.model_dump_json(),
        )
        for order in s.orders
    ]
    result = OrderIntake(message_id, tuple(d for d, _ in added), sum(new for _, new in added))
    uow.messages.set_status(
        message_id, result.status, component="api", detail={"documents": list(result.document_ids)}
    )
    return result


def map_partner_orders(ctx: ServiceContext, *, partner: str, data: bytes) -> list[Order]:
    """A partner's own JSON, read through the mapping its profile names for ``json/order``.

    Raises :class:`MappingError` (naming the rule and JSON path) or ``PayloadError`` for
    JSON that cannot be read; a partner without such a mapping is a ``MappingError`` too.
    """
    profile = ctx.partners.find(partner)
    name = profile.mapping_for("json", "order") if profile else None
    if name is None:
        raise MappingError(
            f"partner {partner!r} has no json/order mapping in its profile; send a canonical "
            "order as application/json instead",
            code="mapping_missing",
        )
    documents = map_payload(data, format="json", spec=ctx.mappings.get(name), partner=partner)
    return [d for d in documents if isinstance(d, Order)]


class _Batch:
    """A view of one connector that polls only the files of the current chunk."""

    def __init__(self, connector: Connector, items: list[InboundFile]) -> None:
        self.name = connector.name
        self.partner = connector.partner
        self._connector = connector
        self._items = items

    def poll(self) -> Iterator[InboundFile]:
        return iter(self._items)

    def fetch(self, item: InboundFile) -> bytes:
        return self._connector.fetch(item)

    def open(self, item: InboundFile) -> BinaryIO:
        """The wrapped connector's stream, or its fetched bytes as one."""
        if isinstance(self._connector, StreamingConnector):
            return self._connector.open(item)
        return io.BytesIO(self._connector.fetch(item))

    def confirm(self, item: InboundFile, *, ok: bool) -> str | None:
        return self._connector.confirm(item, ok=ok)

    def send(self, name: str, data: bytes) -> str:
        return self._connector.send(name, data)

    def close(self) -> None:
        """The wrapped connector is closed by its owner."""


def receive_in_batches(
    ctx: ServiceContext,
    connectors: Sequence[Connector],
    *,
    batch: int = 200,
    progress: Callable[[int, SummaryRow], None] | None = None,
) -> dict[str, int]:
    """Receive, process and confirm everything ready, ``batch`` files at a time.

    Returns the count of files per final status; ``progress`` is called after each file
    with the running total, so a command can draw a progress display.
    """
    counts: dict[str, int] = {}
    done = 0
    for connector in connectors:
        for chunk in chunked(connector.poll(), batch):
            for row in run_once(ctx, [_Batch(connector, chunk)]):
                done += 1
                counts[row.status] = counts.get(row.status, 0) + 1
                if progress is not None:
                    progress(done, row)
    return counts


def receive_pushed(
    ctx: ServiceContext, *, connector: str, partner: str, filename: str | None, data: bytes
) -> Received:
    """Store and queue a raw document pushed to us (EDI, XML, CSV)."""
    return receive_payload(ctx, connector=connector, partner=partner, filename=filename, data=data)


def message_lineage(ctx: ServiceContext, message_id: int) -> JsonObject:
    """Status, envelopes, transactions, documents, acks and events of one message."""
    with ctx.uow() as uow:
        msg = uow.messages.get(message_id)
        interchanges = [
            _interchange_view(i, uow.transactions.for_interchange(i.id))
            for i in uow.interchanges.for_message(message_id)
        ]
        documents = uow.documents.for_message(message_id)
        outbound = uow.outbound.for_message(message_id)
        events = uow.events.for_message(message_id)
        dead = uow.dead_letters.for_message(message_id)
    return {
        **_message_view(msg),
        "interchanges": interchanges,
        "documents": [
            {
                "id": d.id,
                "type": d.doc_type,
                "number": d.doc_number,
                "transaction_id": d.transaction_id,
            }
            for d in documents
        ],
        "acks": [
            {
                "id": o.id,
                "kind": o.kind,
                "control_number": o.interchange_control_number,
                "status": o.status,
                "destination": o.destination,
            }
            for o in outbound
        ],
        "dead_letters": [{"id": d.id, "code": d.code, "reason": d.reason} for d in dead],
        "events": [
            {
                "state": e.state,
                "component": e.component,
                "code": e.code,
                "at": e.created_at.isoformat(),
            }
            for e in events
        ],
    }


def _message_view(msg: MessageRecord) -> JsonObject:
    return {
        "id": msg.id,
        "partner": msg.partner,
        "connector": msg.connector,
        "filename": msg.filename,
        "status": msg.status,
        "syntax": msg.syntax,
        "size": msg.size,
        "sha256": msg.payload_sha256,
        "correlation_id": msg.correlation_id,
        "received_at": msg.created_at.isoformat(),
        "updated_at": msg.updated_at.isoformat(),
    }


def _interchange_view(i: InterchangeRecord, transactions: list[TransactionRecord]) -> JsonObject:
    return {
        "id": i.id,
        "syntax": i.syntax,
        "control_number": i.control_number,
        "sender": i.sender,
        "receiver": i.receiver,
        "status": i.status,
        "transactions": [
            {"id": t.id, "type": t.type, "control_number": t.control_number, "status": t.status}
            for t in transactions
        ],
    }
