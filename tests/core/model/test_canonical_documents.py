from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pydantic
import pytest

from b2bbridge.core.model import (
    DOCUMENTS,
    Customer,
    Invoice,
    LineStatus,
    OrderAcknowledgement,
    Pack,
    Product,
    Shipment,
    StockLevel,
    canonical_json_schemas,
)


def test_stock_level_refuses_a_naive_timestamp() -> None:
    with pytest.raises(pydantic.ValidationError, match="timezone"):
        StockLevel(sku="A", location="WH1", on_hand=Decimal(5), available=Decimal(3),
                   as_of=datetime(2024, 1, 1, 12, 0))  # fmt: skip


def test_stock_level_key_names_sku_location_and_instant() -> None:
    level = StockLevel(sku="A", location="WH1", on_hand=Decimal(5), available=Decimal(3),
                       as_of=datetime(2024, 1, 1, 12, 0, tzinfo=UTC))  # fmt: skip
    assert level.natural_key() == ("stock_level", "A", "WH1", "2024-01-01T12:00:00+00:00")


def test_pack_sscc_must_have_18_digits() -> None:
    assert Pack(sscc="003456789012345678").sscc == "003456789012345678"
    with pytest.raises(pydantic.ValidationError, match="sscc"):
        Pack(sscc="12345")


def test_shipment_nests_orders_packs_and_items() -> None:
    shipment = Shipment.model_validate({
        "number": "ASN1", "ship_date": "2024-02-01",
        "orders": [{"order_number": "PO1", "packs": [
            {"sscc": "003456789012345678", "items": [{"sku": "A", "quantity": "4"}]}]}],
    })  # fmt: skip
    assert shipment.orders[0].packs[0].items[0].quantity == Decimal(4)
    assert shipment.natural_key() == ("shipment", "ASN1", "2024-02-01")


def test_invoice_adjustment_amount_cannot_be_negative() -> None:
    with pytest.raises(pydantic.ValidationError, match="amount"):
        Invoice.model_validate({
            "number": "INV1", "invoice_date": "2024-02-02", "totals": {"amount_due": "10"},
            "adjustments": [{"kind": "allowance", "amount": "-1"}],
        })  # fmt: skip


def test_acknowledgement_line_statuses_cover_changes() -> None:
    ack = OrderAcknowledgement.model_validate({
        "number": "ACK1", "order_number": "PO1", "acknowledgement_date": date(2024, 1, 2),
        "status": "accepted",
        "lines": [{"line_number": "1", "status": "quantity_changed", "quantity": "3"}],
    })  # fmt: skip
    assert ack.lines[0].status is LineStatus.QUANTITY_CHANGED
    assert ack.natural_key() == ("order_acknowledgement", "ACK1", "2024-01-02")


def test_customer_and_product_keys() -> None:
    customer = Customer(account_number="C1", name="Acme", credit_limit=Decimal("5000"))
    product = Product(sku="SKU1", partner_items=[{"partner": "ACME", "item_number": "X1"}])
    assert customer.natural_key() == ("customer", "C1")
    assert product.natural_key() == ("product", "SKU1")
    assert product.partner_items[0].item_number == "X1"


def test_json_schemas_cover_every_document_and_are_deterministic() -> None:
    first, second = canonical_json_schemas(), canonical_json_schemas()
    assert first == second
    assert sorted(first) == sorted(f"{name}.schema.json" for name in DOCUMENTS)
    order = json.loads(first["order.schema.json"])
    assert order["title"] == "Order"
    assert "lines" in order["properties"]
    assert first["order.schema.json"].endswith("}\n")
