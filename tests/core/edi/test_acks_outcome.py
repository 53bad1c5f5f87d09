"""OutcomeBuilder: problems land on the unit their level condemns."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

from acks_samples import x12_events

from b2bbridge.core.edi.acks.outcome import InterchangeOutcome, OutcomeBuilder, TransactionOutcome
from b2bbridge.core.edi.events import Event, TransactionEnd, TransactionStart
from b2bbridge.core.errors import Problem, Severity
from b2bbridge.core.location import Location

FIXTURES = Path(__file__).parents[2] / "fixtures" / "acks"


def _events() -> list[Event]:
    return x12_events((FIXTURES / "850_two_orders.edi").read_text())


def _build(events: list[Event]) -> InterchangeOutcome:
    builder = OutcomeBuilder()
    for ev in events:
        builder.observe(ev)
    (outcome,) = builder.outcomes()
    return outcome


def _after_start_of(events: list[Event], control: str) -> int:
    return next(
        n + 1
        for n, ev in enumerate(events)
        if isinstance(ev, TransactionStart) and ev.header.control_number == control
    )


def test_two_orders_give_one_group_with_two_transactions_and_their_counts() -> None:
    outcome = _build(_events())
    (group,) = outcome.groups
    assert outcome.header.control_number == "000001234"
    assert group.trailer_count == 2
    assert [t.header.control_number for t in group.transactions] == ["1001", "1002"]
    assert [t.segment_count for t in group.transactions] == [5, 6]
    assert all(t.trailer_present and t.accepted for t in group.transactions)


def test_an_element_problem_inside_a_transaction_rejects_only_that_transaction() -> None:
    events = _events()
    at = _after_start_of(events, "1002") + 1
    events.insert(at, Problem("element_missing", "PO102 missing", Location(element=2)))
    group = _build(events).groups[0]
    assert [t.accepted for t in group.transactions] == [True, False]
    assert group.transactions[1].problems[0].code == "element_missing"
    assert group.accepted


def test_a_count_problem_reported_after_the_trailer_goes_to_the_named_transaction() -> None:
    events = _events()
    end_first = next(n for n, ev in enumerate(events) if isinstance(ev, TransactionEnd))
    late = Problem("segment_count_mismatch", "SE01 says 6", Location(transaction="1001"))
    events.insert(len(events) - 2, late)  # after the second transaction, before GE
    events.insert(end_first + 1, Problem("segment_count_mismatch", "x", Location()))
    group = _build(events).groups[0]
    assert [len(t.problems) for t in group.transactions] == [2, 0]


def test_group_and_interchange_problems_stay_at_their_level() -> None:
    events = _events()
    events.insert(len(events) - 1, Problem("group_count_mismatch", "GE01 says 3"))
    events.append(Problem("interchange_control_mismatch", "IEA02 differs"))
    outcome = _build(events)
    assert [p.code for p in outcome.problems] == ["interchange_control_mismatch"]
    assert [p.code for p in outcome.groups[0].problems] == ["group_count_mismatch"]
    assert not outcome.accepted
    assert all(t.accepted for t in outcome.groups[0].transactions)


def test_a_warning_is_kept_but_does_not_reject() -> None:
    events = _events()
    events.insert(
        _after_start_of(events, "1001"), Problem("segment_over_max", "w", severity=Severity.WARNING)
    )
    first = _build(events).groups[0].transactions[0]
    assert len(first.problems) == 1
    assert first.accepted


def test_a_problem_added_after_the_read_joins_the_named_transaction() -> None:
    builder = OutcomeBuilder()
    for ev in _events():
        builder.observe(ev)
    builder.add_problem(Problem("element_invalid_code", "bad unit"), transaction_control="1001")
    transactions = builder.outcomes()[0].groups[0].transactions
    assert [t.accepted for t in transactions] == [False, True]


def test_a_problem_before_any_interchange_is_kept_loose() -> None:
    builder = OutcomeBuilder()
    builder.observe(Problem("preamble_stripped", "12 bytes skipped", severity=Severity.WARNING))
    for ev in _events():
        builder.observe(ev)
    assert [p.code for p in builder.loose_problems] == ["preamble_stripped"]
    assert builder.outcomes()[0].problems == []


def test_a_header_problem_reported_before_its_transaction_starts_waits_for_it() -> None:
    events = _events()
    at = _after_start_of(events, "1002") - 1
    duplicate = Problem(
        "transaction_duplicate", "ST02 repeated", Location(transaction="1001", segment_id="ST")
    )
    events.insert(at, duplicate)
    transactions = _build(events).groups[0].transactions
    assert [[p.code for p in t.problems] for t in transactions] == [[], ["transaction_duplicate"]]


def test_a_header_problem_whose_transaction_never_opens_goes_to_the_group() -> None:
    events = _events()
    bad = Problem("transaction_header_invalid", "ST01 empty", Location(segment_id="ST"))
    events.insert(len(events) - 2, bad)  # after the last SE, before GE
    group = _build(events).groups[0]
    assert [p.code for p in group.problems] == ["transaction_header_invalid"]
    assert all(t.accepted for t in group.transactions)


class _CopyingLog:
    """A transaction log that hands back copies of all but its newest record, as one that
    spills to disk does; the builder must only ever change the newest."""

    def __init__(self) -> None:
        self._records: list[TransactionOutcome] = []

    def append(self, outcome: TransactionOutcome, /) -> None:
        if self._records:
            self._records[-1] = copy.deepcopy(self._records[-1])
        self._records.append(outcome)

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[TransactionOutcome]:
        return iter(self._records)

    def __getitem__(self, index: int, /) -> TransactionOutcome:
        return self._records[index]

    def __reversed__(self) -> Iterator[TransactionOutcome]:
        return reversed(self._records)


def _problems_by_transaction(builder: OutcomeBuilder) -> list[list[str]]:
    (outcome,) = builder.outcomes()
    return [[p.code for p in t.problems] for g in outcome.groups for t in g.transactions]


def test_problems_reach_their_transactions_when_the_log_keeps_only_the_newest_live() -> None:
    events = _events()
    at = _after_start_of(events, "1002") + 1
    events.insert(at, Problem("element_missing", "PO102 missing", Location(element=2)))
    late = Problem("segment_count_mismatch", "SE01 says 9", Location(transaction="1002"))
    plain, copying = OutcomeBuilder(), OutcomeBuilder(transactions=_CopyingLog)
    for builder in (plain, copying):
        for ev in [*events[:-2], late, *events[-2:]]:
            builder.observe(ev)
        builder.add_problem(Problem("mapping_bad_value", "bad"), transaction_control="1002")

    assert _problems_by_transaction(copying) == _problems_by_transaction(plain)
    assert _problems_by_transaction(plain) == [
        [],
        ["element_missing", "segment_count_mismatch", "mapping_bad_value"],
    ]


def test_a_stored_interchange_is_forgotten_once_the_next_one_is_done() -> None:
    builder = OutcomeBuilder()
    for _ in range(3):
        for ev in _events():
            builder.observe(ev)
        builder.forget_before(builder.outcomes()[-1])

    assert len(builder.outcomes()) == 1
