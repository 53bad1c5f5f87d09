from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from tree_support import fixture, map_orders

from b2bbridge.core.mapping.failures import MappingRuleError, PayloadError, UnsafePayloadError
from b2bbridge.core.mapping.jsonsource import parse_json
from b2bbridge.core.mapping.limits import PayloadLimits
from b2bbridge.core.model.party import PartyRole


def test_api_json_order_maps_header_fields() -> None:
    [order] = map_orders("json/order.yaml", fixture("api_order.json"), "json")
    assert (order.number, order.order_date, order.currency) == (
        "API-7781",
        date(2024, 11, 4),
        "USD",
    )
    assert order.requested_delivery_date == date(2024, 11, 12)
    assert order.carrier is not None
    assert order.carrier.code == "UPSN"
    assert [n.text for n in order.notes] == ["Dock 4, call ahead"]


def test_api_json_order_numbers_stay_exact_decimals() -> None:
    [order] = map_orders("json/order.yaml", fixture("api_order.json"), "json")
    assert [(ln.sku, ln.quantity, ln.unit, ln.unit_price) for ln in order.lines] == [
        ("BOLT-M8-40", Decimal("250"), "each", Decimal("0.12")),
        ("NUT-M8", Decimal("2.5"), "case", Decimal("18.40")),
        ("WASHER-M8", Decimal("100"), "each", None),
    ]
    assert order.totals is not None
    assert order.totals.amount == Decimal("94.00")


def test_api_json_order_ship_to_address_lines_come_from_a_list() -> None:
    [order] = map_orders("json/order.yaml", fixture("api_order.json"), "json")
    ship_to = next(p for p in order.parties if p.role is PartyRole.SHIP_TO)
    assert ship_to.address is not None
    assert ship_to.address.lines == ["12 Harbour Rd", "Unit 3"]
    assert ship_to.address.country == "US"
    assert ship_to.contacts[0].email == "dock12@bnh.example"


def test_a_json_list_of_orders_gives_one_document_each() -> None:
    data = (
        b'[{"po_number": "A", "lines": [{"quantity": 1}]},'
        b' {"po_number": "B", "lines": [{"quantity": 2}]}]'
    )
    orders = map_orders("json/order.yaml", data, "json")
    assert [(o.number, o.lines[0].quantity) for o in orders] == [
        ("A", Decimal(1)),
        ("B", Decimal(2)),
    ]


def test_missing_quantity_names_the_rule_and_json_path() -> None:
    data = b'{"po_number": "A", "lines": [{"quantity": 1}, {"sku": "X"}]}'
    with pytest.raises(MappingRuleError) as caught:
        map_orders("json/order.yaml", data, "json")
    assert caught.value.code == "mapping_required_missing"
    assert caught.value.rule == "lines[].quantity"
    assert "(at $.lines[1])" in str(caught.value)


def test_json_nesting_deeper_than_the_limit_is_refused() -> None:
    with pytest.raises(UnsafePayloadError) as caught:
        parse_json(b"[" * 30 + b"]" * 30, PayloadLimits(max_depth=10))
    assert caught.value.code == "payload_too_deep"


def test_text_that_is_not_json_is_a_payload_error_with_its_line() -> None:
    with pytest.raises(PayloadError) as caught:
        parse_json(b'{\n"a": 1,\n}')
    assert caught.value.location.line == 3
