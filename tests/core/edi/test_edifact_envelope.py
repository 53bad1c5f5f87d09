"""EDIFACT envelope checks: UNA parsing, UNB dates, UNG/UNE groups, counts and references."""

from __future__ import annotations

import io
from datetime import date

import pytest

from b2bbridge.core.edi.edifact.envelope import parse_date, parse_time, parse_una
from b2bbridge.core.edi.edifact.reader import read_edifact_events
from b2bbridge.core.edi.edifact.splitter import join_released
from b2bbridge.core.edi.events import (
    Event,
    GroupEnd,
    GroupStart,
    InterchangeEnd,
    InterchangeStart,
    TransactionStart,
)
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.errors import Problem


def read(data: bytes) -> list[Event]:
    return list(read_edifact_events(io.BytesIO(data), ReadOptions(file="env.edi")))


def problems(events: list[Event]) -> list[Problem]:
    return [e for e in events if isinstance(e, Problem)]


def codes(events: list[Event]) -> list[str]:
    return [p.code for p in problems(events)]


UNB = b"UNB+UNOA:3+S+R+240115:1200+IC1'"
MSG1 = b"UNH+1+ORDERS:D:96A:UN'BGM+220'UNT+3+1'"
MSG2 = b"UNH+2+ORDERS:D:96A:UN'BGM+220'UNT+3+2'"


def grouped(*groups: bytes, unz: bytes = b"UNZ+2+IC1'") -> bytes:
    return UNB + b"".join(groups) + unz


G1 = b"UNG+ORDERS+S+R+240115:1200+G1+UN+D:96A'" + MSG1 + b"UNE+1+G1'"
G2 = b"UNG+ORDERS+S+R+240115:1200+G2+UN+D:96A'" + MSG2 + b"UNE+1+G2'"


def test_parse_una_reads_all_six_service_characters() -> None:
    delims = parse_una(b"UNA:+,?*'")
    assert delims is not None
    assert (delims.component, delims.element, delims.decimal) == (":", "+", ",")
    assert (delims.release, delims.repetition, delims.segment) == ("?", "*", "'")


def test_parse_una_space_release_means_no_release_character() -> None:
    delims = parse_una(b"UNA:+.  '")
    assert delims is not None
    assert (delims.release, delims.repetition) == (None, None)


def test_parse_una_rejects_something_else() -> None:
    assert parse_una(b"UNB+UNOA:") is None


@pytest.mark.parametrize(
    ("text", "century", "expected"),
    [
        ("240115", False, date(2024, 1, 15)),
        ("991231", False, date(1999, 12, 31)),
        ("20240115", True, date(2024, 1, 15)),
        ("240115", True, date(2024, 1, 15)),
        ("20240115", False, None),
        ("240230", False, None),
        ("24011", False, None),
        ("2401AB", False, None),
    ],
)
def test_parse_date_accepts_yymmdd_and_ccyymmdd_only_for_syntax_4(
    text: str, century: bool, expected: date | None
) -> None:
    assert parse_date(text, century) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("0930", "09:30"), ("2359", "23:59"), ("2400", None), ("930", None)]
)
def test_parse_time_accepts_hhmm(text: str, expected: str | None) -> None:
    assert parse_time(text) == expected


def test_eight_digit_unb_date_is_invalid_before_syntax_4() -> None:
    events = read(UNB.replace(b"240115", b"20240115") + MSG1 + b"UNZ+1+IC1'")
    [problem] = problems(events)
    assert (problem.code, problem.location.segment_id, problem.location.element) == (
        "interchange_date_invalid",
        "UNB",
        4,
    )


def test_unb_without_control_reference_is_invalid() -> None:
    events = read(b"UNB+UNOA:3+S+R+240115:1200'" + MSG1 + b"UNZ+1+'")
    assert codes(events) == ["interchange_header_invalid"]
    assert problems(events)[0].location.element == 5


def test_two_groups_are_counted_by_unz_and_closed_by_une() -> None:
    events = read(grouped(G1, G2))
    starts = [e.header for e in events if isinstance(e, GroupStart)]
    assert [(g.control_number, g.functional_id, g.version) for g in starts] == [
        ("G1", "ORDERS", "D:96A"),
        ("G2", "ORDERS", "D:96A"),
    ]
    ends = [e for e in events if isinstance(e, GroupEnd)]
    assert [(e.trailer is not None, e.transaction_count) for e in ends] == [(True, 1), (True, 1)]
    end = next(e for e in events if isinstance(e, InterchangeEnd))
    assert end.group_count == 2
    assert problems(events) == []


def test_unz_counting_messages_instead_of_groups_is_a_count_mismatch() -> None:
    events = read(grouped(G1, unz=b"UNZ+0+IC1'"))
    assert codes(events) == ["interchange_count_mismatch"]


def test_une_count_and_reference_are_checked() -> None:
    bad = G1.replace(b"UNE+1+G1'", b"UNE+2+GX'")
    events = read(grouped(bad, unz=b"UNZ+1+IC1'"))
    assert codes(events) == ["group_count_mismatch", "group_control_mismatch"]
    assert [p.location.element for p in problems(events)] == [1, 2]
    assert all(p.location.group == "G1" for p in problems(events))


def test_duplicate_group_reference_is_reported() -> None:
    events = read(grouped(G1, G1.replace(b"UNH+1+", b"UNH+2+").replace(b"UNT+3+1", b"UNT+3+2")))
    assert codes(events) == ["group_duplicate"]


def test_missing_une_is_reported_when_the_next_group_starts() -> None:
    events = read(grouped(G1.replace(b"UNE+1+G1'", b""), G2))
    assert codes(events) == ["group_trailer_missing"]
    assert problems(events)[0].location.segment_id == "UNG"


def test_message_reference_and_group_reach_the_transaction_header() -> None:
    events = read(grouped(G1, unz=b"UNZ+1+IC1'"))
    [header] = [e.header for e in events if isinstance(e, TransactionStart)]
    assert (header.interchange_control_number, header.group_control_number) == ("IC1", "G1")


def test_unt_reference_mismatch_is_reported_on_element_2() -> None:
    events = read(UNB + MSG1.replace(b"UNT+3+1", b"UNT+3+9") + b"UNZ+1+IC1'")
    [problem] = problems(events)
    assert (problem.code, problem.location.element, problem.location.transaction) == (
        "transaction_control_mismatch",
        2,
        "1",
    )


def test_unh_without_unt_is_closed_by_the_next_unh() -> None:
    events = read(UNB + MSG1.replace(b"UNT+3+1'", b"") + MSG2 + b"UNZ+2+IC1'")
    assert codes(events) == ["transaction_trailer_missing"]
    assert problems(events)[0].location.segment_id == "UNH"
    assert problems(events)[0].location.transaction == "1"


def test_unt_outside_a_message_is_reported() -> None:
    events = read(UNB + MSG1 + b"UNT+1+1'UNZ+1+IC1'")
    assert codes(events) == ["unexpected_segment_outside_envelope"]


def test_interchange_header_event_carries_test_and_ack_flags() -> None:
    events = read(b"UNB+UNOA:3+S:ZZ+R:ZZ+240115:1200+IC1++APP++1++1'" + MSG1 + b"UNZ+1+IC1'")
    header = next(e.header for e in events if isinstance(e, InterchangeStart))
    assert (header.test, header.ack_requested) == (True, True)
    assert (header.sender.qualifier, header.receiver.id) == ("ZZ", "R")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a?'b'c", ["a?'b", "c"]),
        ("a??'b'c", ["a??", "b", "c"]),
        ("a???'b'c", ["a???'b", "c"]),
        ("a?'b?'c'd", ["a?'b?'c", "d"]),
        ("x'y", ["x", "y"]),
    ],
)
def test_join_released_rejoins_only_odd_release_runs(text: str, expected: list[str]) -> None:
    assert join_released(text, text.split("'"), "'", "?") == expected


def test_join_released_handles_long_piece_lists() -> None:
    text = "'".join(["SEG+A?'B"] * 100)
    pieces = join_released(text, text.split("'"), "'", "?")
    assert pieces == ["SEG+A?'B"] * 100


def test_non_ascii_digits_are_not_a_date_or_time() -> None:
    assert (parse_date("\u00b991006", False), parse_time("\u00b9953")) == (None, None)
