"""Test support for the mapping tests: hand-split EDI text, and mapping files read from disk.

The splitters are deliberately simple (no envelope checks): they let the mapping tests
build Segment values without depending on the readers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from b2bbridge.core.edi.events import Transaction, collect_transactions
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.edi.segments import EDIFACT_DEFAULT, X12_DEFAULT, Delimiters, Segment
from b2bbridge.core.mapping.loader import load_mapping
from b2bbridge.core.mapping.spec import MappingSpec

REPO = Path(__file__).resolve().parents[3]
MAPPINGS = REPO / "mappings"
FIXTURES = REPO / "tests" / "fixtures" / "mapping"
CORPUS = REPO.parent / "shared" / "corpus"


def resolver(root: Path, extra: dict[str, str] | None = None) -> Callable[[str], str]:
    """A resolve function over ``root``; ``extra`` names win (texts kept in the test)."""
    known = extra or {}

    def resolve(name: str) -> str:
        if name in known:
            return known[name]
        return (root / name).read_text(encoding="utf-8")

    return resolve


def load(name: str, extra: dict[str, str] | None = None) -> MappingSpec:
    """Load ``mappings/<name>``, or a text from ``extra`` under that name."""
    resolve = resolver(MAPPINGS, extra)
    return load_mapping(resolve(name), source_name=name, resolve=resolve)


def x12_segments(text: str, delimiters: Delimiters = X12_DEFAULT) -> list[Segment]:
    """Split X12 text on the segment terminator, then on the element separator."""
    raw = [s.strip() for s in text.split(delimiters.segment)]
    return [
        Segment(s.split(delimiters.element), delimiters, index=i)
        for i, s in enumerate((s for s in raw if s), start=1)
    ]


def edifact_segments(text: str, delimiters: Delimiters = EDIFACT_DEFAULT) -> list[Segment]:
    """Split EDIFACT text honouring the release character (a UNA, if any, is dropped)."""
    if text.startswith("UNA"):
        text = text[9:]
    raw = [s.strip() for s in delimiters.split(text, delimiters.segment)]
    return [
        Segment(delimiters.split(s, delimiters.element), delimiters, index=i)
        for i, s in enumerate((s for s in raw if s), start=1)
    ]


def transactions(segments: list[Segment], start: str, end: str) -> list[list[Segment]]:
    """The ST..SE (or UNH..UNT) runs of a segment list."""
    out: list[list[Segment]] = []
    current: list[Segment] | None = None
    for seg in segments:
        if seg.tag == start:
            current = [seg]
        elif current is not None:
            current.append(seg)
            if seg.tag == end:
                out.append(current)
                current = None
    return out


def corpus_x12(name: str) -> list[list[Segment]]:
    """The 850s of a corpus file, split with the delimiters its ISA declares."""
    text = (CORPUS / "x12" / name).read_text(encoding="utf-8-sig").lstrip()
    isa = text[:106]
    term = isa[105] if isa[105] not in "\r\n" else "\n"
    delims = Delimiters(element=isa[3], component=isa[104], segment=term)
    return transactions(x12_segments(text, delims), "ST", "SE")


def corpus_edifact(name: str) -> list[list[Segment]]:
    """The messages of a corpus file (Latin-1 bytes decode as they are)."""
    text = (CORPUS / "edifact" / name).read_bytes().decode("latin-1").strip()
    delims = EDIFACT_DEFAULT
    if text.startswith("UNA"):
        una = text[3:9]
        delims = Delimiters(una[1], una[0], una[5], None, una[3] if una[3] != " " else None)
    return transactions(edifact_segments(text, delims), "UNH", "UNT")


def read_transactions(path: Path) -> list[Transaction]:
    """Every transaction of an EDI file, through the real reader (imported here, so the
    unit tests of the mapping engine do not depend on the readers)."""
    from b2bbridge.core.edi.reader import read_events

    with path.open("rb") as source:
        events = read_events(source, ReadOptions(file=path.name))
        return [t for t in collect_transactions(events) if isinstance(t, Transaction)]
