"""ERP and WMS changes reach a trading partner as 855, 846, 856 and 810 interchanges."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from shop_client import rpc, sales_with_reference, ship_everything
from sync_servers import Server
from sync_support import MakeContext, SentFiles, store_order, tryton_system, with_acme_outbox

from b2bbridge.core.model import Order
from b2bbridge.core.sync import FlowSpec
from b2bbridge.services.sync import run_flow
from b2bbridge.services.sync_context import SyncContext

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[3]


def with_partner(
    make_context: MakeContext, tryton: Server, flows: list[FlowSpec]
) -> tuple[SyncContext, SentFiles]:
    outbox = SentFiles()
    base = make_context(
        {"erp": tryton_system(tryton, "erp"), "wms": tryton_system(tryton, "wms")}, flows
    )
    return with_acme_outbox(base, outbox), outbox


PARTNER_ORDERS = FlowSpec(
    name="partner-orders", entity="order", source="pipeline", targets=["erp"], trigger="order"
)


def _acme_order(ctx: SyncContext, tryton: Server) -> tuple[str, dict[str, Any]]:
    number = f"PO-{uuid.uuid4().hex[:8]}"
    order = Order(
        number=number,
        partner="acme",
        parties=[{"role": "buyer", "id": "ACME-HQ", "name": "Acme"}],
        lines=[{"sku": "WIDGET-1", "quantity": "5", "unit_price": "9.00"}],
    )
    store_order(ctx.uow, order, partner="acme")
    run_flow(ctx, PARTNER_ORDERS.name)
    (sale,) = sales_with_reference(rpc(tryton.url, "erp"), number)
    return number, sale


def test_a_confirmed_sale_goes_back_to_the_partner_as_one_855(
    tryton: Server, make_context: MakeContext
) -> None:
    acks = FlowSpec(
        name="acme-acks",
        entity="order_status",
        source="erp",
        targets=["acme"],
        schedule="*/5 * * * *",
        fields=["number", "state", "sale_date"],
    )
    ctx, outbox = with_partner(make_context, tryton, [PARTNER_ORDERS, acks])
    number, _ = _acme_order(ctx, tryton)

    run_flow(ctx, acks.name)
    again = run_flow(ctx, acks.name)

    texts = [text for text in outbox.sent.values() if f"*{number}*" in text]
    assert len(texts) == 1
    assert "ST*855*" in texts[0]
    assert f"BAK*00*AD*{number}*" in texts[0]
    assert again.written == 0


def test_a_shipment_done_in_tryton_goes_to_the_partner_as_an_856_with_tracking_and_items(
    tryton: Server, make_context: MakeContext
) -> None:
    ships = FlowSpec(
        name="acme-asn", entity="shipment", source="erp", targets=["acme"], schedule="*/5 * * * *"
    )
    ctx, outbox = with_partner(make_context, tryton, [PARTNER_ORDERS, ships])
    number, sale = _acme_order(ctx, tryton)
    erp = rpc(tryton.url, "erp")
    erp.model("stock.shipment.out", "write", sale["shipments"], {"reference": "1Z999AA10123456784"})
    ship_everything(erp, sale["shipments"])

    run_flow(ctx, ships.name)

    (text,) = [t for t in outbox.sent.values() if f"PRF*{number}" in t]
    assert "ST*856*" in text
    assert "REF*CN*1Z999AA10123456784" in text
    assert "SN1**5*EA" in text


def test_a_posted_invoice_goes_to_the_partner_as_an_810(
    tryton: Server, make_context: MakeContext
) -> None:
    invoices = FlowSpec(
        name="acme-invoices", entity="invoice", source="erp", targets=["acme"], schedule="0 * * * *"
    )
    ctx, outbox = with_partner(make_context, tryton, [PARTNER_ORDERS, invoices])
    number, sale = _acme_order(ctx, tryton)
    rpc(tryton.url, "erp").model("account.invoice", "post", sale["invoices"])

    run_flow(ctx, invoices.name)

    (text,) = [t for t in outbox.sent.values() if f"*{number}" in t and "ST*810*" in t]
    assert "TDS*4500" in text


def test_a_stock_change_goes_to_the_partner_as_846s(
    tryton: Server, make_context: MakeContext
) -> None:
    stock = FlowSpec(
        name="acme-stock", entity="stock", source="wms", targets=["acme"], schedule="0 6 * * *"
    )
    ctx, outbox = with_partner(make_context, tryton, [stock])

    report = run_flow(ctx, stock.name)

    texts = list(outbox.sent.values())
    assert report.written == len(texts) >= 3
    assert all("ST*846*" in text for text in texts)
    assert any("WIDGET-1" in text for text in texts)
