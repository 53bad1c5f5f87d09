"""The X12 reader: layouts, delimiters, places, headers and streaming."""

from __future__ import annotations

import io
import tracemalloc
from datetime import date
from pathlib import Path

import pytest

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
from b2bbridge.core.edi.x12.reader import _Reader, read_x12_events
from b2bbridge.core.errors import Severity
from tests.core.edi.x12_support import (
    CORPUS,
    FIXTURES,
    ISA_PLAIN,
    codes,
    fingerprint,
    group,
    order,
    problems,
    read,
    segments,
    shape,
    x12,
)

CLEAN = (FIXTURES / "850_two_pos.edi").read_bytes()


def headers_of(events: list[Event]) -> InterchangeStart:
    first = events[0]
    assert isinstance(first, InterchangeStart)
    return first


def test_clean_850_yields_envelope_events_in_file_order() -> None:
    kinds = [type(e).__name__ for e in read(CLEAN) if not isinstance(e, Segment)]
    assert kinds == [
        "InterchangeStart",
        "GroupStart",
        "TransactionStart",
        "TransactionEnd",
        "TransactionStart",
        "TransactionEnd",
        "GroupEnd",
        "InterchangeEnd",
    ]


def test_clean_850_has_no_problems_and_the_right_counts() -> None:
    events = read(CLEAN)
    assert problems(events) == []
    ends = [e for e in events if isinstance(e, TransactionEnd)]
    assert [(e.header.control_number, e.segment_count) for e in ends] == [("0001", 10), ("0002", 7)]
    (gend,) = [e for e in events if isinstance(e, GroupEnd)]
    (iend,) = [e for e in events if isinstance(e, InterchangeEnd)]
    assert (gend.transaction_count, iend.group_count) == (2, 1)


def test_segment_offsets_point_at_the_tag_bytes() -> None:
    for seg in segments(read(CLEAN)):
        assert CLEAN[seg.offset : seg.offset + len(seg.tag)] == seg.tag.encode()


def test_segment_lines_and_indexes_count_from_one_with_isa_first() -> None:
    segs = segments(read(CLEAN))
    assert [(s.tag, s.line, s.index) for s in segs[:4]] == [
        ("ISA", 1, 1),
        ("GS", 2, 2),
        ("ST", 3, 3),
        ("BEG", 4, 4),
    ]
    assert (segs[-1].tag, segs[-1].line, segs[-1].index) == ("IEA", 21, 21)


def test_interchange_header_is_decoded_from_the_isa() -> None:
    header = headers_of(read(CLEAN)).header
    assert header.control_number == "000000123"
    assert (header.sender.qualifier, header.sender.id) == ("ZZ", "ACMEBUYER")
    assert (header.receiver.qualifier, header.receiver.id) == ("ZZ", "WIDGETCO")
    assert (header.date, header.time) == (date(2024, 11, 4), "09:30")
    assert (header.version, header.test, header.ack_requested) == ("00401", True, False)
    assert (header.syntax, header.encoding) == ("x12", "latin-1")
    assert header.delimiters.as_dict() == {
        "element": "*",
        "component": ">",
        "segment": "~",
        "repetition": None,
        "release": None,
        "decimal": ".",
    }


def test_group_header_is_decoded_from_the_gs() -> None:
    (start,) = [e for e in read(CLEAN) if isinstance(e, GroupStart)]
    h = start.header
    assert (h.functional_id, h.control_number, h.version) == ("PO", "123", "004010")
    assert (h.date, h.time) == (date(2024, 11, 4), "09:30")
    assert h.sender is not None
    assert h.sender.id == "ACMEBUYER"


def test_transaction_version_is_st03_or_else_gs08() -> None:
    data = x12(*group(["ST*850*0001*005010X999", "SE*2*0001"], order("0002")), "IEA*1*000000001")
    starts = [e.header for e in read(data) if isinstance(e, TransactionStart)]
    assert [(h.type, h.version, h.group_control_number) for h in starts] == [
        ("850", "005010X999", "1"),
        ("850", "004010", "1"),
    ]


def test_wrapped_file_at_80_columns_reads_like_unwrapped() -> None:
    wrapped = read((FIXTURES / "850_two_pos_wrapped_80.edi").read_bytes())
    plain = read(CLEAN)
    assert problems(wrapped) == []
    assert [s.elements for s in segments(wrapped)] == [s.elements for s in segments(plain)]


def test_wrapped_segments_keep_their_place_in_the_wrapped_file() -> None:
    data = (FIXTURES / "850_two_pos_wrapped_80.edi").read_bytes()
    segs = segments(read(data))
    st = segs[2]
    assert (st.tag, st.line, st.offset) == ("ST", 2, 159)
    assert data[159:161] == b"ST"


@pytest.mark.parametrize("width", [15, 50, 79])
def test_wrapping_at_any_width_reads_like_unwrapped(width: int) -> None:
    flat = CLEAN.replace(b"\n", b"")
    wrapped = b"\r\n".join(flat[i : i + width] for i in range(0, len(flat), width))
    events = read(wrapped)
    assert problems(events) == []
    assert [s.elements for s in segments(events)] == [s.elements for s in segments(read(CLEAN))]


def test_bom_crlf_and_indentation_read_like_plain() -> None:
    lines = CLEAN.decode().splitlines()
    pretty = ("\ufeff" + "\r\n".join("  " * (i % 3) + ln for i, ln in enumerate(lines))).encode()
    events = read(pretty)
    assert problems(events) == []
    assert [s.elements for s in segments(events)] == [s.elements for s in segments(read(CLEAN))]
    for seg in segments(events):
        assert pretty[seg.offset : seg.offset + len(seg.tag)] == seg.tag.encode()


def test_newline_as_segment_terminator() -> None:
    data = CLEAN.replace(b"~\n", b"\n")
    events = read(data)
    header = headers_of(events).header
    assert header.delimiters.segment == "\n"
    assert problems(events) == []
    assert [s.elements for s in segments(events)] == [s.elements for s in segments(read(CLEAN))]


def test_crlf_as_segment_terminator_is_reported_as_crlf() -> None:
    events = read(CLEAN.replace(b"~\n", b"\r\n"))
    assert headers_of(events).header.delimiters.segment == "\r\n"
    assert shape(events).transactions == ["0001", "0002"]
    assert all(not s.elements[-1].endswith("\r") for s in segments(events))


def test_segments_on_one_line_read_like_one_per_line() -> None:
    events = read(CLEAN.replace(b"\n", b""))
    assert problems(events) == []
    assert [s.elements for s in segments(events)] == [s.elements for s in segments(read(CLEAN))]


def test_repetition_separator_comes_from_isa11_from_version_00402() -> None:
    isa5010 = ISA_PLAIN.replace("*U*00401*", "*^*00501*")
    events = read(x12(*group(order()), "IEA*1*000000001", isa=isa5010))
    assert headers_of(events).header.delimiters.repetition == "^"
    isa4010 = ISA_PLAIN.replace("*U*00401*", "*^*00401*")
    events = read(x12(*group(order()), "IEA*1*000000001", isa=isa4010))
    assert headers_of(events).header.delimiters.repetition is None


def test_unpadded_isa_reads_with_a_warning() -> None:
    isa = "ISA*00**00**ZZ*SENDER*ZZ*RECEIVER*241104*0930*U*00401*000000001*0*P*>~"
    events = read(x12(*group(order()), "IEA*1*000000001", isa=isa))
    (problem,) = problems(events)
    assert (problem.code, problem.severity) == ("isa_not_padded", Severity.WARNING)
    header = headers_of(events).header
    assert (header.sender.id, header.delimiters.component, header.delimiters.segment) == (
        "SENDER",
        ">",
        "~",
    )
    assert shape(events).transactions == ["0001"]


def test_each_interchange_uses_its_own_delimiters() -> None:
    first = x12(*group(order("0001")), "IEA*1*000000001")
    isa2 = ISA_PLAIN.replace("*", "|").replace("000000001", "000000002").replace(">~", ":!")
    second_body = [s.replace("*", "|") for s in group(order("0002"))]
    second = x12(*second_body, "IEA|1|000000002", isa=isa2, term="!\n")
    events = read(first + second)
    assert problems(events) == []
    starts = [e.header for e in events if isinstance(e, InterchangeStart)]
    assert [(h.control_number, h.delimiters.element, h.delimiters.segment) for h in starts] == [
        ("000000001", "*", "~"),
        ("000000002", "|", "!"),
    ]
    assert shape(events).transactions == ["0001", "0002"]


def test_ta1_only_interchange_has_no_group() -> None:
    events = read(x12("TA1*000000007*241104*0930*A*000", "IEA*0*000000001"))
    assert problems(events) == []
    (ta1,) = [e for e in events if isinstance(e, Segment)]
    assert (ta1.tag, ta1.raw(1), ta1.index) == ("TA1", "000000007", 2)
    (end,) = [e for e in events if isinstance(e, InterchangeEnd)]
    assert end.group_count == 0


def test_isb_and_ise_stand_between_isa_and_gs() -> None:
    events = read(x12("ISB*1", "ISE*200601*0515*04", *group(order()), "IEA*1*000000001"))
    assert problems(events) == []
    bare = [e.tag for e in events[:4] if isinstance(e, Segment)]
    assert bare == ["ISB", "ISE"]


def test_utf8_multibyte_terminator_is_kept_whole() -> None:
    data = CLEAN.replace(b"~", "\u2026".encode())
    events = read(data)
    assert problems(events) == []
    assert headers_of(events).header.delimiters.segment == "\u2026"
    segs = segments(events)
    assert [s.elements for s in segs] == [s.elements for s in segments(read(CLEAN))]
    assert all(data[s.offset : s.offset + len(s.tag)] == s.tag.encode() for s in segs)


def test_preamble_is_an_error_unless_stripping_is_allowed() -> None:
    data = b"From: partner@example.com\r\nSubject: orders\r\n\r\n" + CLEAN
    strict = read(data)
    assert [(p.code, p.severity) for p in problems(strict)] == [
        ("preamble_stripped", Severity.ERROR)
    ]
    assert problems(strict)[0].location.byte_offset == 0
    lenient = read(data, ReadOptions(strip_preamble=True))
    assert [(p.code, p.severity) for p in problems(lenient)] == [
        ("preamble_stripped", Severity.WARNING)
    ]
    assert shape(lenient).transactions == ["0001", "0002"]


def test_text_without_isa_is_one_not_edi_problem() -> None:
    events = read(b"Tk9OIEVESSBGSUxF just some text\n")
    assert [(type(e).__name__, getattr(e, "code", None)) for e in events] == [
        ("Problem", "not_edi")
    ]


def test_an_empty_file_is_not_edi() -> None:
    assert codes(read(b"")) == ["not_edi"]


def test_bytes_after_the_last_interchange_are_trailing_garbage() -> None:
    events = read(CLEAN + b"-- end of message --\n")
    (problem,) = problems(events)
    assert (problem.code, problem.location.byte_offset) == ("trailing_garbage", len(CLEAN))
    assert shape(events).transactions == ["0001", "0002"]


def test_small_chunks_give_the_same_events_as_one_chunk() -> None:
    data = CLEAN + CLEAN.replace(b"000000123", b"000000124")
    one = read(data, ReadOptions(chunk_size=1 << 20))
    small = read(data, ReadOptions(chunk_size=512))
    assert fingerprint(small) == fingerprint(one)
    assert len(shape(one).interchanges) == 2


def test_fast_loop_segments_equal_constructed_segments() -> None:
    body = [s for s in segments(read(CLEAN)) if type(s) is Segment]
    for seg in body:
        # The text the fast loop keeps is the segment as read: its elements joined again.
        assert seg.text == seg.delimiters.element.join(seg.elements)
        built = Segment(seg.elements, seg.delimiters, seg.offset, seg.line, seg.index, seg.text)
        assert {n: getattr(seg, n) for n in Segment.__slots__} == {
            n: getattr(built, n) for n in Segment.__slots__
        }


class _Broken(io.RawIOBase):
    """A source that fails after its first read."""

    def __init__(self, first: bytes) -> None:
        self.first: bytes | None = first

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.first is None:
            raise OSError("connection reset")
        data, self.first = self.first, None
        return data


def test_a_read_error_is_a_problem_not_an_exception() -> None:
    events = list(read_x12_events(_Broken(CLEAN[:300]), ReadOptions(chunk_size=512)))  # type: ignore[arg-type]
    assert codes(events)[0] == "source_unreadable"
    assert "interchange_trailer_missing" in codes(events)
    assert isinstance(events[-1], InterchangeEnd)


class _Repeating(io.RawIOBase):
    """An interchange with ``n`` orders, produced on the fly so the input is never in memory."""

    def __init__(self, n: int) -> None:
        one = "".join(s + "~\n" for s in order("0001", lines=20)).encode()
        head = (ISA_PLAIN + "\n" + group(count=n)[0] + "~\n").encode()
        self.parts = iter([head, *([one] * n), f"GE*{n}*1~\nIEA*1*000000001~\n".encode()])
        self.buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while len(self.buffer) < size:
            part = next(self.parts, None)
            if part is None:
                break
            self.buffer += part
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data


def peak_memory(n: int) -> tuple[int, int]:
    tracemalloc.start()
    segs = 0
    for e in read_x12_events(_Repeating(n), ReadOptions(chunk_size=1 << 16)):  # type: ignore[arg-type]
        segs += isinstance(e, Segment)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, segs


def test_memory_stays_flat_as_the_file_grows() -> None:
    small_peak, small_segs = peak_memory(500)
    big_peak, big_segs = peak_memory(5000)
    assert (small_segs, big_segs) == (500 * 21, 5000 * 21)
    assert big_peak < small_peak * 1.5


def test_an_unreadable_isa_is_reported_and_the_next_interchange_still_read() -> None:
    bad = b"ISA*00*0*00*0*ZZ*SENDER~GS*PO~"
    events = read(bad + b"\n" + CLEAN)
    assert [(p.code, p.location.byte_offset) for p in problems(events)] == [
        ("isa_invalid", 0),
        ("trailing_garbage", 3),
    ]
    assert "could not be read" in problems(events)[1].message
    assert shape(events).transactions == ["0001", "0002"]


def test_an_unpadded_isa_may_contain_isa_inside_a_value() -> None:
    isa = "ISA*00**00**ZZ*VISA*ZZ*RECEIVER*241104*0930*U*00401*000000001*0*P*>~"
    events = read(x12(*group(order()), "IEA*1*000000001", isa=isa))
    assert codes(events) == ["isa_not_padded"]
    assert headers_of(events).header.sender.id == "VISA"


@pytest.mark.parametrize(
    "path",
    sorted([*(CORPUS / "x12").glob("*.edi"), *FIXTURES.glob("*.edi")]),
    ids=lambda p: p.name,
)
def test_careful_loop_reads_like_the_fast_loop(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    fast = fingerprint(read(data))
    monkeypatch.setattr(_Reader, "regular", lambda self, body, pieces: False)
    assert fingerprint(read(data)) == fast
