"""The EDIFACT reader on the project's own fixtures and on small hand-made interchanges."""

from __future__ import annotations

import io
import tracemalloc
from datetime import date
from pathlib import Path

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
from b2bbridge.core.errors import Problem, Severity

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"


def read(data: bytes, chunk_size: int = 1 << 20, strip_preamble: bool = False) -> list[Event]:
    opts = ReadOptions(file="test.edi", chunk_size=chunk_size, strip_preamble=strip_preamble)
    return list(read_edifact_events(io.BytesIO(data), opts))


def read_fixture(name: str) -> list[Event]:
    return read((FIXTURES / name).read_bytes())


def problems(events: list[Event]) -> list[Problem]:
    return [e for e in events if isinstance(e, Problem)]


def codes(events: list[Event]) -> list[str]:
    return [p.code for p in problems(events)]


def segments(events: list[Event]) -> list[Segment]:
    return [e for e in events if isinstance(e, Segment)]


def kinds(events: list[Event]) -> list[str]:
    return [type(e).__name__ for e in events if not isinstance(e, Segment | Problem)]


ENVELOPE = (
    b"UNA:+.? '"
    b"UNB+UNOC:3+SENDER:14+RECEIVER:14+240115:1200+IC1'"
    b"UNH+1+ORDERS:D:96A:UN'BGM+220+PO1+9'UNT+3+1'"
    b"UNZ+1+IC1'"
)


def test_clean_fixture_yields_two_messages_and_no_problems() -> None:
    events = read_fixture("orders_d96a_two_messages.edi")
    starts = [e.header for e in events if isinstance(e, TransactionStart)]
    assert [(h.type, h.control_number, h.version) for h in starts] == [
        ("ORDERS", "1", "D:96A:UN"),
        ("ORDERS", "2", "D:96A:UN"),
    ]
    assert [e.segment_count for e in events if isinstance(e, TransactionEnd)] == [8, 7]
    assert problems(events) == []


def test_event_order_follows_the_documented_envelope_nesting() -> None:
    events = read_fixture("orders_d96a_two_messages.edi")
    assert kinds(events) == [
        "InterchangeStart",
        "GroupStart",
        "TransactionStart",
        "TransactionEnd",
        "TransactionStart",
        "TransactionEnd",
        "GroupEnd",
        "InterchangeEnd",
    ]


def test_interchange_header_is_decoded_from_unb() -> None:
    events = read_fixture("orders_d96a_two_messages.edi")
    header = next(e.header for e in events if isinstance(e, InterchangeStart))
    assert header.control_number == "ICN0001"
    assert (header.sender.qualifier, header.sender.id) == ("14", "5412345000013")
    assert (header.receiver.qualifier, header.receiver.id) == ("14", "4012345500004")
    assert (header.date.isoformat() if header.date else None, header.time) == (
        "2024-01-15",
        "12:00",
    )
    assert (header.syntax_identifier, header.version, header.encoding) == ("UNOC", "3", "iso8859_1")
    assert (header.test, header.ack_requested) == (False, False)


def test_released_separators_stay_escaped_in_elements_and_unescape_on_demand() -> None:
    events = read_fixture("orders_d96a_two_messages.edi")
    ftx = next(s for s in segments(events) if s.tag == "FTX")
    assert ftx.raw(4) == "HANDLE WITH CARE?: O?'REILLY?+SONS??"
    assert ftx.element(4) == "HANDLE WITH CARE: O'REILLY+SONS?"
    assert len(ftx) == 4


def test_segment_offsets_lines_and_indexes_point_at_the_segment_in_the_file() -> None:
    data = (FIXTURES / "orders_d96a_two_messages.edi").read_bytes()
    events = read(data)
    for seg in segments(events):
        assert data[seg.offset : seg.offset + 3].decode() == seg.tag
        assert data.split(b"\n")[seg.line - 1].startswith(seg.tag.encode())
    assert [s.index for s in segments(events)][:3] == [3, 4, 5]


def test_unb_is_index_one_and_una_is_not_a_segment() -> None:
    events = read_fixture("orders_d96a_two_messages.edi")
    header = next(e.header for e in events if isinstance(e, InterchangeStart))
    assert (header.segment.tag, header.segment.index, header.segment.offset) == ("UNB", 1, 10)
    assert all(s.tag != "UNA" for s in segments(events))


def test_bad_unt_count_fixture_reports_segment_count_mismatch_at_unt() -> None:
    events = read_fixture("orders_d96a_bad_unt_count.edi")
    [problem] = problems(events)
    assert problem.code == "segment_count_mismatch"
    loc = problem.location
    assert (loc.segment_id, loc.element, loc.segment_index, loc.line) == ("UNT", 1, 7, 8)
    assert (loc.interchange, loc.transaction, loc.file) == ("ICN0002", "1", "test.edi")
    end = next(e for e in events if isinstance(e, TransactionEnd))
    assert end.segment_count == 6


def test_small_chunks_read_exactly_like_one_chunk() -> None:
    data = (FIXTURES / "orders_d96a_two_messages.edi").read_bytes()
    whole = [(s.offset, s.line, s.index, s.elements) for s in segments(read(data))]
    for size in (1, 2, 7, 64):
        chunked = [
            (s.offset, s.line, s.index, s.elements) for s in segments(read(data, chunk_size=size))
        ]
        assert chunked == whole


def test_implicit_group_has_no_segment_and_counts_its_messages() -> None:
    events = read_fixture("orders_d96a_two_messages.edi")
    start = next(e for e in events if isinstance(e, GroupStart))
    end = next(e for e in events if isinstance(e, GroupEnd))
    assert (start.header.segment, start.header.control_number) == (None, None)
    assert (end.trailer, end.transaction_count) == (None, 2)
    inter_end = next(e for e in events if isinstance(e, InterchangeEnd))
    assert inter_end.group_count == 2


def test_two_interchanges_with_their_own_una_use_their_own_delimiters() -> None:
    second = (
        b"UNA=*.? ~\nUNB*UNOA=3*S=1*R=1*240115=1200*IC2~"
        b"UNH*7*INVOIC=D=97B=UN~BGM*380~UNT*3*7~UNZ*1*IC2~"
    )
    events = read(ENVELOPE + b"\n" + second)
    headers = [e.header for e in events if isinstance(e, InterchangeStart)]
    assert [(h.control_number, h.delimiters.element, h.delimiters.segment) for h in headers] == [
        ("IC1", "+", "'"),
        ("IC2", "*", "~"),
    ]
    assert [s.elements for s in segments(events)] == [["BGM", "220", "PO1", "9"], ["BGM", "380"]]
    assert problems(events) == []


def test_second_interchange_restarts_segment_index_at_one() -> None:
    events = read(ENVELOPE + ENVELOPE.replace(b"IC1", b"IC2"))
    headers = [e.header for e in events if isinstance(e, InterchangeStart)]
    assert [h.segment.index for h in headers] == [1, 1]
    assert [s.index for s in segments(events)] == [3, 3]


def test_preamble_is_stripped_with_a_warning_when_allowed() -> None:
    events = read(b"DOC+01=header line'\n" + ENVELOPE, strip_preamble=True)
    [problem] = problems(events)
    assert (problem.code, problem.severity, problem.location.byte_offset) == (
        "preamble_stripped",
        Severity.WARNING,
        0,
    )
    assert kinds(events)[0] == "InterchangeStart"


def test_preamble_is_an_error_by_default_but_the_interchange_is_still_read() -> None:
    events = read(b"DOC+01=header line'\n" + ENVELOPE)
    assert codes(events) == ["preamble_invalid"]
    assert [s.tag for s in segments(events)] == ["BGM"]


def test_text_without_any_header_is_not_edi() -> None:
    events = read(b"aGVsbG8gd29ybGQ=\nnot edifact at all\n")
    assert codes(events) == ["not_edi"]
    assert kinds(events) == []


def test_empty_input_is_not_edi() -> None:
    assert codes(read(b"")) == ["not_edi"]


def test_garbage_after_the_last_interchange_is_reported() -> None:
    events = read(ENVELOPE + b"\r\nTHE END\r\n")
    assert codes(events) == ["trailing_garbage"]
    assert problems(events)[0].location.byte_offset == len(ENVELOPE) + 2


def test_missing_unz_closes_everything_and_reports_the_missing_trailers() -> None:
    data = b"UNB+UNOA:3+S+R+240115:1200+IC9'UNH+1+ORDERS:D:96A:UN'BGM+220'"
    events = read(data)
    assert codes(events) == ["transaction_trailer_missing", "interchange_trailer_missing"]
    end = next(e for e in events if isinstance(e, TransactionEnd))
    assert (end.trailer, end.segment_count) == (None, 2)
    assert kinds(events)[-1] == "InterchangeEnd"


def test_last_segment_without_terminator_is_still_read() -> None:
    events = read(ENVELOPE[:-1])
    assert codes(events) == ["segment_unterminated"]
    end = next(e for e in events if isinstance(e, InterchangeEnd))
    assert end.trailer is not None
    assert end.trailer.elements == ["UNZ", "1", "IC1"]


def test_empty_segment_is_reported_and_not_counted() -> None:
    data = ENVELOPE.replace(b"BGM+220+PO1+9'", b"BGM+220+PO1+9''")
    events = read(data)
    assert codes(events) == ["segment_empty"]
    assert problems(events)[0].location.transaction == "1"


def test_segment_outside_a_message_is_reported_and_still_yielded() -> None:
    data = ENVELOPE.replace(b"UNZ+1+IC1'", b"FTX+AAI+++STRAY'UNZ+1+IC1'")
    events = read(data)
    assert codes(events) == ["unexpected_segment_outside_envelope"]
    assert [s.tag for s in segments(events)] == ["BGM", "FTX"]


def test_truncated_interchange_followed_by_another_is_closed_and_the_next_read() -> None:
    first = b"UNA:+.? 'UNB+UNOA:3+S+R+240115:1200+IC1'UNH+1+ORDERS:D:96A:UN'BGM+220'\n"
    events = read(first + ENVELOPE.replace(b"IC1", b"IC2"))
    headers = [e.header.control_number for e in events if isinstance(e, InterchangeStart)]
    assert headers == ["IC1", "IC2"]
    assert codes(events) == ["transaction_trailer_missing", "interchange_trailer_missing"]


def test_wrapped_lines_inside_segments_are_removed() -> None:
    wrapped = b"\n".join(ENVELOPE[i : i + 15] for i in range(0, len(ENVELOPE), 15))
    plain = [s.elements for s in segments(read(ENVELOPE))]
    events = read(wrapped)
    assert [s.elements for s in segments(events)] == plain
    assert problems(events) == []


def test_indentation_and_crlf_between_segments_is_layout() -> None:
    data = ENVELOPE.replace(b"'", b"'\r\n    ")
    events = read(data)
    bgm = segments(events)[0]
    assert bgm.elements == ["BGM", "220", "PO1", "9"]
    assert (bgm.line, data[bgm.offset : bgm.offset + 3]) == (4, b"BGM")
    assert problems(events) == []


def test_unob_without_una_uses_the_information_separators() -> None:
    fs, gs, us = b"\x1c", b"\x1d", b"\x1f"
    data = gs.join([b"UNB", b"UNOB" + us + b"2", b"S", b"R", b"240115" + us + b"1200", b"IC5"]) + fs
    data += gs.join([b"UNH", b"1", b"ORDERS" + us + b"D" + us + b"96A" + us + b"UN"]) + fs
    data += gs.join([b"BGM", b"220+1:2"]) + fs + gs.join([b"UNT", b"3", b"1"]) + fs
    data += gs.join([b"UNZ", b"1", b"IC5"]) + fs
    events = read(data)
    header = next(e.header for e in events if isinstance(e, InterchangeStart))
    assert (header.delimiters.element, header.delimiters.segment, header.delimiters.release) == (
        "\x1d",
        "\x1c",
        None,
    )
    assert segments(events)[0].elements == ["BGM", "220+1:2"]
    assert problems(events) == []


def test_syntax_4_without_una_gets_the_default_repetition_separator() -> None:
    data = ENVELOPE[9:].replace(b"UNOC:3", b"UNOC:4").replace(b"240115", b"20240115")
    events = read(data)
    header = next(e.header for e in events if isinstance(e, InterchangeStart))
    assert (header.delimiters.repetition, header.version) == ("*", "4")
    assert header.date == date(2024, 1, 15)
    assert problems(events) == []


def test_una5_is_ignored_below_syntax_version_4() -> None:
    events = read(ENVELOPE.replace(b"UNA:+.? '", b"UNA:+.?*'"))
    header = next(e.header for e in events if isinstance(e, InterchangeStart))
    assert header.delimiters.repetition is None


def test_newline_terminated_file_without_una_is_read_with_an_error() -> None:
    data = (
        b"UNB+UNOA:1+S+R+240115:1200+IC3\r\nUNH+1+ORDERS:D:96A:UN\r\n"
        b"BGM+220\r\nUNT+3+1\r\nUNZ+1+IC3\r\n"
    )
    events = read(data)
    assert codes(events) == ["segment_terminator_invalid"]
    bgm = segments(events)[0]
    assert (bgm.elements, bgm.line, bgm.offset) == (["BGM", "220"], 3, 55)


def test_many_small_interchanges_in_one_file_are_all_read_in_order() -> None:
    data = b"\n".join(ENVELOPE.replace(b"IC1", b"IC%d" % n) for n in range(500))
    events = read(data, chunk_size=4096)
    numbers = [e.header.control_number for e in events if isinstance(e, InterchangeStart)]
    assert numbers == [f"IC{n}" for n in range(500)]
    assert len(segments(events)) == 500
    assert problems(events) == []


def _peak_memory(messages: int) -> int:
    body = b"".join(
        b"UNH+%d+ORDERS:D:96A:UN'BGM+220+PO1+9'FTX+AAI+++HANDLE WITH CARE?'S GOODS'"
        b"LIN+1++4000862141401:EN'QTY+21:8:PCE'UNT+6+%d'\n" % (n, n)
        for n in range(messages)
    )
    data = b"UNA:+.? 'UNB+UNOC:3+S+R+240115:1200+IC1'" + body + b"UNZ+%d+IC1'" % messages
    source = io.BytesIO(data)
    tracemalloc.start()
    try:
        events = read_edifact_events(source, ReadOptions(chunk_size=1 << 16))
        assert sum(1 for e in events if isinstance(e, Problem)) == 0
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_grows_only_by_the_references_kept_for_duplicate_checks() -> None:
    """A tenfold file costs at most a few hundred bytes more per message (its UNH reference)."""
    small, large = _peak_memory(2_000), _peak_memory(20_000)
    assert small < 1_500_000
    assert (large - small) / 18_000 < 256


def test_released_terminator_after_the_last_unz_does_not_stall_the_reader() -> None:
    events = read(ENVELOPE[:-1] + b"?'")
    assert codes(events) == ["segment_unterminated", "interchange_control_mismatch"]
    end = next(e for e in events if isinstance(e, InterchangeEnd))
    assert end.trailer is not None
    assert end.trailer.element(2) == "IC1'"
