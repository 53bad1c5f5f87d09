"""Shared pieces of the X12 reader tests: where the samples are, how to read and summarise them."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from b2bbridge.core.edi.events import (
    Event,
    GroupEnd,
    GroupStart,
    InterchangeEnd,
    InterchangeStart,
    TransactionEnd,
    TransactionStart,
)
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.edi.x12.reader import read_x12_events
from b2bbridge.core.errors import Problem

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "x12"
CORPUS = REPO.parent / "shared" / "corpus"

ISA_PLAIN = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
    "*241104*0930*U*00401*000000001*0*P*>~"
)


def read(data: bytes, options: ReadOptions | None = None) -> list[Event]:
    """Every event of ``data``."""
    return list(read_x12_events(io.BytesIO(data), options or ReadOptions(file="test.edi")))


def x12(*body: str, isa: str = ISA_PLAIN, term: str = "~\n") -> bytes:
    """An interchange: the ISA, its terminator swapped for ``term``, then ``body`` segments."""
    return (isa[:-1] + term + "".join(s + term for s in body)).encode("latin-1")


def order(ctrl: str = "0001", lines: int = 1) -> list[str]:
    """One small 850, ST to SE, with a correct SE01."""
    body = [f"ST*850*{ctrl}", "BEG*00*SA*PO1**20241104"]
    body += [f"PO1*{n}*1*EA*2.50**UP*01234567890{n}" for n in range(1, lines + 1)]
    return [*body, f"SE*{len(body) + 1}*{ctrl}"]


def group(*transactions: list[str], ctrl: str = "1", count: int | None = None) -> list[str]:
    n = len(transactions) if count is None else count
    gs = f"GS*PO*SENDER*RECEIVER*20241104*0930*{ctrl}*X*004010"
    return [gs, *(s for t in transactions for s in t), f"GE*{n}*{ctrl}"]


def problems(events: list[Event]) -> list[Problem]:
    return [e for e in events if isinstance(e, Problem)]


def codes(events: list[Event]) -> list[str]:
    return [p.code for p in problems(events)]


def error_codes(events: list[Event]) -> list[str]:
    return [p.code for p in problems(events) if p.is_error]


def segments(events: list[Event]) -> list[Segment]:
    """Every segment in file order, envelope segments included."""
    out: list[Segment] = []
    for e in events:
        if isinstance(e, Segment):
            out.append(e)
        elif isinstance(e, (InterchangeStart, GroupStart, TransactionStart)) and e.header.segment:
            out.append(e.header.segment)
        elif isinstance(e, (TransactionEnd, GroupEnd, InterchangeEnd)) and e.trailer:
            out.append(e.trailer)
    return out


@dataclass
class Shape:
    """The envelope structure of a file: control numbers, nested."""

    interchanges: list[str] = field(default_factory=list)
    groups: list[str | None] = field(default_factory=list)
    transactions: list[str] = field(default_factory=list)
    body_segments: int = 0


def shape(events: list[Event]) -> Shape:
    s = Shape()
    for e in events:
        if isinstance(e, InterchangeStart):
            s.interchanges.append(e.header.control_number)
        elif isinstance(e, GroupStart):
            s.groups.append(e.header.control_number)
        elif isinstance(e, TransactionStart):
            s.transactions.append(e.header.control_number)
        elif isinstance(e, Segment):
            s.body_segments += 1
    return s


def fingerprint(events: list[Event]) -> list[tuple[object, ...]]:
    """What two reads must agree on: event kinds, segment values and places, problem codes."""
    out: list[tuple[object, ...]] = []
    for e in events:
        if isinstance(e, Segment):
            out.append(("seg", tuple(e.elements), e.offset, e.line, e.index))
        elif isinstance(e, Problem):
            loc = e.location
            out.append(("problem", e.code, loc.byte_offset, loc.line, loc.segment_index))
        else:
            out.append((type(e).__name__,))
    return out
