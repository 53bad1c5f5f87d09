"""read_events: sniff the standard and dispatch, for files, pipes and unknown input."""

from __future__ import annotations

import io

from b2bbridge.core.edi.events import InterchangeStart, TransactionStart
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.edi.reader import read_bytes_events, read_events
from b2bbridge.core.errors import Problem
from tests.core.edi.x12_support import CORPUS, FIXTURES, fingerprint, read

CLEAN = (FIXTURES / "850_two_pos.edi").read_bytes()


class _Pipe(io.RawIOBase):
    """A source that cannot seek, handing out at most 100 bytes a read."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        size = 100 if size < 0 else min(size, 100)
        out, self.data = self.data[:size], self.data[size:]
        return out


def test_x12_is_read_by_the_x12_reader() -> None:
    events = list(read_events(io.BytesIO(CLEAN), ReadOptions(file="test.edi")))
    assert fingerprint(events) == fingerprint(read(CLEAN))


def test_a_pipe_reads_like_a_file() -> None:
    events = list(read_events(_Pipe(CLEAN), ReadOptions(file="test.edi")))  # type: ignore[arg-type]
    assert fingerprint(events) == fingerprint(read(CLEAN))


def test_offsets_count_from_where_the_source_stood() -> None:
    source = io.BytesIO(b"xx" + CLEAN)
    source.read(2)
    starts = [e for e in read_events(source) if isinstance(e, TransactionStart)]
    assert [s.header.segment.offset for s in starts] == [
        CLEAN.index(b"ST*850*0001"),
        CLEAN.index(b"ST*850*0002"),
    ]


def test_unknown_input_is_a_single_not_edi_problem() -> None:
    data = (CORPUS / "malformed" / "not_edi_random_text.edi").read_bytes()
    events = list(read_bytes_events(data, ReadOptions(file="not_edi.txt")))
    assert len(events) == 1
    (problem,) = events
    assert isinstance(problem, Problem)
    assert (problem.code, problem.location.file, problem.location.byte_offset) == (
        "not_edi",
        "not_edi.txt",
        0,
    )


def test_edifact_is_handed_to_the_edifact_reader() -> None:
    data = (CORPUS / "edifact" / "orders_d96a_minimal_unoc.edi").read_bytes()
    first = next(iter(read_bytes_events(data)))
    assert isinstance(first, InterchangeStart)
    assert first.header.syntax == "edifact"


def test_a_closed_source_is_a_problem_not_an_exception() -> None:
    source = io.BytesIO(CLEAN)
    source.close()
    (problem,) = list(read_events(source, ReadOptions(file="gone.edi")))
    assert isinstance(problem, Problem)
    assert (problem.code, problem.location.file) == ("source_unreadable", "gone.edi")
