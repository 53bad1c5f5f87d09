"""Customers with field ownership and no echo; Tryton down, then dead letters and replay."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from shop_client import rpc, sales_with_reference, shop_users
from sync_servers import Server, start_tryton
from sync_support import MakeContext, Pauses, oscar_system, store_order, tryton_system

from b2bbridge.core.errors import B2BError
from b2bbridge.core.model import Order
from b2bbridge.core.sync import FlowSpec
from b2bbridge.ports import SyncRecord
from b2bbridge.services.sync import run_flow
from b2bbridge.services.sync_replay import replay_sync_dead_letter

pytestmark = pytest.mark.integration
OWNERS = {"name": "crm", "contacts": "crm", "payment_terms": "erp"}
CRM_TO_ERP = FlowSpec(
    name="crm-customers",
    entity="customer",
    source="crm",
    targets=["erp"],
    schedule="*/10 * * * *",
    ownership=OWNERS,
)
ERP_TO_CRM = FlowSpec(
    name="erp-customers",
    entity="customer",
    source="erp",
    targets=["crm"],
    schedule="*/10 * * * *",
    ownership=OWNERS,
)


def _contacts(url: str, database: str, code: str) -> list[dict[str, object]]:
    system_records = tryton_records(url, database)
    contacts = next(r.fields["contacts"] for r in system_records if r.key == code)
    assert isinstance(contacts, list)
    return contacts


def tryton_records(url: str, database: str) -> list[SyncRecord]:
    from b2bbridge.adapters.systems.tryton import build_tryton

    system = build_tryton(database, {"url": url, "database": database, "password": "admin"})
    try:
        return system.read_changes("customer", None).records
    finally:
        system.close()


def test_a_contact_added_in_the_crm_reaches_the_erp_and_a_storefront_login(
    tryton: Server, oscar: Server, make_context: MakeContext
) -> None:
    code = f"CUST-{uuid.uuid4().hex[:8]}"
    crm, erp = tryton_system(tryton, "crm"), tryton_system(tryton, "erp")
    email = f"ann-{code.lower()}@example.com"
    contact = {"name": "Ann Buyer", "email": email, "phone": "+32 475 12 34 56"}
    fields: dict[str, object] = {"account_number": code, "name": "Crm Co", "contacts": [contact]}
    crm.upsert("customer", [SyncRecord("customer", code, fields)])
    everywhere = CRM_TO_ERP.model_copy(update={"targets": ["erp", "storefront"]})
    ctx = make_context({"crm": crm, "erp": erp, "storefront": oscar_system(oscar)}, [everywhere])

    run_flow(ctx, everywhere.name)
    again = run_flow(ctx, everywhere.name)

    assert _contacts(tryton.url, "erp", code) == [contact]
    assert [(u["first_name"], u["last_name"]) for u in shop_users(oscar.url, email)] == [
        ("Ann", "Buyer")
    ]
    assert again.written == 0


def test_an_erp_edit_to_a_crm_owned_field_is_a_conflict_and_three_rounds_write_nothing(
    tryton: Server, make_context: MakeContext
) -> None:
    code = f"CUST-{uuid.uuid4().hex[:8]}"
    crm, erp = tryton_system(tryton, "crm"), tryton_system(tryton, "erp")
    original = {"name": "Bob", "email": f"bob-{code.lower()}@example.com", "phone": None}
    crm.upsert(
        "customer",
        [
            SyncRecord(
                "customer",
                code,
                {"account_number": code, "name": "Loop Co", "contacts": [original]},
            )
        ],
    )
    written = next(r.stamp for r in crm.read_changes("customer", None).records if r.key == code)
    there = CRM_TO_ERP.model_copy(update={"overlap_seconds": 0})
    back = ERP_TO_CRM.model_copy(update={"overlap_seconds": 0})
    ctx = make_context({"crm": crm, "erp": erp}, [there, back])
    run_flow(ctx, there.name, since=written)
    echo = run_flow(ctx, back.name, since=written)
    edited = {"name": "Bob", "email": "someone-else@example.com", "phone": None}
    erp.upsert(
        "customer", [SyncRecord("customer", code, {"account_number": code, "contacts": [edited]})]
    )

    pushed_back = run_flow(ctx, back.name)
    rounds = [run_flow(ctx, flow.name).written for _ in range(3) for flow in (there, back)]

    assert echo.written == 0
    assert [(c.key, c.field, c.reason) for c in pushed_back.conflicts] == [
        (code, "contacts", "owned_by_crm")
    ]
    assert pushed_back.written == 0
    assert _contacts(tryton.url, "crm", code) == [original]
    assert rounds == [0, 0, 0, 0, 0, 0]


@pytest.fixture
def lone_tryton(tmp_path: Path) -> Iterator[Server]:
    """A Tryton of its own, so that stopping it does not disturb the other tests."""
    server = start_tryton(tmp_path, ["erp"])
    yield server
    server.stop()


def test_with_tryton_stopped_the_flow_retries_then_dead_letters_and_a_replay_creates_the_sale_once(
    lone_tryton: Server, make_context: MakeContext
) -> None:
    number = f"PO-{uuid.uuid4().hex[:8]}"
    order = Order(
        number=number,
        parties=[{"role": "buyer", "id": "DOWN-1", "name": "Down Time"}],
        lines=[{"sku": "WIDGET-1", "quantity": "1"}],
    )
    flow = FlowSpec(
        name="partner-orders", entity="order", source="pipeline", targets=["erp"], trigger="order"
    )
    pauses = Pauses()
    ctx = make_context({"erp": tryton_system(lone_tryton, "erp")}, [flow], pauses)
    store_order(ctx.uow, order)
    lone_tryton.stop()

    report = run_flow(ctx, flow.name)
    with ctx.uow() as uow:
        letter = uow.dead_letters.get(report.dead_letters[0])
    lone_tryton.start_again("tryton")
    replayed = replay_sync_dead_letter(ctx, letter.id)

    assert (report.failed, report.written, pauses.delays) == (1, 0, [0.25, 0.5])
    assert (letter.code, letter.attempts, letter.location["file"]) == (
        "system_unavailable",
        3,
        f"erp:order/{number}",
    )
    assert replayed.ok
    assert len(sales_with_reference(rpc(lone_tryton.url, "erp"), number)) == 1
    with pytest.raises(B2BError, match="not open"):
        replay_sync_dead_letter(ctx, letter.id)
