from __future__ import annotations

from datetime import date
from decimal import Decimal

from tree_support import XML_CORPUS, fixture, map_orders

from b2bbridge.core.model.order import Order
from b2bbridge.core.model.party import PartyRole


def _order(name: str) -> Order:
    [order] = map_orders("xml/ubl_order.yaml", (XML_CORPUS / name).read_bytes(), "xml")
    return order


def test_ubl20_corpus_order_maps_header_and_single_line() -> None:
    order = _order("ubl20_order_example.xml")
    assert (order.number, order.order_date, order.currency) == (
        "AEG012345",
        date(2010, 6, 20),
        "GBP",
    )
    [line] = order.lines
    assert (line.quantity, line.unit, line.unit_price) == (Decimal("100"), "KG", Decimal("100.00"))
    assert (line.buyer_item, line.vendor_item, line.description) == (
        "6578489",
        "17589683",
        "beeswax",
    )
    assert order.totals is not None
    assert order.totals.line_count == 1


def test_ubl20_corpus_order_ship_to_comes_from_delivery_address() -> None:
    parties = {p.role: p for p in _order("ubl20_order_example.xml").parties}
    ship_to = parties[PartyRole.SHIP_TO]
    assert ship_to.address is not None
    assert (ship_to.address.city, ship_to.address.postal_code) == ("Bridgtow", "ZZ99 1ZZ")
    assert parties[PartyRole.BUYER].name == "IYT Corporation"
    assert parties[PartyRole.SELLER].name == "Consortial"
    assert parties[PartyRole.BUYER].contacts[0].email == "fred@iytcorporation.gov.uk"


def test_ubl21_corpus_order_maps_two_lines_with_gtin_and_units() -> None:
    order = _order("ubl21_order_example.xml")
    assert (order.number, order.order_date, order.currency) == ("34", date(2010, 1, 20), "SEK")
    assert [
        (ln.line_number, ln.quantity, ln.unit, ln.unit_price, ln.gtin) for ln in order.lines
    ] == [
        ("1", Decimal("120"), "liter", Decimal("50"), "1234567890123"),
        ("2", Decimal("15"), "each", Decimal("15"), "1122334455"),
    ]
    assert order.lines[0].requested_delivery_date == date(2010, 2, 10)
    assert order.totals is not None
    assert order.totals.amount == Decimal("6225")


def test_ubl21_corpus_order_parties_and_references() -> None:
    order = _order("ubl21_order_example.xml")
    parties = {p.role: p for p in order.parties}
    assert parties[PartyRole.BUYER].id == "7300070011115"
    assert parties[PartyRole.BUYER].id_qualifier == "GLN"
    assert parties[PartyRole.BILL_TO].name == "Pelle Svensson"
    ship_to = parties[PartyRole.SHIP_TO]
    assert ship_to.address is not None
    assert ship_to.address.lines == ["Rådhusgatan", "2nd floor"]
    assert {(r.qualifier, r.value) for r in order.references} == {
        ("quotation", "QuoteID123"),
        ("originator", "MAFO"),
        ("contract", "34322"),
    }


def test_shipped_ubl_fixture_maps_gln_and_delivery_location() -> None:
    [order] = map_orders("xml/ubl_order.yaml", fixture("ubl_order.xml"), "xml")
    assert order.number == "UBL-42"
    [line] = order.lines
    assert (line.quantity, line.unit, line.gtin) == (Decimal("12"), "each", "4012345000016")
    ship_to = next(p for p in order.parties if p.role is PartyRole.SHIP_TO)
    assert ship_to.address is not None
    assert ship_to.address.city == "Hamburg"
