"""Code tables: CSV files that translate a partner's codes to canonical values.

Ops engineers keep them in ``mappings/codes/*.csv``. The first row is a header naming at
least ``code`` and ``value``; an optional ``standard`` column (``x12`` or ``edifact``)
restricts a row to one standard, because the same code can mean different things (X12
``CA`` is a case, UN/ECE ``CA`` a can). A row without a standard applies to both, and a
row for the mapping's own standard wins over it. Other columns (``description``) are for
people and ignored. Codes and values are stripped; blank lines and lines starting with
``#`` are skipped.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass


class CodeTableError(ValueError):
    """A code table that cannot be read; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class CodeTable:
    name: str
    entries: dict[tuple[str, str], str]

    def lookup(self, code: str, standard: str) -> str | None:
        """The canonical value for ``code`` under ``standard``, or None when unknown."""
        key = code.strip()
        hit = self.entries.get((standard, key))
        return hit if hit is not None else self.entries.get(("", key))

    def __len__(self) -> int:
        return len(self.entries)


def _rows(text: str) -> list[tuple[int, list[str]]]:
    lines = [
        (n, line)
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    reader = csv.reader(io.StringIO("\n".join(line for _, line in lines)))
    return [(n, [c.strip() for c in row]) for (n, _), row in zip(lines, reader, strict=True)]


def parse_code_table(text: str, name: str) -> CodeTable:
    """Read the CSV ``text`` of table ``name``; duplicate codes are an error, not a guess."""
    rows = _rows(text)
    if not rows:
        raise CodeTableError(f"code table {name} is empty", 1)
    header_line, header = rows[0]
    if "code" not in header or "value" not in header:
        raise CodeTableError(f"code table {name} needs 'code' and 'value' columns", header_line)
    ci, vi = header.index("code"), header.index("value")
    si = header.index("standard") if "standard" in header else None
    entries: dict[tuple[str, str], str] = {}
    for n, row in rows[1:]:
        if len(row) <= max(ci, vi, si or 0):
            raise CodeTableError(f"code table {name}: too few columns", n)
        key = (row[si].lower() if si is not None else "", row[ci])
        if key in entries:
            raise CodeTableError(f"code table {name}: code {row[ci]!r} listed twice", n)
        entries[key] = row[vi]
    return CodeTable(name, entries)
