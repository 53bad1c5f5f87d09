from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from mapping_support import (
    CORPUS,
    FIXTURES,
    edifact_segments,
    load,
    read_transactions,
    transactions,
)

from b2bbridge.core.mapping.inbound import map_order
from b2bbridge.core.model import Order, PartyRole

SPEC = load("edifact/ORDERS.yaml")
PARTNER_SPEC = load("partners/example_ean010_orders.yaml")


def _gen_orders() -> list[Order]:
    text = (FIXTURES / "gen_orders_two_messages.edi").read_text()
    segs = edifact_segments(text)
    return [map_order(t, SPEC, partner="ACME") for t in transactions(segs, "UNH", "UNT")]


def _corpus(name: str, spec: object = SPEC) -> Order:
    (transaction,) = read_transactions(CORPUS / "edifact" / name)
    return map_order(transaction, spec, partner="CORPUS")  # type: ignore[arg-type]


def test_generated_orders_header() -> None:
    order = _gen_orders()[1]
    assert (order.number, order.order_type, order.purpose) == ("PO00000002", "220", "original")
    assert (order.order_date, order.requested_delivery_date) == (
        date(2024, 1, 15),
        date(2024, 2, 1),
    )
    assert order.currency == "EUR"
    assert [(r.qualifier, r.value) for r in order.references] == [("CT", "CONTRACT002")]


def test_generated_orders_note_keeps_released_characters() -> None:
    (note,) = _gen_orders()[0].notes
    assert (note.qualifier, note.text) == ("AAI", "FRAGILE: HANDLE WITH CARE'S GOODS")


def test_generated_orders_lines() -> None:
    lines = _gen_orders()[0].lines
    assert [ln.gtin for ln in lines] == ["4000862141401", "4000862141402", "4000862141403"]
    assert [ln.quantity for ln in lines] == [Decimal(8), Decimal(15), Decimal(22)]
    assert [ln.unit_price for ln in lines] == [Decimal("2.00"), Decimal("2.75"), Decimal("3.50")]
    assert {(ln.unit, ln.price_basis) for ln in lines} == {("each", "AAA")}
    assert lines[0].description == "WIDGET 1 10MM+BLUE"


def test_generated_orders_parties() -> None:
    buyer, supplier, delivery = _gen_orders()[0].parties
    assert (buyer.role, buyer.id, buyer.id_qualifier) == (PartyRole.BUYER, "5412345000013", "9")
    assert supplier.role is PartyRole.SUPPLIER
    assert supplier.address is None
    assert (delivery.role, delivery.name) == (PartyRole.DELIVERY, "ACME DC 1")
    assert delivery.address is not None
    assert (delivery.address.lines, delivery.address.city, delivery.address.country) == (
        ["1200 INDUSTRIAL PKWY"], "COLUMBUS", "US")  # fmt: skip


def test_corpus_d96a_minimal_order() -> None:
    order = _corpus("orders_d96a_minimal_unoc.edi")
    assert (order.number, order.order_date) == ("B10001", date(2006, 6, 20))
    (line,) = order.lines
    assert (line.quantity, line.unit, line.vendor_item) == (
        Decimal(1000),
        "each",
        "Produkt Schrauben",
    )
    (buyer,) = order.parties
    assert (buyer.role, buyer.name) == (PartyRole.BUYER, "Bestellername")
    assert buyer.address is not None
    assert buyer.address.postal_code == "23436"
    assert order.totals is not None
    assert order.totals.line_count == 1


def test_corpus_d03b_order_with_discrete_quantities_and_isbn() -> None:
    order = _corpus("orders_d03b_ean008_syntax4_ccyymmdd_unb.edi")
    assert (order.number, order.order_date) == ("BKOD99", date(2005, 11, 7))
    assert [ln.quantity for ln in order.lines] == [
        Decimal(25),
        Decimal(25),
        Decimal(16),
        Decimal(10),
    ]
    assert [ln.vendor_item for ln in order.lines][:2] == ["0764569104", "0764569090"]
    assert order.lines[3].description == "The Children of Hurin"
    assert [p.role for p in order.parties] == [PartyRole.BUYER, PartyRole.SUPPLIER]
    assert order.totals is not None
    assert order.totals.line_count == 4


def test_corpus_d01b_order_through_a_partner_map() -> None:
    order = _corpus("orders_d01b_ean010_unoc_latin1_release_char.edi", PARTNER_SPEC)
    assert (order.number, order.order_date) == ("2019265563", date(2018, 12, 5))
    assert order.requested_delivery_date == date(2018, 12, 6)
    assert len(order.lines) == 146
    assert sum(ln.quantity for ln in order.lines) == Decimal(454)
    assert Counter(ln.unit for ln in order.lines)["bundle"] == 96
    first = order.lines[0]
    assert (first.buyer_item, first.vendor_item, first.sku) == ("6001001", "1001", "BUTTER-40x250")
    assert order.lines[-1].sku is None  # not in the partner's item table: dropped, not an error
    assert [p.role for p in order.parties] == [
        PartyRole.BUYER, PartyRole.SUPPLIER, PartyRole.DELIVERY]  # fmt: skip
    assert order.parties[0].name is not None
    assert order.parties[0].name.startswith("A+A K")
    (contact,) = order.parties[0].contacts
    assert (contact.name, contact.phone, contact.fax) == (
        "Herr Foo",
        "020994125-32",
        "020994125-44",
    )
    assert [(r.qualifier, r.value) for r in order.parties[2].references] == [("IT", "9949940")]


def _bgm_order(bgm: str) -> Order:
    text = f"UNH+9+ORDERS:D:01B:UN'{bgm}'RFF+ON:FROM-RFF'LIN+1++4000862141401:EN'QTY+21:1'UNT+5+9'"
    return map_order(edifact_segments(text), SPEC, partner="P")


def test_bgm_number_as_a_d96a_simple_element() -> None:
    assert _bgm_order("BGM+220+PO123+9").number == "PO123"


def test_bgm_number_as_the_first_component_of_d01b_c106() -> None:
    order = _bgm_order("BGM+220+PO123:2+9")
    assert (order.number, order.purpose) == ("PO123", "original")


def test_bgm_without_a_number_falls_back_to_the_order_reference() -> None:
    assert _bgm_order("BGM+220++9").number == "FROM-RFF"


def test_terms_carrier_totals_and_contacts_from_a_full_header() -> None:
    text = (
        "UNH+1+ORDERS:D:96A:UN:EAN008'BGM+220+PO5+9'DTM+137:202401151230:203'"
        "DTM+10:20240120:102'PAT+1++5:3:D:30'TDT+20++30++UPSN:172:9:United Parcel'"
        "NAD+BY+5412345000013::9'CTA+PD+:Jane Roe'COM+jane@example.com:EM'COM+0123:TE'"
        "CUX+2:USD:9'LIN+1++4000862141401:EN'QTY+21:2:CT'PRI+AAB:9.5'MOA+79:19'"
        "UNS+S'CNT+2:1'MOA+86:19'UNT+18+1'"
    )
    order = map_order(edifact_segments(text), SPEC, partner="P")
    assert (order.order_date, order.requested_ship_date) == (date(2024, 1, 15), date(2024, 1, 20))
    assert order.payment_terms is not None
    assert (order.payment_terms.code, order.payment_terms.net_days) == ("1", 30)
    assert order.carrier is not None
    assert (order.carrier.code, order.carrier.name, order.carrier.ship_method) == (
        "ups",
        "United Parcel",
        "30",
    )
    (contact,) = order.parties[0].contacts
    assert (contact.role, contact.name, contact.email, contact.phone) == (
        "PD",
        "Jane Roe",
        "jane@example.com",
        "0123",
    )
    assert order.currency == "USD"
    (line,) = order.lines
    assert (line.unit, line.unit_price, line.price_basis) == ("carton", Decimal("9.5"), "AAB")
    assert order.totals is not None
    assert (order.totals.line_count, order.totals.amount) == (1, Decimal(19))
