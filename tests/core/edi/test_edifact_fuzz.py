"""Random damage to real EDIFACT files yields events and Problems, never an exception.

Beyond not raising, the event stream must stay well nested whatever the input: every
start has its end, in order, so consumers can rely on the shape even for garbage.
"""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b2bbridge.core.edi.edifact.reader import read_edifact_events
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
from b2bbridge.core.errors import Problem

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"
SOURCES = sorted(
    p
    for p in [
        *CORPUS.glob("edifact/*.edi"),
        *CORPUS.glob("malformed/*.edi"),
        *FIXTURES.glob("*.edi"),
    ]
    if p.stat().st_size < 4000 and not p.name[0].isdigit()
)
SAMPLES = [p.read_bytes() for p in SOURCES]
SPECIAL = b"UNABGHTZ'+:?*\n\r \x1c\x1d\x1f\xc3\xa9\xef"

OPEN = {InterchangeStart: 0, GroupStart: 1, TransactionStart: 2}
CLOSE = {InterchangeEnd: 0, GroupEnd: 1, TransactionEnd: 2}


def check_nesting(events: list[Event]) -> None:
    """Starts and ends pair up level by level: interchange, group, message."""
    depth = -1
    for e in events:
        assert isinstance(e, (Segment, Problem, *OPEN, *CLOSE))
        level = OPEN.get(type(e))
        if level is not None:
            assert level == depth + 1
            depth = level
        level = CLOSE.get(type(e))
        if level is not None:
            assert level == depth
            depth = level - 1
    assert depth == -1


def check_offsets(events: list[Event], size: int) -> None:
    """Every segment and problem points inside the file (its end at most)."""
    for e in events:
        if isinstance(e, Segment):
            assert 0 <= e.offset < size
        elif isinstance(e, Problem) and e.location.byte_offset is not None:
            assert 0 <= e.location.byte_offset <= size


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 8))):
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        action = draw(st.sampled_from(["replace", "insert", "delete", "truncate", "append"]))
        byte = draw(st.sampled_from(SPECIAL) | st.integers(0, 255))
        if action == "replace" and data:
            data[pos] = byte
        elif action == "insert":
            data.insert(pos, byte)
        elif action == "delete" and data:
            del data[pos]
        elif action == "truncate":
            del data[pos:]
        else:
            data.append(byte)
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(), chunk=st.sampled_from([1, 3, 16, 1 << 20]), strict=st.booleans())
def test_mutated_corpus_files_yield_only_well_nested_events(
    data: bytes, chunk: int, strict: bool
) -> None:
    options = ReadOptions(chunk_size=chunk, charset_policy="strict" if strict else "lenient")
    events = list(read_edifact_events(io.BytesIO(data), options))
    check_nesting(events)
    check_offsets(events, len(data))


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    events = list(read_edifact_events(io.BytesIO(data), ReadOptions(chunk_size=7)))
    check_nesting(events)


def test_every_sample_reads_the_same_in_tiny_chunks() -> None:
    """Same segments and same problems; a charset problem may surface later in the stream."""
    for sample in SAMPLES:
        whole = list(read_edifact_events(io.BytesIO(sample), ReadOptions()))
        tiny = list(read_edifact_events(io.BytesIO(sample), ReadOptions(chunk_size=3)))
        assert _segments(tiny) == _segments(whole)
        assert sorted(_problems(tiny)) == sorted(_problems(whole))
    assert len(SAMPLES) >= 20


def _segments(events: list[Event]) -> list[tuple[int, int, int, list[str]]]:
    return [(e.offset, e.line, e.index, e.elements) for e in events if isinstance(e, Segment)]


def _problems(events: list[Event]) -> list[tuple[str, int, int]]:
    return [
        (e.code, e.location.byte_offset or -1, e.location.line or -1)
        for e in events
        if isinstance(e, Problem)
    ]
