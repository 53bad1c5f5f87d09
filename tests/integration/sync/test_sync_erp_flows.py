"""Partner orders, stock, shipments, order status and invoices against the real systems."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from shop_client import (
    move_stock_out,
    order_status,
    place_order,
    placed_at,
    quantity_of,
    rpc,
    sales_with_reference,
    ship_everything,
    stock_of,
)
from sync_servers import Server
from sync_support import MakeContext, oscar_system, store_order, tryton_system

from b2bbridge.core.model import Invoice, Order, Shipment, StockLevel
from b2bbridge.core.sync import FlowSpec
from b2bbridge.services.sync import run_flow

pytestmark = pytest.mark.integration


def test_an_850_stored_by_the_pipeline_becomes_a_tryton_sale_for_its_buyer(
    tryton: Server, make_context: MakeContext
) -> None:
    number = f"PO-{uuid.uuid4().hex[:8]}"
    order = Order(
        number=number,
        partner="ACME",
        order_date=date(2026, 11, 20),
        parties=[{"role": "buyer", "id": "ACME-HQ", "name": "Acme Corp"}],
        lines=[{"sku": "WIDGET-2", "quantity": "12", "unit_price": "4.10"}],
    )
    flow = FlowSpec(
        name="partner-orders", entity="order", source="pipeline", targets=["erp"], trigger="order"
    )
    ctx = make_context({"erp": tryton_system(tryton, "erp")}, [flow])
    store_order(ctx.uow, order)

    report = run_flow(ctx, flow.name)

    (sale,) = sales_with_reference(rpc(tryton.url, "erp"), number)
    assert (report.written, sale["party."]["code"], sale["state"]) == (1, "ACME-HQ", "processing")


def test_a_stock_change_in_the_wms_shows_in_oscars_stock_record_after_one_run(
    tryton: Server, oscar: Server, make_context: MakeContext
) -> None:
    wms = rpc(tryton.url, "wms")
    flow = FlowSpec(
        name="stock", entity="stock", source="wms", targets=["storefront"], schedule="*/5 * * * *"
    )
    ctx = make_context(
        {"wms": tryton_system(tryton, "wms"), "storefront": oscar_system(oscar)}, [flow]
    )
    run_flow(ctx, flow.name)
    move_stock_out(wms, "GADGET-1", 7)

    report = run_flow(ctx, flow.name)

    expected = quantity_of(wms, "GADGET-1")
    assert stock_of(oscar.url, "GADGET-1") == int(expected)
    assert [record for record in report.conflicts] == []
    assert report.written == 1


def test_the_stock_read_from_the_wms_is_a_valid_canonical_stock_level(tryton: Server) -> None:
    batch = tryton_system(tryton, "wms").read_changes("stock", None)

    levels = [StockLevel.model_validate(record.fields) for record in batch.records]

    assert {level.sku for level in levels} >= {"WIDGET-1", "WIDGET-2", "GADGET-1"}
    assert all(level.location == "WH" for level in levels)


def test_a_shipment_done_in_tryton_moves_the_oscar_order_to_shipped_and_reads_as_a_shipment(
    tryton: Server, oscar: Server, make_context: MakeContext
) -> None:
    number, _ = place_order(oscar.url, [("WIDGET-2", 2)])
    erp, storefront = tryton_system(tryton, "erp"), oscar_system(oscar)
    orders = FlowSpec(
        name="storefront-orders",
        entity="order",
        source="storefront",
        targets=["erp"],
        schedule="* * * * *",
        overlap_seconds=0,
    )
    status = FlowSpec(
        name="order-status",
        entity="order_status",
        source="erp",
        targets=["storefront"],
        schedule="* * * * *",
    )
    ctx = make_context({"erp": erp, "storefront": storefront}, [orders, status])
    run_flow(ctx, orders.name, since=placed_at(oscar.url, number))
    run_flow(ctx, status.name)
    confirmed = order_status(oscar.url, number)
    (sale,) = sales_with_reference(rpc(tryton.url, "erp"), f"WEB-{number}")
    ship_everything(rpc(tryton.url, "erp"), sale["shipments"])

    run_flow(ctx, status.name)

    assert (confirmed, order_status(oscar.url, number)) == ("Confirmed", "Shipped")
    shipments = [
        r
        for r in erp.read_changes("shipment", None).records
        if r.external_id == str(sale["shipments"][0])
    ]
    shipment = Shipment.model_validate(shipments[0].fields)
    assert shipment.orders[0].order_number == f"WEB-{number}"
    assert [(i.sku, i.quantity) for i in shipment.orders[0].packs[0].items] == [
        ("WIDGET-2", Decimal(2))
    ]


def test_a_posted_invoice_in_tryton_reads_as_a_canonical_invoice_for_its_order(
    tryton: Server, make_context: MakeContext
) -> None:
    number = f"PO-{uuid.uuid4().hex[:8]}"
    order = Order(
        number=number,
        parties=[{"role": "buyer", "id": "INV-CUST", "name": "Invoiced Ltd"}],
        lines=[{"sku": "WIDGET-1", "quantity": "4", "unit_price": "9.00"}],
    )
    flow = FlowSpec(
        name="partner-orders", entity="order", source="pipeline", targets=["erp"], trigger="order"
    )
    erp = tryton_system(tryton, "erp")
    ctx = make_context({"erp": erp}, [flow])
    store_order(ctx.uow, order)
    run_flow(ctx, flow.name)
    (sale,) = sales_with_reference(rpc(tryton.url, "erp"), number)
    rpc(tryton.url, "erp").model("account.invoice", "post", sale["invoices"])

    records = [
        r for r in erp.read_changes("invoice", None).records if r.fields["order_number"] == number
    ]

    invoice = Invoice.model_validate(records[0].fields)
    assert (invoice.totals.amount_due, invoice.lines[0].sku, invoice.lines[0].quantity) == (
        Decimal(36),
        "WIDGET-1",
        Decimal(4),
    )
