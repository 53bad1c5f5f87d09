from __future__ import annotations

from datetime import date
from decimal import Decimal

from tree_support import XML_CORPUS, fixture, map_orders

from b2bbridge.core.model.order import Order
from b2bbridge.core.model.party import PartyRole


def _corpus_order() -> Order:
    data = (XML_CORPUS / "cxml_orderrequest.xml").read_bytes()
    [order] = map_orders("xml/cxml_order.yaml", data, "xml")
    return order


def test_corpus_cxml_order_has_its_po_number_date_and_currency() -> None:
    order = _corpus_order()
    assert (order.number, order.order_date, order.currency) == ("DO1234", date(2000, 10, 12), "EUR")
    assert order.purpose == "original"
    assert order.totals is not None
    assert order.totals.amount == Decimal("85.00")


def test_corpus_cxml_order_lines_carry_quantity_price_unit_and_part() -> None:
    lines = _corpus_order().lines
    assert [
        (ln.line_number, ln.quantity, ln.unit, ln.unit_price, ln.vendor_item) for ln in lines
    ] == [
        ("1", Decimal("10"), "each", Decimal("2.10"), "1233244"),
        ("2", Decimal("20"), "each", Decimal("3.20"), "1233245"),
    ]
    assert lines[1].requested_delivery_date == date(2020, 2, 28)
    assert [n.text for n in lines[1].notes] == ["Test comment"]


def test_corpus_cxml_order_parties_are_buyer_ship_to_and_bill_to() -> None:
    parties = {p.role: p for p in _corpus_order().parties}
    assert set(parties) == {PartyRole.BUYER, PartyRole.SHIP_TO, PartyRole.BILL_TO}
    assert parties[PartyRole.BUYER].id == "inbound@prominate-platform.com"
    ship_to = parties[PartyRole.SHIP_TO]
    assert ship_to.name == "Acme"
    assert ship_to.address is not None
    assert (ship_to.address.lines, ship_to.address.city, ship_to.address.country) == (
        ["123 Anystreet"],
        "Sunnyvale",
        "US",
    )
    assert ship_to.contacts[0].name == "Joe Smith"
    assert ship_to.contacts[0].phone == "1 800 5551212"
    bill_to = parties[PartyRole.BILL_TO]
    assert bill_to.address is not None
    assert bill_to.address.postal_code == "42699"


def test_shipped_cxml_fixture_maps_units_from_recommendation_20() -> None:
    [order] = map_orders("xml/cxml_order.yaml", fixture("cxml_order.xml"), "xml")
    assert order.number == "CX-500"
    assert [(ln.buyer_item, ln.quantity, ln.unit) for ln in order.lines] == [
        ("778", Decimal("5"), "each"),
        (None, Decimal("2"), "box"),
    ]
    assert order.parties[1].id == "DC-7"
    assert order.references[0].value == "b2b-test-0001@example"
