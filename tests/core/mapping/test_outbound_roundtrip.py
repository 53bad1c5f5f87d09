"""Round trips: canonical -> EDI (outbound map) -> canonical (inbound map) is the identity.

The 850 pair (x12/850-out.yaml, then x12/850.yaml) is checked on a fixed order and on
generated ones; the 855 is checked with a test-only inbound 855 map.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from mapping_support import load
from outbound_support import (
    FIXTURES,
    fixture,
    load_outbound,
    read_back,
    render,
    structure_problems,
)

from b2bbridge.core.mapping.inbound import map_order, map_transaction
from b2bbridge.core.model import (
    Address,
    Carrier,
    Contact,
    Note,
    Order,
    OrderAcknowledgement,
    OrderLine,
    OrderTotals,
    Party,
    PartyRole,
    PaymentTerms,
    Reference,
)

OUT_850 = load_outbound("x12/850-out.yaml")
IN_850 = load("x12/850.yaml")


def _round_trip_order(order: Order) -> Order:
    transactions, problems = read_back(render(OUT_850, order))
    assert problems == []
    assert structure_problems(transactions[0]) == []
    return map_order(transactions[0], IN_850, partner="acme")


def test_fixed_order_survives_850_out_and_back() -> None:
    order = fixture(OUT_850, "order")
    assert isinstance(order, Order)
    assert _round_trip_order(order) == order.model_copy(update={"partner": "acme"})


def test_855_round_trip_keeps_statuses_quantities_and_dates() -> None:
    inbound_name = "tests/855-inbound.yaml"
    text = (FIXTURES / "855-inbound.yaml").read_text(encoding="utf-8")
    inbound = load(inbound_name, {inbound_name: text})
    spec = load_outbound("x12/855.yaml")
    ack = fixture(spec, "acknowledgement")
    assert isinstance(ack, OrderAcknowledgement)
    transactions, problems = read_back(render(spec, ack))
    assert problems == []
    back = map_transaction(transactions[0], inbound, partner="acme")
    # The 855 map does not carry a line's free-text reason.
    lines = [line.model_copy(update={"reason": None}) for line in ack.lines]
    assert back == ack.model_copy(update={"lines": lines})


def test_ordrsp_round_trip_keeps_every_line_field_including_the_reason() -> None:
    inbound_name = "tests/ORDRSP-inbound.yaml"
    text = (FIXTURES / "ORDRSP-inbound.yaml").read_text(encoding="utf-8")
    inbound = load(inbound_name, {inbound_name: text})
    spec = load_outbound("edifact/ORDRSP.yaml")
    ack = fixture(spec, "acknowledgement")
    transactions, problems = read_back(render(spec, ack))
    assert problems == []
    assert map_transaction(transactions[0], inbound, partner="acme") == ack


TOKEN = st.from_regex(r"[A-Z0-9][A-Z0-9 .-]{0,10}[A-Z0-9]|[A-Z0-9]", fullmatch=True)
PARTY_ID = st.from_regex(r"[A-Z0-9]{2,12}", fullmatch=True)  # N104 is 2 to 80 characters
CITY = st.from_regex(r"[A-Z][A-Z .]{0,10}[A-Z]", fullmatch=True)  # N401: 2 to 30
POSTAL = st.from_regex(r"[0-9]{5}", fullmatch=True)  # N403: 3 to 15
AMOUNT = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2)
DAY = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
ROLES = [(PartyRole.BUYER, "BY"), (PartyRole.SHIP_TO, "ST"), (PartyRole.BILL_TO, "BT")]


@st.composite
def _lines(draw: st.DrawFn) -> list[OrderLine]:
    count = draw(st.integers(min_value=1, max_value=4))
    return [
        OrderLine(
            line_number=str(n),
            quantity=draw(AMOUNT),
            unit=draw(st.sampled_from(["each", "case", "dozen", "pound", None])),
            unit_price=draw(st.none() | AMOUNT),
            vendor_item=draw(st.none() | TOKEN),
            buyer_item=draw(st.none() | TOKEN),
            gtin=draw(st.none() | st.from_regex(r"[0-9]{14}", fullmatch=True)),
            description=draw(st.none() | TOKEN),
            requested_delivery_date=draw(st.none() | DAY),
            notes=[Note(text=t) for t in draw(st.lists(TOKEN, max_size=1))],
        )
        for n in range(1, count + 1)
    ]


@st.composite
def _parties(draw: st.DrawFn) -> list[Party]:
    roles = draw(st.lists(st.sampled_from(ROLES), max_size=2, unique=True))
    parties = []
    for role, qualifier in roles:
        has_id = draw(st.booleans())
        addresses = st.builds(
            Address, lines=st.lists(TOKEN, max_size=2), city=CITY, postal_code=st.none() | POSTAL
        )
        address = draw(st.none() | addresses)
        parties.append(
            Party(
                role=role,
                qualifier=qualifier,
                name=draw(TOKEN),
                id=draw(PARTY_ID) if has_id else None,
                id_qualifier="92" if has_id else None,
                address=address,
            )
        )
    return parties


@st.composite
def orders(draw: st.DrawFn) -> Order:
    lines = draw(_lines())
    return Order(
        number=draw(TOKEN),
        partner="acme",
        purpose=draw(st.sampled_from(["original", "cancel", "change", "replace"])),
        order_type=draw(st.sampled_from(["SA", "RL", "DS"])),
        order_date=draw(DAY),
        requested_ship_date=draw(st.none() | DAY),
        currency=draw(st.sampled_from(["USD", "EUR", None])),
        references=[Reference(qualifier="DP", value=v) for v in draw(st.lists(TOKEN, max_size=2))],
        payment_terms=draw(
            st.none()
            | st.builds(
                PaymentTerms,
                code=st.just("05"),
                discount_percent=st.just(Decimal(2)),
                discount_days=st.integers(1, 30),
                net_days=st.integers(31, 90),
            )
        ),
        carrier=draw(
            st.none()
            | st.builds(
                Carrier,
                code=st.sampled_from(["ups", "fedex_ground"]),
                name=TOKEN,
                ship_method=st.just("M"),
            )
        ),
        notes=[Note(text=t) for t in draw(st.lists(TOKEN, max_size=2))],
        contacts=draw(
            st.lists(
                st.builds(Contact, role=st.just("BD"), name=TOKEN, phone=st.none() | TOKEN),
                max_size=1,
            )
        ),
        parties=draw(_parties()),
        lines=lines,
        totals=OrderTotals(line_count=len(lines), quantity=sum(line.quantity for line in lines)),
    )


@settings(max_examples=40, deadline=None)
@given(orders())
def test_generated_orders_survive_850_out_and_back(order: Order) -> None:
    assert _round_trip_order(order) == order
