from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook
from tree_support import fixture, map_orders

from b2bbridge.core.mapping.failures import PayloadError
from b2bbridge.core.mapping.sheets import RowGroup, read_csv, read_xlsx

HEADER: list[object] = ["PO Number", "Order Date", "Line", "SKU", "Quantity", "UOM", "Unit Price"]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_csv_reorder_sheet_splits_into_one_order_per_po_number() -> None:
    orders = map_orders("csv/reorder.yaml", fixture("reorder.csv"), "csv")
    assert [(o.number, len(o.lines)) for o in orders] == [("RO-1001", 2), ("RO-1002", 1)]
    assert orders[0].order_date == date(2024, 11, 4)
    assert orders[0].parties[0].id == "0012"


def test_csv_lines_carry_sku_quantity_unit_and_price() -> None:
    first, second = map_orders("csv/reorder.yaml", fixture("reorder.csv"), "csv")
    assert [(ln.sku, ln.quantity, ln.unit, ln.unit_price) for ln in first.lines] == [
        ("BOLT-M8-40", Decimal("250"), "each", Decimal("0.12")),
        ("NUT-M8", Decimal("10"), "case", Decimal("18.40")),
    ]
    assert first.lines[1].description == "Nut M8, zinc"
    assert second.lines[0].unit == "each"  # empty UOM: the map's default


def test_csv_headers_match_regardless_of_case_and_spacing_and_semicolons() -> None:
    data = b"po  number;QUANTITY;sku\nX-1;3;A\n"
    [order] = map_orders("csv/reorder.yaml", data, "csv")
    assert (order.number, order.lines[0].quantity, order.lines[0].sku) == ("X-1", Decimal(3), "A")


def test_xlsx_reorder_sheet_reuses_the_csv_map() -> None:
    data = _xlsx([HEADER, ["RO-9", datetime(2024, 11, 4), 1, "A-1", 12, "CS", 2.5]])
    [order] = map_orders("csv/reorder.yaml", data, "xlsx")
    assert (order.number, order.order_date) == ("RO-9", date(2024, 11, 4))
    [line] = order.lines
    assert (line.line_number, line.quantity, line.unit, line.unit_price) == (
        "1",
        Decimal(12),
        "case",
        Decimal("2.5"),
    )


def test_xlsx_formulas_are_never_evaluated() -> None:
    data = _xlsx([HEADER, ["RO-9", None, 1, "A-1", "=2+3", "EA", "=1/0"]])
    group = read_xlsx(data)
    assert isinstance(group, RowGroup)
    row = group.rows[0]
    assert row.cells[4] == ""
    assert row.cells[6] == ""


def test_xlsx_that_is_not_a_workbook_is_a_payload_error() -> None:
    with pytest.raises(PayloadError):
        read_xlsx(b"PK\x03\x04 not really a zip")


def test_csv_row_numbers_count_from_the_header_line() -> None:
    group = read_csv(b"\nPO Number,SKU\nA,1\n\nB,2\n")
    assert [r.number for r in group.rows] == [3, 5]
    assert group.sheet.header == ("PO Number", "SKU")


def test_sheet_without_any_row_is_a_payload_error() -> None:
    with pytest.raises(PayloadError) as caught:
        read_csv(b"\n\n")
    assert caught.value.code == "sheet_empty"
