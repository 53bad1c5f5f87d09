"""Tell X12 from EDIFACT by the first bytes of a file, and where its first header starts.

Only the head of the file is looked at (a few KB is plenty). A UTF-8 byte order mark and
blank bytes (spaces, tabs, line breaks) before the header are normal and skipped. Other
bytes before the header are a *preamble* (a mail header, a proprietary banner line): the
header found after them is reported with ``preamble=True`` so that the reader can decide
whether to skip them (``ReadOptions.strip_preamble``).

A header counts only when it is plausible, so that ``VISA`` in a banner is not an X12
interchange: ``ISA`` must be followed by a separator that repeats after ISA01 (always two
characters), ``UNA`` by six service characters, and ``UNB`` by a separator and a
four-character syntax identifier (``UNOC``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Syntax = Literal["x12", "edifact", "unknown"]

BOM = b"\xef\xbb\xbf"
BLANK = b" \t\r\n\x00"
HEADS: tuple[tuple[bytes, Syntax], ...] = (
    (b"ISA", "x12"),
    (b"UNA", "edifact"),
    (b"UNB", "edifact"),
)


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the head of a file is.

    ``offset`` is the byte offset of the first header (BOM and blanks included before it),
    0 when the syntax is unknown. ``preamble`` is True when non-blank bytes precede it.
    """

    syntax: Syntax
    offset: int
    bom: bool
    preamble: bool = False


def sniff(head: bytes) -> Sniffed:
    """Classify ``head``, the first bytes of a file."""
    bom = head.startswith(BOM)
    start = len(BOM) if bom else 0
    while start < len(head) and head[start] in BLANK:
        start += 1
    syntax = _header_at(head, start)
    if syntax != "unknown":
        return Sniffed(syntax, start, bom)
    found = [(at, kind) for at, kind in (_find(head, tag, start) for tag, _ in HEADS) if at >= 0]
    if not found:
        return Sniffed("unknown", 0, bom)
    at, kind = min(found)
    return Sniffed(kind, at, bom, preamble=True)


def _find(head: bytes, tag: bytes, start: int) -> tuple[int, Syntax]:
    at = head.find(tag, start + 1)
    while at >= 0:
        kind = _header_at(head, at)
        if kind != "unknown":
            return at, kind
        at = head.find(tag, at + 1)
    return -1, "unknown"


def _header_at(head: bytes, at: int) -> Syntax:
    tag = head[at : at + 3]
    if tag == b"ISA":
        return "x12" if _plausible_isa(head, at) else "unknown"
    if tag == b"UNA":
        return "edifact" if _plausible_una(head, at) else "unknown"
    if tag == b"UNB":
        return "edifact" if _plausible_unb(head, at) else "unknown"
    return "unknown"


def _is_separator(byte: int) -> bool:
    return not chr(byte).isalnum() and byte not in BLANK


def _plausible_isa(head: bytes, at: int) -> bool:
    if len(head) < at + 7:
        return False
    sep = head[at + 3]
    return _is_separator(sep) and head[at + 6] == sep


def _plausible_una(head: bytes, at: int) -> bool:
    chars = head[at + 3 : at + 9]
    return len(chars) == 6 and _is_separator(chars[0]) and _is_separator(chars[1])


def _plausible_unb(head: bytes, at: int) -> bool:
    ident = head[at + 4 : at + 8]
    return len(ident) == 4 and _is_separator(head[at + 3]) and ident.isalnum()
