"""Outbound values: reverse code lookups, date and number formats, path resolution."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from mapping_support import MAPPINGS

from b2bbridge.core.mapping.codes import parse_code_table
from b2bbridge.core.mapping.outbound_values import (
    Frame,
    compile_out_step,
    render_value,
    reverse_table,
)
from b2bbridge.core.mapping.transforms import TransformSpecError, TransformValueError
from b2bbridge.core.model import Carrier, Order, OrderLine

UOM = parse_code_table((MAPPINGS / "codes" / "uom.csv").read_text(encoding="utf-8"), "uom")
ROLES = parse_code_table(
    (MAPPINGS / "codes" / "party_roles.csv").read_text(encoding="utf-8"), "party_roles"
)


def _step(name: str, arg: object = None, **options: object) -> object:
    return compile_out_step(name, arg, options, {"uom": UOM}, "x12")  # type: ignore[arg-type]


def test_reverse_lookup_takes_the_row_of_the_maps_standard_first() -> None:
    assert reverse_table(UOM, "edifact")("case") == "CS"
    assert reverse_table(UOM, "x12")("case") == "CA"
    assert reverse_table(ROLES, "x12")("supplier") == "VN"


def test_reverse_lookup_falls_back_to_rows_without_a_standard() -> None:
    assert reverse_table(UOM, "x12")("each") == "EA"
    assert reverse_table(ROLES, "edifact")("supplier") == "SU"


def test_reverse_lookup_of_an_unknown_value_is_none() -> None:
    assert reverse_table(UOM, "x12")("furlong") is None


def test_code_step_with_unknown_value_raises_unknown_code() -> None:
    step = _step("code", "uom")
    with pytest.raises(TransformValueError) as caught:
        step("furlong")  # type: ignore[operator]
    assert caught.value.code == "mapping_unknown_code"


def test_code_step_keeps_an_unknown_value_when_told() -> None:
    assert _step("code", "uom", unknown="keep")("furlong") == "furlong"  # type: ignore[operator]


def test_date_formats_write_edifact_102_and_203() -> None:
    moment = datetime(2026, 11, 22, 14, 5, tzinfo=UTC)
    assert _step("date", "102")(date(2026, 1, 2)) == "20260102"  # type: ignore[operator]
    assert _step("date", "203")(moment) == "202611221405"  # type: ignore[operator]


def test_date_with_tz_converts_the_instant_first() -> None:
    moment = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert _step("date", "CCYYMMDD", tz="+02:00")(moment) == "20261123"  # type: ignore[operator]


def test_date_step_refuses_text() -> None:
    with pytest.raises(TransformValueError):
        _step("date", "CCYYMMDD")("tomorrow")  # type: ignore[operator]


def test_implied_decimals_rounds_half_up_to_whole_units() -> None:
    assert _step("implied_decimals", 2)(Decimal("123.456")) == 12346  # type: ignore[operator]


def test_decimal_with_places_writes_exactly_that_many() -> None:
    assert _step("decimal", 2)(Decimal("30")) == "30.00"  # type: ignore[operator]


def test_unknown_date_format_is_a_spec_error() -> None:
    with pytest.raises(TransformSpecError, match="unknown date format"):
        _step("date", "DDMMYY")


def test_plain_decimals_are_written_without_exponent_or_trailing_zeros() -> None:
    assert render_value(Decimal("1E+2")) == "100"
    assert render_value(Decimal("2.500")) == "2.5"
    assert render_value(Decimal("-0.00")) == "0"


def test_frame_resolves_named_items_indexes_and_flattened_lists() -> None:
    order = Order(
        number="PO-1",
        carrier=Carrier(code="ups"),
        lines=[OrderLine(quantity=Decimal(1)), OrderLine(quantity=Decimal(2))],
    )
    frame = Frame(order.lines[1], {"doc": order})
    assert frame.resolve("$doc.carrier.code") == ["ups"]
    assert frame.resolve("$doc.lines.quantity") == [Decimal(1), Decimal(2)]
    assert frame.resolve("$doc.lines.1.quantity") == [Decimal(2)]
    assert frame.resolve("quantity") == [Decimal(2)]
    assert frame.resolve("$nobody.x") == []
