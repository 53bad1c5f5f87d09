"""Properties of generated shipments: the 856 and DESADV hierarchies always add up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from outbound_support import load_outbound, read_back, render, structure_problems

from b2bbridge.core.model import Pack, Shipment, ShippedItem, ShippedOrder

X856 = load_outbound("x12/856.yaml")
DESADV = load_outbound("edifact/DESADV.yaml")
PARENT_LEVEL = {"O": "S", "P": "O", "I": "P"}

items = st.builds(
    ShippedItem,
    line_number=st.integers(1, 999).map(str),
    sku=st.from_regex(r"[A-Z][A-Z0-9-]{0,9}", fullmatch=True),  # an 856 LIN needs an id
    quantity=st.decimals(min_value=Decimal("0.5"), max_value=Decimal(9999), places=1),
    unit=st.sampled_from(["each", "case", None]),
)
packs = st.builds(
    Pack,
    sscc=st.none() | st.from_regex(r"[0-9]{18}", fullmatch=True),
    items=st.lists(items, max_size=3),
)
orders = st.builds(
    ShippedOrder,
    order_number=st.from_regex(r"PO-[0-9]{1,6}", fullmatch=True),
    packs=st.lists(packs, max_size=3),
)
shipments = st.builds(
    Shipment,
    number=st.from_regex(r"S-[0-9]{1,6}", fullmatch=True),
    ship_date=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    orders=st.lists(orders, max_size=3),
)


def _counts(shipment: Shipment) -> tuple[int, int, int]:
    pack_list = [p for o in shipment.orders for p in o.packs]
    return len(shipment.orders), len(pack_list), sum(len(p.items) for p in pack_list)


@settings(max_examples=40, deadline=None)
@given(shipments)
def test_856_has_one_hl_per_level_each_pointing_at_a_parent_one_level_up(
    shipment: Shipment,
) -> None:
    transactions, problems = read_back(render(X856, shipment))
    assert problems == []
    assert structure_problems(transactions[0]) == []
    segments = transactions[0].segments
    hls = [s.values() for s in segments if s.tag == "HL"]
    n_orders, n_packs, n_items = _counts(shipment)
    assert len(hls) == 1 + n_orders + n_packs + n_items
    levels = {hl[0]: hl[2] for hl in hls}
    for hl in hls[1:]:
        assert levels[hl[1]] == PARENT_LEVEL[hl[2]]
    assert [s.values() for s in segments if s.tag == "CTT"] == [[str(len(hls))]]
    assert int(segments[-1].values()[0]) == len(segments)


@settings(max_examples=40, deadline=None)
@given(shipments)
def test_desadv_has_one_cps_per_pack_under_the_consignment_and_cnt_counts_lines(
    shipment: Shipment,
) -> None:
    transactions, problems = read_back(render(DESADV, shipment))
    assert problems == []
    assert structure_problems(transactions[0]) == []
    segments = transactions[0].segments
    cps = [s.values() for s in segments if s.tag == "CPS"]
    _, n_packs, n_items = _counts(shipment)
    assert cps[0] == ["1", "", "1"]
    assert [c[1] for c in cps[1:]] == ["1"] * n_packs
    assert [s.values() for s in segments if s.tag == "CNT"] == [[f"2:{n_items}"]]
    assert int(segments[-1].values()[0]) == len(segments)
