"""Shipments handed over between the ERP and the WMS, two separate Tryton databases.

A sale confirmed in ``erp`` creates a customer shipment there; ``wms-shipment-requests``
creates its twin in ``wms``; a clerk ships it in ``wms``; ``wms-shipments-done`` takes
the ERP shipment to done with the tracking number, and ``acme-asn`` sends ACME its 856.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from shop_client import rpc, sales_with_reference
from sync_servers import Server
from sync_support import MakeContext, SentFiles, store_order, with_acme_outbox

from b2bbridge.adapters.systems.errors import SystemRejectedError
from b2bbridge.adapters.systems.settings import load_sync_settings
from b2bbridge.adapters.systems.tryton import TrytonSystem, build_tryton
from b2bbridge.adapters.systems.tryton_rpc import TrytonClient
from b2bbridge.core.model import Order
from b2bbridge.core.sync import FlowSpec
from b2bbridge.services.sync import run_flow
from b2bbridge.services.sync_context import SyncContext

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[3]
SHIPPED = ("assign_try", "pick", "pack", "do")


def shipped_flows() -> dict[str, FlowSpec]:
    """The flows as this repository declares them in ``connectors/flows``."""
    env = {f"B2BBRIDGE_{name}_PASSWORD": "x" for name in ("ERP", "WMS", "CRM", "STOREFRONT")}
    return load_sync_settings(REPO / "connectors", env).flows


FLOWS = shipped_flows()
PARTNER_ORDERS = FLOWS["partner-orders"]
REQUESTS = FLOWS["wms-shipment-requests"]
DONE = FLOWS["wms-shipments-done"]
ASN = FLOWS["acme-asn"]


def handover_system(server: Server, database: str) -> TrytonSystem:
    settings = {
        "url": server.url,
        "database": database,
        "user": "admin",
        "password": "admin",
        "handover": database,
    }
    return build_tryton(database, settings)


def handover_context(make_context: MakeContext, tryton: Server) -> tuple[SyncContext, SentFiles]:
    outbox = SentFiles()
    base = make_context(
        {"erp": handover_system(tryton, "erp"), "wms": handover_system(tryton, "wms")},
        [PARTNER_ORDERS, REQUESTS, DONE, ASN],
    )
    return with_acme_outbox(base, outbox), outbox


def confirmed_sale(ctx: SyncContext, tryton: Server, quantity: int) -> tuple[str, dict[str, Any]]:
    """An ACME order stored by the pipeline and confirmed in the ERP by partner-orders."""
    number = f"PO-{uuid.uuid4().hex[:8]}"
    buyer = f"HO-{uuid.uuid4().hex[:6]}"
    address = {"lines": ["12 Dock Road"], "city": "Antwerp", "postal_code": "2000"}
    order = Order(
        number=number,
        partner="acme",
        parties=[{"role": "buyer", "id": buyer, "name": "Handover NV", "address": address}],
        lines=[{"sku": "GADGET-1", "quantity": str(quantity), "unit_price": "24.00"}],
    )
    store_order(ctx.uow, order, partner="acme")
    run_flow(ctx, PARTNER_ORDERS.name)
    (sale,) = sales_with_reference(rpc(tryton.url, "erp"), number)
    return number, sale


def erp_shipment(tryton: Server, sale: dict[str, Any]) -> dict[str, Any]:
    fields = ["number", "state", "reference", "effective_date"]
    rows = rpc(tryton.url, "erp").model("stock.shipment.out", "read", sale["shipments"], fields)
    assert isinstance(rows, list)
    (row,) = rows
    return dict(row)


def wms_shipments(tryton: Server, reference: str) -> list[dict[str, Any]]:
    fields = ["state", "customer.code", "delivery_address.city", "outgoing_moves", "reference"]
    rows = rpc(tryton.url, "wms").model(
        "stock.shipment.out", "search_read", [("reference", "=", reference)], 0, None, None, fields
    )
    assert isinstance(rows, list)
    return rows


def wms_items(tryton: Server, move_ids: list[int]) -> list[tuple[str, float]]:
    rows = rpc(tryton.url, "wms").model(
        "stock.move", "read", move_ids, ["product.code", "quantity"]
    )
    assert isinstance(rows, list)
    return [(row["product."]["code"], row["quantity"]) for row in rows]


def ship_in_wms(client: TrytonClient, shipment_id: int, tracking: str) -> None:
    """What the warehouse clerk does: note the tracking number, then pick, pack and ship.

    Tryton warns that the WMS's moves have no origin (they came from another database);
    the clerk accepts the warning, which the client records as a ``res.user.warning``.
    """
    client.model("stock.shipment.out", "write", [shipment_id], {"reference": tracking})
    for step in SHIPPED:
        for _ in range(3):
            try:
                client.model("stock.shipment.out", step, [shipment_id])
                break
            except SystemRejectedError as error:
                warning = re.search(r"UserWarning', \['([^']+)'", str(error))
                if warning is None:
                    raise
                accepted = {"user": 1, "name": warning.group(1)}  # admin
                client.model("res.user.warning", "create", [{**accepted, "always": False}])


def test_a_sale_confirmed_in_the_erp_becomes_one_waiting_shipment_in_the_wms(
    tryton: Server, make_context: MakeContext
) -> None:
    ctx, _ = handover_context(make_context, tryton)
    _, sale = confirmed_sale(ctx, tryton, quantity=3)
    key = erp_shipment(tryton, sale)["number"]

    first = run_flow(ctx, REQUESTS.name)
    again = run_flow(ctx, REQUESTS.name)

    (shipment,) = wms_shipments(tryton, key)
    assert first.written >= 1
    assert again.written == 0
    assert (shipment["state"], shipment["customer."]["code"]) == (
        "waiting",
        sale_party(tryton, sale),
    )
    assert shipment["delivery_address."]["city"] == "Antwerp"
    assert wms_items(tryton, shipment["outgoing_moves"]) == [("GADGET-1", 3.0)]


def sale_party(tryton: Server, sale: dict[str, Any]) -> str:
    return str(sale["party."]["code"])


def test_a_request_sent_again_from_a_store_that_lost_its_id_map_finds_the_wms_shipment(
    tryton: Server, make_context: MakeContext
) -> None:
    ctx, _ = handover_context(make_context, tryton)
    _, sale = confirmed_sale(ctx, tryton, quantity=1)
    key = erp_shipment(tryton, sale)["number"]
    run_flow(ctx, REQUESTS.name)
    (record,) = [
        r for r in ctx.system("erp").read_changes("shipment_request", None).records if r.key == key
    ]

    ids = ctx.system("wms").upsert("shipment_request", [replace(record, external_id=None)])

    (shipment,) = wms_shipments(tryton, key)
    assert ids == [str(shipment["id"])]


def test_a_shipment_done_in_the_wms_is_done_in_the_erp_with_tracking_and_goes_out_as_an_856(
    tryton: Server, make_context: MakeContext
) -> None:
    ctx, outbox = handover_context(make_context, tryton)
    number, sale = confirmed_sale(ctx, tryton, quantity=4)
    key = erp_shipment(tryton, sale)["number"]
    run_flow(ctx, REQUESTS.name)
    (shipment,) = wms_shipments(tryton, key)
    tracking = f"1Z{uuid.uuid4().hex[:12].upper()}"
    ship_in_wms(rpc(tryton.url, "wms"), shipment["id"], tracking)

    done = run_flow(ctx, DONE.name)
    run_flow(ctx, ASN.name)

    erp = erp_shipment(tryton, sale)
    (after,) = sales_with_reference(rpc(tryton.url, "erp"), number)
    assert done.failed == 0
    assert (erp["state"], erp["reference"]) == ("done", tracking)
    assert after["state"] in ("processing", "done")
    (text,) = [t for t in outbox.sent.values() if f"PRF*{number}" in t]
    assert "ST*856*" in text
    assert f"REF*CN*{tracking}" in text
    assert "SN1**4*EA" in text


def test_after_the_hand_over_no_flow_sends_anything_back(
    tryton: Server, make_context: MakeContext
) -> None:
    ctx, outbox = handover_context(make_context, tryton)
    _, sale = confirmed_sale(ctx, tryton, quantity=2)
    key = erp_shipment(tryton, sale)["number"]
    run_flow(ctx, REQUESTS.name)
    (shipment,) = wms_shipments(tryton, key)
    tracking = f"TRK-{uuid.uuid4().hex[:8]}"
    ship_in_wms(rpc(tryton.url, "wms"), shipment["id"], tracking)
    run_flow(ctx, DONE.name)
    run_flow(ctx, ASN.name)
    sent = len(outbox.sent)

    rounds = [run_flow(ctx, name).written for name in (REQUESTS.name, DONE.name, ASN.name) * 2]

    assert rounds == [0] * 6
    assert len(outbox.sent) == sent
    assert (len(wms_shipments(tryton, key)), len(wms_shipments(tryton, tracking))) == (0, 1)


def test_a_shipment_already_done_in_the_erp_is_left_alone(
    tryton: Server, make_context: MakeContext
) -> None:
    ctx, _ = handover_context(make_context, tryton)
    _, sale = confirmed_sale(ctx, tryton, quantity=1)
    key = erp_shipment(tryton, sale)["number"]
    run_flow(ctx, REQUESTS.name)
    (shipment,) = wms_shipments(tryton, key)
    erp = rpc(tryton.url, "erp")
    erp.model("stock.shipment.out", "write", sale["shipments"], {"reference": "ERP-OWN"})
    for step in SHIPPED:
        erp.model("stock.shipment.out", step, sale["shipments"])
    ship_in_wms(rpc(tryton.url, "wms"), shipment["id"], "WMS-TRACK")

    report = run_flow(ctx, DONE.name)

    assert report.failed == 0
    assert erp_shipment(tryton, sale)["reference"] == "ERP-OWN"
