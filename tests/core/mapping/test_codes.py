from __future__ import annotations

import pytest
from mapping_support import MAPPINGS

from b2bbridge.core.mapping.codes import CodeTableError, parse_code_table


def test_rows_comments_and_blank_lines() -> None:
    table = parse_code_table("# units\ncode,value,description\n\nEA, each ,piece\n", "uom")
    assert table.lookup("EA", "x12") == "each"
    assert table.lookup(" EA ", "edifact") == "each"
    assert len(table) == 1


def test_unknown_code_is_none() -> None:
    assert parse_code_table("code,value\nEA,each\n", "uom").lookup("ZZ", "x12") is None


def test_duplicate_code_names_its_line() -> None:
    with pytest.raises(CodeTableError) as info:
        parse_code_table("code,value\nEA,each\nEA,piece\n", "uom")
    assert info.value.line == 3


def test_missing_columns_are_refused() -> None:
    with pytest.raises(CodeTableError, match="'code' and 'value'"):
        parse_code_table("from,to\nEA,each\n", "uom")


def test_shipped_unit_table_maps_both_standards() -> None:
    table = parse_code_table((MAPPINGS / "codes" / "uom.csv").read_text(), "uom")
    assert table.lookup("PCE", "edifact") == "each"
    assert table.lookup("EA", "x12") == "each"
    assert table.lookup("CA", "x12") == "case"
    assert table.lookup("KGM", "edifact") == "kilogram"


def test_shipped_party_roles() -> None:
    table = parse_code_table((MAPPINGS / "codes" / "party_roles.csv").read_text(), "roles")
    assert [table.lookup(c, "x12") for c in ("ST", "BT", "BY", "SE", "VN")] == [
        "ship_to", "bill_to", "buyer", "seller", "supplier"]  # fmt: skip
    assert [table.lookup(c, "edifact") for c in ("DP", "IV", "SU", "BY")] == [
        "delivery", "invoicee", "supplier", "buyer"]  # fmt: skip
