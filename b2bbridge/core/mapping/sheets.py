"""CSV and XLSX reorder sheets: rows read by column header, spreadsheets as values only.

The first non-empty row is the header. Headers are matched without regard to case or
repeated spaces, so ``Unit Price`` in the map finds ``unit  price`` in the file. A CSV
file is UTF-8 (a BOM is fine), else read as Windows-1252; its delimiter is the one of
``,`` ``;`` and tab that the header uses most. An XLSX workbook is read from its first
sheet, as the values Excel saved: a formula is never evaluated (its cached result is used,
and a formula with no cached result reads as empty).

Addresses: a path is a column header. A context node is a group of rows; a value is the
first non-empty cell of the column in the group. ``each: "*"`` makes one group per row,
and ``each:`` or ``documents:`` naming a column makes one group per distinct value of
that column, in order of first appearance (``documents: PO Number`` splits a sheet into
one order per PO).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from b2bbridge.core.location import Location
from b2bbridge.core.mapping.addresses import Hit, Spot, TreePath
from b2bbridge.core.mapping.failures import PayloadError, UnsafePayloadError
from b2bbridge.core.mapping.limits import DEFAULT_LIMITS, PayloadLimits


def _norm(header: str) -> str:
    return " ".join(header.split()).casefold()


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its 1-based row number in the file, and its cells as text."""

    number: int
    cells: tuple[str, ...]


@dataclass(slots=True)
class Sheet:
    header: tuple[str, ...]
    rows: list[Row]
    columns: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for i, name in enumerate(self.header):
            self.columns.setdefault(_norm(name), i)


@dataclass(frozen=True, slots=True)
class RowGroup:
    """The context node of sheet maps: some rows of one sheet."""

    sheet: Sheet
    rows: tuple[Row, ...]


def _sheet(raw_rows: list[tuple[int, list[str]]], limits: PayloadLimits) -> RowGroup:
    filled = [(n, cells) for n, cells in raw_rows if any(c.strip() for c in cells)]
    if not filled:
        raise PayloadError("the sheet has no header row", code="sheet_empty")
    if len(filled) > limits.max_rows:
        raise UnsafePayloadError(f"sheet has over {limits.max_rows} rows", code="payload_too_large")
    _, header = filled[0]
    width = len(header)
    rows = [Row(n, tuple((cells + [""] * width)[:width])) for n, cells in filled[1:]]
    sheet = Sheet(tuple(h.strip() for h in header), rows)
    return RowGroup(sheet, tuple(rows))


def _check_size(data: bytes, limits: PayloadLimits) -> None:
    if len(data) > limits.max_bytes:
        raise UnsafePayloadError(
            f"payload of {len(data)} bytes is over the limit of {limits.max_bytes}",
            code="payload_too_large",
        )


def read_csv(data: bytes, limits: PayloadLimits = DEFAULT_LIMITS) -> RowGroup:
    """Every row of a CSV file, as one group."""
    _check_size(data, limits)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _sheet([(reader.line_num, row) for row in reader], limits)
    except csv.Error as exc:
        raise PayloadError(
            f"not valid CSV: {exc}", location=Location(line=reader.line_num)
        ) from exc


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def read_xlsx(data: bytes, limits: PayloadLimits = DEFAULT_LIMITS) -> RowGroup:
    """Every row of the first sheet of an XLSX workbook, as one group; values only."""
    from openpyxl import load_workbook  # imported here: only sheet payloads need it

    _check_size(data, limits)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise PayloadError(f"not a readable XLSX workbook: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        raw: list[tuple[int, list[str]]] = []
        for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if n > limits.max_rows + 1:
                raise UnsafePayloadError(
                    f"sheet has over {limits.max_rows} rows", code="payload_too_large"
                )
            raw.append((n, [_cell_text(v) for v in values]))
    finally:
        book.close()
    return _sheet(raw, limits)


def describe_rows(node: object) -> Spot:
    if isinstance(node, RowGroup) and node.rows:
        first = node.rows[0].number
        where = f"row {first}" if len(node.rows) == 1 else f"rows {first}-{node.rows[-1].number}"
        return Spot(where, line=first)
    return Spot("the sheet")


class ColumnAddress(TreePath):
    """A column header, or ``*`` (every row) for ``each:``."""

    __slots__ = ("_key",)

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._key = _norm(text)

    def select(self, node: object) -> list[object]:
        if not isinstance(node, RowGroup):
            return []
        if self._key == "*":
            return [RowGroup(node.sheet, (row,)) for row in node.rows]
        column = node.sheet.columns.get(self._key)
        if column is None:
            return []
        groups: dict[str, list[Row]] = {}
        for row in node.rows:
            key = row.cells[column].strip()
            if key:
                groups.setdefault(key, []).append(row)
        return [RowGroup(node.sheet, tuple(rows)) for rows in groups.values()]

    def first(self, node: object) -> Hit | None:
        if not isinstance(node, RowGroup):
            return None
        column = node.sheet.columns.get(self._key)
        if column is None:
            return None
        for row in node.rows:
            text = row.cells[column].strip()
            if text:
                header = node.sheet.header[column]
                return Hit(text, Spot(f"row {row.number}, column {header}", row.number, column + 1))
        return None

    def spot(self, node: object) -> Spot:
        return describe_rows(node)
