"""Rule features (when, value, join, default, fallbacks, lists of values) on small inline maps."""

from __future__ import annotations

from decimal import Decimal

import pytest
from mapping_support import load, x12_segments

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.mapping.failures import MappingRuleError
from b2bbridge.core.mapping.inbound import map_order
from b2bbridge.core.model import Order

HEAD = "format: x12\ndocument: order\nloops:\n  N1: {members: [N3, N4]}\n  PO1: {members: [PID]}\n"
PO = (
    "ST*850*1~BEG*00*SA*PO1**20240115~REF*DP*042~REF*IA~N1*ST*STORE~N3*1 MAIN*SUITE 2~"
    "N1*BT*HQ~PO1*1*12*EA*150~PID*F****A~PID*F****B~PO1*2*3*EA*99~SE*10*1~"
)


def _map(fields: str, extra: dict[str, str] | None = None) -> Order:
    spec = load("t.yaml", {"t.yaml": HEAD + "fields:\n" + fields, **(extra or {})})
    return map_order(x12_segments(PO), spec, partner="P")


def test_constant_value() -> None:
    assert _map("  number: {value: FIXED}\n").number == "FIXED"


def test_fallback_takes_the_first_path_with_a_value() -> None:
    order = _map("  number: {path: [BEG.04, BEG.03]}\n")
    assert order.number == "PO1"


def test_default_applies_when_the_source_is_empty() -> None:
    order = _map("  number: BEG.03\n  currency: {path: CUR.02, default: USD}\n")
    assert order.currency == "USD"


def test_when_filters_list_items_on_a_qualifier() -> None:
    order = _map(
        "  number: BEG.03\n  parties:\n    each: N1\n    when: {path: N1.01, in: [ST]}\n"
        "    fields:\n      role: {value: ship_to}\n      name: N1.02\n"
    )
    assert [(p.role.value, p.name) for p in order.parties] == [("ship_to", "STORE")]


def test_join_and_each_build_a_list_of_text() -> None:
    order = _map(
        "  number: BEG.03\n  parties:\n    each: N1\n    fields:\n      role: {value: other}\n"
        "      address:\n        fields:\n"
        "          lines: {each: N3, join: [N3.01, N3.02], separator: ' / '}\n"
    )
    assert order.parties[0].address is not None
    assert order.parties[0].address.lines == ["1 MAIN / SUITE 2"]
    assert order.parties[1].address is None


def test_incomplete_list_item_is_refused_by_the_model() -> None:
    with pytest.raises(MappingRuleError) as info:
        _map(
            "  number: BEG.03\n  references:\n    each: REF\n    fields:\n"
            "      qualifier: REF.01\n      value: REF.02\n",
        )
    assert (info.value.code, info.value.rule) == ("mapping_bad_value", "references.1.value")


def test_required_field_in_a_list_item_points_at_its_segment() -> None:
    with pytest.raises(MappingRuleError) as info:
        _map(
            "  number: BEG.03\n  references:\n    each: REF\n    fields:\n"
            "      qualifier: REF.01\n      value: {path: REF.02, required: true}\n",
        )
    assert (info.value.code, info.value.rule) == ("mapping_required_missing", "references[].value")
    assert (info.value.location.segment_id, info.value.location.segment_index) == ("REF", 4)


def test_list_of_notes_from_every_matching_segment_in_a_loop() -> None:
    order = _map(
        "  number: BEG.03\n  lines:\n    each: PO1\n    fields:\n      quantity: PO1.02\n"
        "      notes:\n        each: PID\n        fields:\n          text: PID.05\n"
    )
    assert [[n.text for n in ln.notes] for ln in order.lines] == [["A", "B"], []]


def test_implied_decimals_transform_in_a_rule() -> None:
    order = _map(
        "  number: BEG.03\n  lines:\n    each: PO1\n    fields:\n      quantity: PO1.02\n"
        "      unit_price: {path: PO1.04, transform: [{implied_decimals: 2}]}\n"
    )
    assert [ln.unit_price for ln in order.lines] == [Decimal("1.50"), Decimal("0.99")]


def test_inline_map_transform() -> None:
    order = _map(
        "  number: BEG.03\n  purpose: {path: BEG.01, transform: [{map: {00: original}}]}\n"
    )
    assert order.purpose == "original"


def test_bad_code_table_is_reported_with_its_file_and_line() -> None:
    with pytest.raises(ConfigError, match=r"^codes/bad\.csv, line 3, column 1: .*listed twice"):
        load(
            "t.yaml",
            {
                "t.yaml": HEAD + "codes:\n  uom: codes/bad.csv\nfields:\n  number: BEG.03\n",
                "codes/bad.csv": "code,value\nEA,each\nEA,piece\n",
            },
        )
