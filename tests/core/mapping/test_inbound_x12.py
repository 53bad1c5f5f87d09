from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from mapping_support import CORPUS, FIXTURES, load, read_transactions, transactions, x12_segments

from b2bbridge.core.errors import MappingError
from b2bbridge.core.mapping.inbound import map_order, map_transaction
from b2bbridge.core.model import Order, PartyRole

SPEC = load("x12/850.yaml")


def _gen_orders() -> list[Order]:
    text = (FIXTURES / "gen_850_two_orders.edi").read_text()
    return [
        map_order(t, SPEC, partner="ACME") for t in transactions(x12_segments(text), "ST", "SE")
    ]


def _corpus(name: str) -> Order:
    (transaction,) = read_transactions(CORPUS / "x12" / name)
    return map_order(transaction, SPEC, partner="CORPUS")


def test_generated_850_header() -> None:
    order = _gen_orders()[0]
    assert (order.number, order.purpose, order.order_type) == ("PO00000001", "original", "SA")
    assert order.order_date == date(2024, 1, 15)
    assert order.requested_delivery_date == date(2024, 2, 1)
    assert order.requested_ship_date == date(2024, 1, 25)
    assert order.currency == "USD"
    assert order.partner == "ACME"
    assert order.natural_key() == ("order", "PO00000001", "2024-01-15")


def test_generated_850_lines() -> None:
    lines = _gen_orders()[0].lines
    assert [ln.quantity for ln in lines] == [Decimal(8), Decimal(15), Decimal(22)]
    assert [ln.unit_price for ln in lines] == [Decimal("2.00"), Decimal("2.75"), Decimal("3.50")]
    assert {ln.unit for ln in lines} == {"each"}
    assert (lines[0].gtin, lines[0].vendor_item, lines[0].buyer_item) == (
        "012345678901", "ABC-1001", "SKU0001001")  # fmt: skip
    assert lines[2].description == "WIDGET MODEL 3 STAINLESS 10MM BLUE"


def test_generated_850_parties_with_addresses() -> None:
    ship_to, bill_to = _gen_orders()[1].parties
    assert (ship_to.role, ship_to.name, ship_to.id) == (
        PartyRole.SHIP_TO, "ACME DISTRIBUTION CENTER 2", "0002")  # fmt: skip
    assert ship_to.address is not None
    assert ship_to.address.lines == ["1200 INDUSTRIAL PKWY, BLDG 4"]
    assert (ship_to.address.city, ship_to.address.postal_code) == ("COLUMBUS", "43215")
    assert bill_to.role is PartyRole.BILL_TO


def test_generated_850_terms_carrier_contact_references_totals() -> None:
    order = _gen_orders()[0]
    assert order.payment_terms is not None
    assert order.payment_terms.discount_percent == Decimal(2)
    assert (order.payment_terms.discount_days, order.payment_terms.net_days) == (30, 31)
    assert order.carrier is not None
    assert order.carrier.name == "UPSG"
    assert [(c.role, c.name, c.phone) for c in order.contacts] == [
        ("BD", "JOHN SMITH", "5555551234")]  # fmt: skip
    assert [(r.qualifier, r.value) for r in order.references] == [
        ("DP", "042"), ("IA", "VEND00001")]  # fmt: skip
    assert order.totals is not None
    assert (order.totals.line_count, order.totals.quantity) == (3, Decimal(45))
    assert order.totals.amount == Decimal("134.25")


def test_map_transaction_takes_a_reader_transaction() -> None:
    (_first, second) = read_transactions(FIXTURES / "gen_850_two_orders.edi")
    document = map_transaction(second, SPEC, partner="ACME")
    assert isinstance(document, Order)
    assert document.number == "PO00000002"
    assert len(document.lines) == 3


def test_corpus_vics_850() -> None:
    order = _corpus("850_4010vics_tilde_newline.edi")
    assert order.number == "08292233294"
    assert order.requested_delivery_date == date(2010, 12, 14)
    assert [ln.quantity for ln in order.lines] == [Decimal(q) for q in (120, 220, 126, 76, 72, 696)]
    assert order.lines[4].unit_price == Decimal("7.5")
    assert [ln.vendor_item for ln in order.lines][:2] == ["AB3542", "RD5322"]
    assert order.lines[0].description == "SMALL WIDGET"
    assert [(p.role, p.name) for p in order.parties] == [(PartyRole.SHIP_TO, "XYZ RETAIL")]
    assert order.payment_terms is not None
    assert order.payment_terms.net_days == 46
    assert order.carrier is not None
    assert order.carrier.code == "P3"


def test_corpus_vics_850_with_newline_terminator_maps_the_same() -> None:
    tilde = _corpus("850_4010vics_tilde_newline.edi")
    newline = _corpus("850_4010vics_newline_only_terminator.edi")
    assert newline == tilde


def test_corpus_pipe_terminated_850() -> None:
    order = _corpus("850_4010_pipe_segterm_bom_crlf_indented.edi")
    assert (order.number, order.order_date, order.currency) == (
        "S41000439", date(2010, 8, 10), "USD")  # fmt: skip
    assert len(order.lines) == 4
    line = order.lines[1]
    assert (line.quantity, line.unit, line.unit_price, line.buyer_item) == (
        Decimal(12), "each", Decimal("63.11"), "0650002027")  # fmt: skip
    assert line.description == "LAMP, MAXLITE 35873, 200W,"
    assert line.requested_delivery_date == date(2010, 8, 20)
    assert [n.text for n in line.notes] == [
        "LAMP, MAXLITE 35873, 200W,", "277V, 5000K, E39, HPE", "MODEL NO. SKO200EA250"]  # fmt: skip
    ship_to = order.parties[1]
    assert ship_to.role is PartyRole.SHIP_TO
    assert ship_to.address is not None
    assert ship_to.address.lines == ["WORKS 41, 2290 MENELAUS ROAD"]
    assert order.totals is not None
    assert order.totals.amount == Decimal("884.06")


def test_corpus_adobe_850_parties_and_contacts() -> None:
    order = _corpus("850_4010_adobe_tilde_element_sep.edi")
    assert order.number == "TLP-X12"
    roles = [(p.qualifier, p.role) for p in order.parties]
    assert roles[0] == ("BY", PartyRole.BUYER)
    assert ("DU", PartyRole.OTHER) in roles
    assert roles[-1] == ("ST", PartyRole.SHIP_TO)
    ship_to = order.parties[-1]
    assert [(c.name, c.email, c.fax) for c in ship_to.contacts] == [
        ("SHIP TO", "john@doe.com", "8015554321")]  # fmt: skip
    assert [(r.qualifier, r.value, r.description) for r in ship_to.references] == [
        ("DP", "DP", "DEPARTMENT 400")]  # fmt: skip
    assert (order.lines[0].quantity, order.lines[0].unit_price) == (Decimal(1), Decimal(665))


def test_corpus_aerospace_850_on_one_line() -> None:
    order = _corpus("850_4010x357_aerospace_mixed_lines.edi")
    assert (order.number, order.order_date) == ("508517", date(2000, 5, 6))
    assert [(ln.quantity, ln.unit, ln.unit_price) for ln in order.lines] == [
        (Decimal(48), "each", Decimal(3))]  # fmt: skip
    assert order.totals is not None
    assert order.totals.amount == Decimal(144)


def test_corpus_petco_850_unit_kit_is_an_unknown_code() -> None:
    with pytest.raises(MappingError) as info:
        _corpus("850_4010_petco_dashes_placeholder_text.edi")
    error = info.value
    assert error.code == "mapping_unknown_code"
    assert (error.location.segment_id, error.location.segment_index) == ("PO1", 14)
    assert (error.location.element, error.location.transaction) == (3, "8830")
    assert error.location.line == 14
    assert "rule lines[].unit" in str(error)
    assert "'KI'" in str(error)
