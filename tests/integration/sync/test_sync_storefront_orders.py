"""Storefront orders placed through Oscar's API become Tryton sales, once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from shop_client import place_order, placed_at, rpc, sale_lines, sales_with_reference
from sync_servers import Server
from sync_support import MakeContext, oscar_system, tryton_system

from b2bbridge.core.sync import FlowSpec
from b2bbridge.ports import ChangeBatch, SyncRecord
from b2bbridge.services.sync import run_flow

pytestmark = pytest.mark.integration
FLOW = FlowSpec(
    name="storefront-orders",
    entity="order",
    source="storefront",
    targets=["erp"],
    schedule="* * * * *",
)


def test_an_oscar_order_becomes_one_tryton_sale_with_its_customer_lines_and_prices(
    tryton: Server, oscar: Server, make_context: MakeContext
) -> None:
    number, email = place_order(oscar.url, [("WIDGET-1", 3), ("GADGET-1", 1)])
    ctx = make_context(
        {"storefront": oscar_system(oscar), "erp": tryton_system(tryton, "erp")}, [FLOW]
    )

    run_flow(ctx, FLOW.name)

    client = rpc(tryton.url, "erp")
    (sale,) = sales_with_reference(client, f"WEB-{number}")
    assert sale["party."]["code"] == email
    assert sale["state"] == "processing"
    lines = sale_lines(client, sale["lines"])
    assert lines == [("GADGET-1", 1.0, Decimal("25.00")), ("WIDGET-1", 3.0, Decimal("10.00"))]


def test_running_the_orders_flow_twice_still_gives_one_sale(
    tryton: Server, oscar: Server, make_context: MakeContext
) -> None:
    number, _ = place_order(oscar.url, [("WIDGET-2", 2)])
    ctx = make_context(
        {"storefront": oscar_system(oscar), "erp": tryton_system(tryton, "erp")}, [FLOW]
    )

    first = run_flow(ctx, FLOW.name)
    second = run_flow(ctx, FLOW.name)

    assert len(sales_with_reference(rpc(tryton.url, "erp"), f"WEB-{number}")) == 1
    assert first.written >= 1
    assert second.written == 0


class CrashAfterUpsert:
    """An ERP whose process 'dies' right after Tryton committed the Nth batch."""

    def __init__(self, inner: object, crash_on_call: int) -> None:
        self.inner = inner
        self.name = "erp"
        self.calls = 0
        self.crash_on_call = crash_on_call

    def read_changes(self, entity: str, since: object) -> ChangeBatch:
        raise AssertionError("not a source")

    def upsert(self, entity: str, records: list[SyncRecord]) -> list[str]:
        self.calls += 1
        ids = self.inner.upsert(entity, records)  # type: ignore[attr-defined]
        if self.calls == self.crash_on_call:
            raise SystemExit("simulated crash after the ERP committed")
        return list(ids)

    def close(self) -> None:
        self.inner.close()  # type: ignore[attr-defined]


def test_a_run_killed_mid_batch_resumes_without_creating_a_duplicate(
    tryton: Server, oscar: Server, make_context: MakeContext
) -> None:
    numbers = [place_order(oscar.url, [("WIDGET-1", 1)])[0] for _ in range(3)]
    start = placed_at(oscar.url, numbers[0])
    flow = FLOW.model_copy(update={"batch_size": 1, "overlap_seconds": 0})
    crashing = CrashAfterUpsert(tryton_system(tryton, "erp"), crash_on_call=2)
    ctx = make_context({"storefront": oscar_system(oscar), "erp": crashing}, [flow])
    with pytest.raises(SystemExit):
        run_flow(ctx, flow.name, since=start)
    created_before_crash = [
        len(sales_with_reference(rpc(tryton.url, "erp"), f"WEB-{n}")) for n in numbers
    ]

    resumed = make_context(
        {"storefront": oscar_system(oscar), "erp": tryton_system(tryton, "erp")}, [flow]
    )
    run_flow(resumed, flow.name)

    client = rpc(tryton.url, "erp")
    assert created_before_crash == [1, 1, 0]
    assert [len(sales_with_reference(client, f"WEB-{n}")) for n in numbers] == [1, 1, 1]
