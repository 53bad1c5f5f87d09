from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from b2bbridge.core.mapping.codes import parse_code_table
from b2bbridge.core.mapping.transforms import (
    TransformSpecError,
    TransformValueError,
    compile_step,
)

TABLES = {
    "uom": parse_code_table("code,standard,value\nEA,,each\nCA,x12,case\nCA,edifact,can\n", "uom")
}


def _step(name: str, arg: object = None, standard: str = "x12", **options: object):  # type: ignore[no-untyped-def]
    return compile_step(name, arg, options, TABLES, standard)  # type: ignore[arg-type]


def test_ccyymmdd_date() -> None:
    assert _step("date", "CCYYMMDD")("20240115") == date(2024, 1, 15)


def test_yymmdd_date_pivots_at_70() -> None:
    assert _step("date", "YYMMDD")("240115") == date(2024, 1, 15)
    assert _step("date", "101")("991231") == date(1999, 12, 31)


def test_edifact_203_datetime_is_utc_unless_told() -> None:
    assert _step("datetime", "203")("202401151230") == datetime(2024, 1, 15, 12, 30, tzinfo=UTC)
    plus_one = _step("datetime", "203", tz="+01:00")("202401151230")
    assert plus_one.utcoffset() == timedelta(hours=1)
    assert plus_one.tzinfo == timezone(timedelta(hours=1))


def test_auto_date_chooses_by_length() -> None:
    auto = _step("date", "auto")
    assert [auto("240115"), auto("20240115"), auto("202401151230")] == [date(2024, 1, 15)] * 3


def test_impossible_date_is_a_bad_value() -> None:
    with pytest.raises(TransformValueError) as info:
        _step("date", "CCYYMMDD")("20240230")
    assert info.value.code == "mapping_bad_value"


def test_implied_decimals_n2() -> None:
    assert _step("implied_decimals", 2)("12345") == Decimal("123.45")


def test_scale_multiplies() -> None:
    assert _step("scale", "0.01")("250") == Decimal("2.50")


def test_decimal_reads_a_decimal_comma() -> None:
    assert _step("decimal")("12,5") == Decimal("12.5")


def test_non_number_is_a_bad_value() -> None:
    with pytest.raises(TransformValueError, match="not a number"):
        _step("decimal")("1020A")


def test_text_steps() -> None:
    assert _step("trim")("  A ") == "A"
    assert _step("upper")("ab") == "AB"
    assert _step("strip_zeros")("000120") == "120"
    assert _step("prefix", "SKU-")("1") == "SKU-1"


def test_split_takes_the_indexed_part() -> None:
    assert _step("split", "-", index=1)("AB-12-X") == "12"


def test_code_lookup_prefers_the_standard_row() -> None:
    assert _step("code", "uom", standard="x12")("CA") == "case"
    assert _step("code", "uom", standard="edifact")("CA") == "can"
    assert _step("code", "uom", standard="edifact")("EA") == "each"


def test_unknown_code_is_an_error_by_default() -> None:
    with pytest.raises(TransformValueError) as info:
        _step("code", "uom")("ZZ")
    assert info.value.code == "mapping_unknown_code"


def test_unknown_code_can_be_kept_dropped_or_defaulted() -> None:
    assert _step("code", "uom", unknown="keep")("ZZ") == "ZZ"
    assert _step("code", "uom", unknown="drop")("ZZ") == ""
    assert _step("code", "uom", default="each")("ZZ") == "each"


def test_inline_map() -> None:
    assert _step("map", {"00": "original", "01": "cancel"})("01") == "cancel"


def test_unknown_step_and_table_are_spec_errors() -> None:
    with pytest.raises(TransformSpecError, match="unknown transform"):
        _step("reverse")
    with pytest.raises(TransformSpecError, match="not declared"):
        _step("code", "carriers")
    with pytest.raises(TransformSpecError, match="date format"):
        _step("date", "DDMMYY")


def test_infinity_and_digit_separators_are_not_numbers() -> None:
    for text in ("Infinity", "NaN", "1_000"):
        with pytest.raises(TransformValueError):
            _step("decimal")(text)
