"""An 850 received by the real pipeline becomes a Tryton sale, and its confirmation an 855."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import pytest
from e2e_support import make_deployment
from shop_client import rpc, sale_lines, sales_with_reference
from sync_servers import Server
from sync_support import SentFiles, partner_850, tryton_system

from b2bbridge.adapters.clock import SystemClock
from b2bbridge.adapters.files.profiles import load_partners
from b2bbridge.adapters.store import make_engine, sync_state_factory, unit_of_work_factory
from b2bbridge.bootstrap_sync import outbound_maps
from b2bbridge.core.sync import FlowSpec
from b2bbridge.services.sync import run_flow
from b2bbridge.services.sync_context import SyncContext
from b2bbridge.services.sync_partner import PartnerOutbox
from b2bbridge.services.sync_pipeline import PipelineDocuments

pytestmark = pytest.mark.integration


def test_an_850_through_the_pipeline_becomes_a_sale_whose_confirmation_is_sent_as_an_855(
    tryton: Server, tmp_path: Path
) -> None:
    number = f"45{random.randrange(10**8):08d}"
    dep = make_deployment(tmp_path)
    edi = tmp_path / f"acme_850_{uuid.uuid4().hex[:6]}.x12"
    edi.write_text(partner_850(number, f"{random.randrange(10**9):09d}"))
    dep.drop(edi)
    received = dep.cli("run", "--once")
    assert received.returncode == 0, received.stderr

    engine = make_engine(f"sqlite:///{tmp_path / 'var' / 'b2bbridge.db'}")
    clock = SystemClock()
    uow = unit_of_work_factory(engine, clock)
    outbox = SentFiles()
    profile = load_partners(tmp_path / "connectors").get("acme")
    acme = PartnerOutbox(
        "acme",
        profile=profile,
        load_map=outbound_maps(tmp_path / "mappings"),
        uow=uow,
        outbox=outbox,
        clock=clock,
    )
    orders = FlowSpec(
        name="partner-orders", entity="order", source="pipeline", targets=["erp"], trigger="order"
    )
    acks = FlowSpec(
        name="acme-acks",
        entity="order_status",
        source="erp",
        targets=["acme"],
        schedule="*/5 * * * *",
        fields=["number", "state", "sale_date"],
    )
    erp = tryton_system(tryton, "erp")
    ctx = SyncContext(
        {"pipeline": PipelineDocuments(uow), "erp": erp, "acme": acme},
        {f.name: f for f in (orders, acks)},
        sync_state_factory(engine, clock),
        uow,
        clock,
    )

    run_flow(ctx, orders.name)
    run_flow(ctx, acks.name)

    client = rpc(tryton.url, "erp")
    (sale,) = sales_with_reference(client, number)
    assert sale["party."]["code"] == "ACME-AP"
    assert [(sku, qty) for sku, qty, _ in sale_lines(client, sale["lines"])] == [
        ("GADGET-1", 2.0),
        ("WIDGET-1", 7.0),
    ]
    (ack,) = [text for text in outbox.sent.values() if f"*{number}*" in text]
    assert "ST*855*" in ack
    assert f"BAK*00*AD*{number}*20261122*" in ack
    erp.close()
    engine.dispose()
