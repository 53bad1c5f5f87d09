"""Envelope checks: counts, control numbers, dates, missing trailers, stray and empty segments."""

from __future__ import annotations

from datetime import date

from b2bbridge.core.edi.events import (
    Event,
    GroupEnd,
    InterchangeEnd,
    Transaction,
    TransactionEnd,
    collect_transactions,
)
from b2bbridge.core.edi.x12.envelope import parse_date, parse_time
from b2bbridge.core.errors import Problem, Severity
from tests.core.edi.x12_support import (
    ISA_PLAIN,
    codes,
    error_codes,
    group,
    order,
    problems,
    read,
    shape,
    x12,
)

IEA = "IEA*1*000000001"


def only(events: list[Event], code: str) -> Problem:
    found = [p for p in problems(events) if p.code == code]
    assert len(found) == 1, codes(events)
    return found[0]


def test_a_well_formed_interchange_has_no_problems() -> None:
    events = read(x12(*group(order("0001"), order("0002", lines=3)), IEA))
    assert problems(events) == []
    assert shape(events).transactions == ["0001", "0002"]


def test_iea01_must_count_the_groups() -> None:
    events = read(x12(*group(order()), "IEA*2*000000001"))
    problem = only(events, "interchange_count_mismatch")
    assert problem.location.segment_id == "IEA"
    assert problem.location.element == 1
    assert problem.location.interchange == "000000001"


def test_iea02_must_match_isa13() -> None:
    events = read(x12(*group(order()), "IEA*1*000000002"))
    assert error_codes(events) == ["interchange_control_mismatch"]


def test_iea02_without_zero_padding_is_only_a_warning() -> None:
    events = read(x12(*group(order()), "IEA*1*1"))
    (problem,) = problems(events)
    assert (problem.code, problem.severity) == ("interchange_control_mismatch", Severity.WARNING)


def test_ge01_must_count_the_transactions() -> None:
    events = read(x12(*group(order(), count=3), IEA))
    problem = only(events, "group_count_mismatch")
    loc = problem.location
    assert (loc.segment_id, loc.element, loc.group, loc.line) == ("GE", 1, "1", 7)


def test_ge02_must_match_gs06() -> None:
    body = group(order())
    body[-1] = "GE*1*2"
    assert error_codes(read(x12(*body, IEA))) == ["group_control_mismatch"]


def test_se01_must_count_st_to_se_inclusive() -> None:
    txn = order(lines=2)
    txn[-1] = "SE*9*0001"
    events = read(x12(*group(txn), IEA))
    problem = only(events, "segment_count_mismatch")
    assert "5 segments" in problem.message
    loc = problem.location
    assert (loc.transaction, loc.segment_id, loc.element, loc.segment_index) == (
        "0001",
        "SE",
        1,
        7,
    )
    (end,) = [e for e in events if isinstance(e, TransactionEnd)]
    assert end.segment_count == 5


def test_se02_must_match_st02() -> None:
    txn = order()
    txn[-1] = "SE*4*0002"
    assert error_codes(read(x12(*group(txn), IEA))) == ["transaction_control_mismatch"]


def test_gs06_may_not_repeat_within_an_interchange() -> None:
    events = read(x12(*group(order()), *group(order()), "IEA*2*000000001"))
    problem = only(events, "group_duplicate")
    assert problem.location.element == 6


def test_st02_may_not_repeat_within_a_group() -> None:
    events = read(x12(*group(order("0001"), order("0001")), IEA))
    assert error_codes(events) == ["transaction_duplicate"]


def test_st02_may_repeat_in_another_group() -> None:
    events = read(x12(*group(order("0001")), *group(order("0001"), ctrl="2"), "IEA*2*000000001"))
    assert problems(events) == []


def test_isa_date_and_time_formats_are_checked() -> None:
    isa = ISA_PLAIN.replace("*241104*0930*", "*241332*2561*")
    events = read(x12(*group(order()), IEA, isa=isa))
    assert error_codes(events) == ["interchange_date_invalid", "interchange_time_invalid"]
    assert [p.location.element for p in problems(events)] == [9, 10]


def test_gs_date_and_time_formats_are_checked() -> None:
    body = group(order())
    body[0] = "GS*PO*SENDER*RECEIVER*BAD_DATE*295335*1*X*004010"
    events = read(x12(*body, IEA))
    assert error_codes(events) == ["group_date_invalid", "group_time_invalid"]


def test_gs_dates_may_have_six_digits_in_old_versions() -> None:
    body = group(order())
    body[0] = "GS*PO*SENDER*RECEIVER*960807*1548*1*X*003010"
    assert problems(read(x12(*body, IEA))) == []


def test_a_missing_se_is_found_at_the_next_st() -> None:
    txn = order("0001")[:-1]
    events = read(x12(*group(txn, order("0002"), count=2), IEA))
    assert error_codes(events) == ["transaction_trailer_missing"]
    ends = [e for e in events if isinstance(e, TransactionEnd)]
    assert [(e.header.control_number, e.trailer is None) for e in ends] == [
        ("0001", True),
        ("0002", False),
    ]


def test_a_missing_ge_is_found_at_the_iea() -> None:
    events = read(x12(*group(order())[:-1], IEA))
    assert error_codes(events) == ["group_trailer_missing"]
    (end,) = [e for e in events if isinstance(e, GroupEnd)]
    assert (end.trailer, end.transaction_count) == (None, 1)


def test_a_truncated_file_closes_every_open_envelope() -> None:
    data = x12(*group(order())[:3])
    events = read(data)
    assert error_codes(events) == [
        "transaction_trailer_missing",
        "group_trailer_missing",
        "interchange_trailer_missing",
    ]
    kinds = [type(e).__name__ for e in events[-6:] if not hasattr(e, "code")]
    assert kinds == ["TransactionEnd", "GroupEnd", "InterchangeEnd"]
    last = problems(events)[-1]
    assert (last.location.byte_offset, last.location.file) == (len(data), "test.edi")


def test_a_new_isa_before_iea_closes_the_interchange() -> None:
    first = x12(*group(order()))
    second = x12(*group(order()), IEA)
    events = read(first + second)
    assert error_codes(events) == ["interchange_trailer_missing"]
    assert shape(events).interchanges == ["000000001", "000000001"]
    ends = [e for e in events if isinstance(e, InterchangeEnd)]
    assert [e.trailer is None for e in ends] == [True, False]


def test_a_segment_between_transactions_is_outside_the_envelope_but_kept() -> None:
    body = group(order("0001"), order("0002"))
    body.insert(5, "NTE*GEN*stray note")
    events = read(x12(*body, IEA))
    problem = only(events, "unexpected_segment_outside_envelope")
    assert problem.location.segment_id == "NTE"
    assert shape(events).body_segments == 5


def test_a_transaction_outside_any_group_is_reported() -> None:
    events = read(x12(*order(), IEA.replace("*1*", "*0*")))
    assert error_codes(events) == ["unexpected_segment_outside_envelope"]
    assert shape(events).transactions == ["0001"]


def test_an_empty_segment_is_reported_and_not_counted() -> None:
    txn = order()
    txn.insert(2, "")
    events = read(x12(*group(txn), IEA))
    problem = only(events, "segment_empty")
    assert problem.location.line == 5
    assert problems(events) == [problem]


def test_a_last_segment_without_terminator_is_still_read() -> None:
    data = x12(*group(order()), IEA).rstrip(b"~\n")
    events = read(data)
    problem = only(events, "segment_unterminated")
    assert problem.severity is Severity.ERROR
    (end,) = [e for e in events if isinstance(e, InterchangeEnd)]
    assert end.trailer is not None
    assert end.trailer.elements == ["IEA", "1", "000000001"]


def test_a_missing_final_newline_terminator_is_only_a_warning() -> None:
    data = x12(*group(order()), IEA, term="\n").rstrip(b"\n")
    (problem,) = problems(read(data))
    assert (problem.code, problem.severity) == ("segment_unterminated", Severity.WARNING)


def test_every_problem_carries_file_offset_line_and_control_numbers() -> None:
    txn = order()
    txn[-1] = "SE*9*0001"
    data = x12(*group(txn), IEA)
    (problem,) = problems(read(data))
    loc = problem.location
    assert loc.as_dict() == {
        "file": "test.edi",
        "byte_offset": data.index(b"SE*9*0001"),
        "line": 6,
        "interchange": "000000001",
        "group": "1",
        "transaction": "0001",
        "segment_index": 6,
        "segment_id": "SE",
        "element": 1,
    }


def test_problems_inside_a_transaction_attach_to_it() -> None:
    txn = order()
    txn[-1] = "SE*9*0001"
    items = list(collect_transactions(read(x12(*group(txn), IEA))))
    (collected,) = [t for t in items if isinstance(t, Transaction)]
    assert [p.code for p in collected.problems] == ["segment_count_mismatch"]
    assert collected.complete
    assert collected.has_errors


def test_dates_parse_two_and_four_digit_years() -> None:
    assert [parse_date(d) for d in ("241104", "960807", "20240229")] == [
        date(2024, 11, 4),
        date(1996, 8, 7),
        date(2024, 2, 29),
    ]
    assert parse_date("20230229") is None
    assert parse_date("BAD_DATE") is None


def test_times_take_four_to_eight_digits() -> None:
    assert [parse_time(t) for t in ("0930", "093015", "09301599", "2400", "095", "12345")] == [
        "09:30",
        "09:30:15",
        "09:30:15",
        None,
        None,
        None,
    ]


def test_non_ascii_digits_in_a_count_are_a_mismatch_not_a_crash() -> None:
    txn = order()
    txn[-1] = "SE*\u00b94*0001"
    events = read(x12(*group(txn), "IEA*1*00000\u00b9001"))
    assert error_codes(events) == ["segment_count_mismatch", "interchange_control_mismatch"]


def test_a_control_character_in_a_control_number_is_a_mismatch_not_a_crash() -> None:
    events = read(x12(*group(order()), "IEA*1*\x1c000000001"))
    assert error_codes(events) == []
    assert codes(events) == ["interchange_control_mismatch"]
