"""Source addresses for tree-shaped payloads (XML, JSON, CSV and XLSX), beside segment paths.

An X12 or EDIFACT rule names its value with a :class:`~b2bbridge.core.mapping.paths.SegmentPath`;
a rule of an XML, JSON or spreadsheet map names it with a :class:`TreePath`: an XPath, a
JSON path or a column header. A tree path can do two things, whatever the format: select
the nodes it names under a context node (for ``each:`` and ``documents:``), and find the
first non-empty value it names (for a field), together with where that value was, so a
mapping error can point at the XPath, the JSON path or the row and column.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from b2bbridge.core.mapping.paths import SegmentPath


@dataclass(frozen=True, slots=True)
class Spot:
    """Where a value or node is in a tree payload: readable text, and line/column if known.

    ``where`` is ``/cXML/Request/OrderRequest/ItemOut[2]/@quantity`` for XML,
    ``$.lines[1].quantity`` for JSON and ``row 4, column Quantity`` for a sheet.
    ``line`` is the source line (XML) or row number (CSV, XLSX); ``column`` the 1-based
    column of a sheet cell.
    """

    where: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """A value found by a tree path, with its place."""

    text: str
    spot: Spot


class TreePath(ABC):
    """A compiled address into a tree payload; ``text`` is as written in the mapping."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    @abstractmethod
    def select(self, node: object) -> list[object]:
        """The nodes this path names under ``node``, in document order."""

    @abstractmethod
    def first(self, node: object) -> Hit | None:
        """The first non-empty value this path names under ``node``, or None."""

    @abstractmethod
    def spot(self, node: object) -> Spot:
        """Where ``node`` (a context node this kind of path works on) is, for errors."""

    def read(self, node: object) -> str | None:
        hit = self.first(node)
        return hit.text if hit is not None else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.text!r})"


SourcePath = SegmentPath | TreePath
"""What a compiled rule reads from: a segment path (EDI) or a tree path (everything else)."""
