"""Which format a payload is in, what kind of document it holds, and how each tree format reads.

:func:`detect_format` sniffs the first bytes (and the file name, for spreadsheets) so that
a drop folder can take X12, EDIFACT, XML, JSON, CSV and XLSX files side by side.
:func:`payload_kind` names the document inside, which with the format is the key a partner
profile maps (``xml/OrderRequest``, ``xml/Order``, ``json/order``, ``csv/reorder``).
:data:`TREE_FORMATS` tells the loader and :func:`~b2bbridge.core.mapping.payload.map_payload`
how to compile paths, read payloads and describe nodes for each non-EDI format.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from b2bbridge.core.mapping.addresses import Spot, TreePath
from b2bbridge.core.mapping.jsonsource import JsonAddress, JsonNode, describe_json, parse_json
from b2bbridge.core.mapping.limits import PayloadLimits
from b2bbridge.core.mapping.sheets import ColumnAddress, describe_rows, read_csv, read_xlsx
from b2bbridge.core.mapping.xmlsource import XPathAddress, describe_element, parse_xml, xml_kind

Format = Literal["x12", "edifact", "xml", "json", "csv", "xlsx", "unknown"]

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _head(data: bytes) -> bytes:
    head = data[:512]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    return head.replace(b"\x00", b"").lstrip()


def detect_format(data: bytes, filename: str | None = None) -> Format:
    """Sniff the payload's format; the file name decides only for zip and CSV files."""
    name = (filename or "").lower()
    if data.startswith(b"PK\x03\x04"):
        return "xlsx" if name.endswith((".xlsx", ".xlsm")) or b"xl/" in data[:4096] else "unknown"
    head = _head(data)
    if head.startswith(b"ISA"):
        return "x12"
    if head.startswith((b"UNA", b"UNB")):
        return "edifact"
    if head.startswith(b"<"):
        return "xml"
    if head.startswith((b"{", b"[")):
        return "json"
    if name.endswith((".csv", ".tsv")) or (head and b"\n" in head and b"," in head.split(b"\n")[0]):
        return "csv"
    return "unknown"


def payload_kind(root: object, format: str) -> str:
    """The document kind of a read payload: the XML document's name, else a fixed word.

    JSON documents may say what they are in a top-level ``document_type``; otherwise a JSON
    payload is an ``order``, and a sheet is a ``reorder`` sheet.
    """
    if format == "xml":
        from lxml import etree

        return xml_kind(root) if isinstance(root, etree._Element) else "unknown"
    if format == "json":
        value = root.value if isinstance(root, JsonNode) else None
        kind = value.get("document_type") if isinstance(value, dict) else None
        return kind if isinstance(kind, str) and kind else "order"
    return "reorder"


@dataclass(frozen=True, slots=True)
class TreeFormat:
    """How one tree format compiles paths, reads payloads and names nodes in errors."""

    compile_path: Callable[[str, Mapping[str, str]], TreePath]
    read: Callable[[bytes, PayloadLimits], object]
    describe: Callable[[object], Spot]


TREE_FORMATS: dict[str, TreeFormat] = {
    "xml": TreeFormat(XPathAddress, parse_xml, describe_element),
    "json": TreeFormat(lambda text, ns: JsonAddress(text), parse_json, describe_json),
    "csv": TreeFormat(lambda text, ns: ColumnAddress(text), read_csv, describe_rows),
    "xlsx": TreeFormat(lambda text, ns: ColumnAddress(text), read_xlsx, describe_rows),
}
"""Sheet maps work for both CSV and XLSX: a map of either format reads the other."""
