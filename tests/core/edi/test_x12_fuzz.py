"""Random byte mutations of real X12 files yield events and problems, never an exception.

Beyond "no exception", each read must keep the stream's promises: every start has its end,
segments come in file order with offsets inside the file, and reading in tiny chunks gives
exactly what reading in one chunk gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b2bbridge.core.edi.events import (
    GroupEnd,
    GroupStart,
    InterchangeEnd,
    InterchangeStart,
    TransactionEnd,
    TransactionStart,
)
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.errors import Problem
from tests.core.edi.x12_support import CORPUS, FIXTURES, fingerprint, read, segments

SOURCES = sorted(
    [*(CORPUS / "x12").glob("*.edi"), *FIXTURES.glob("*.edi")]
    + [p for p in (CORPUS / "malformed").glob("*.edi") if p.name[0].isdigit()]
)
EVENT_TYPES = (
    InterchangeStart,
    InterchangeEnd,
    GroupStart,
    GroupEnd,
    TransactionStart,
    TransactionEnd,
    Segment,
    Problem,
)
SPECIAL = b"~*>^:|\r\n \t\xef\xbb\xbfISAGSSTSEGEIEA0123456789"

mutation = st.tuples(
    st.sampled_from(["replace", "delete", "insert"]),
    st.floats(min_value=0, max_value=1, exclude_max=True),
    st.sampled_from(list(SPECIAL)) | st.integers(min_value=0, max_value=255),
)


def mutate(data: bytes, changes: list[tuple[str, float, int]]) -> bytes:
    buf = bytearray(data)
    for kind, where, byte in changes:
        at = int(where * len(buf)) if buf else 0
        if kind == "insert" or not buf:
            buf.insert(at, byte)
        elif kind == "delete":
            del buf[at]
        else:
            buf[at] = byte
    return bytes(buf)


def balanced(events: Sequence[object], start: type, end: type) -> bool:
    depth = 0
    for e in events:
        if isinstance(e, start):
            if depth:
                return False
            depth = 1
        elif isinstance(e, end):
            if not depth:
                return False
            depth = 0
    return depth == 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    source=st.sampled_from(SOURCES),
    changes=st.lists(mutation, min_size=1, max_size=6),
)
def test_mutated_files_yield_only_well_ordered_events(
    source: Path, changes: list[tuple[str, float, int]]
) -> None:
    data = mutate(source.read_bytes(), changes)
    events = read(data)
    assert all(isinstance(e, EVENT_TYPES) for e in events)
    assert balanced(events, InterchangeStart, InterchangeEnd)
    assert balanced(events, TransactionStart, TransactionEnd)
    offsets = [s.offset for s in segments(events)]
    assert offsets == sorted(set(offsets))
    assert all(0 <= off < len(data) for off in offsets)
    assert fingerprint(read(data, ReadOptions(file="test.edi", chunk_size=512))) == fingerprint(
        events
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.sampled_from(SOURCES),
    second=st.sampled_from(SOURCES),
    cut=st.floats(min_value=0, max_value=1),
    resume=st.floats(min_value=0, max_value=1),
)
def test_two_files_spliced_anywhere_read_without_exception(
    first: Path, second: Path, cut: float, resume: float
) -> None:
    a, b = first.read_bytes(), second.read_bytes()
    data = a[: int(cut * len(a))] + b[int(resume * len(b)) :]
    events = read(data)
    assert all(isinstance(e, EVENT_TYPES) for e in events)
    assert balanced(events, InterchangeStart, InterchangeEnd)
    assert balanced(events, GroupStart, GroupEnd)
    assert fingerprint(read(data, ReadOptions(file="test.edi", chunk_size=512))) == fingerprint(
        events
    )
