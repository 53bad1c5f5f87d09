"""997, 999 and TA1 built from interchange outcomes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from acks_samples import split_x12, x12_events

from b2bbridge.core.edi.acks.outcome import InterchangeOutcome, OutcomeBuilder
from b2bbridge.core.edi.acks.x12 import (
    AckControl,
    build_997,
    build_999,
    build_ta1,
    transaction_position,
)
from b2bbridge.core.edi.events import Event, TransactionStart
from b2bbridge.core.errors import EdiError, Problem, Severity
from b2bbridge.core.location import Location

FIXTURES = Path(__file__).parents[2] / "fixtures" / "acks"
WHEN = datetime(2024, 3, 6, 10, 15)
CONTROL = AckControl(interchange=900, group=31, transaction=5)


def _outcome(*problems: tuple[str, Problem]) -> InterchangeOutcome:
    """The two-order interchange, with each problem placed right after the named ST."""
    events: list[Event] = x12_events((FIXTURES / "850_two_orders.edi").read_text())
    for control, problem in problems:
        at = next(
            n + 1
            for n, ev in enumerate(events)
            if isinstance(ev, TransactionStart) and ev.header.control_number == control
        )
        events.insert(at, problem)
    builder = OutcomeBuilder()
    for ev in events:
        builder.observe(ev)
    return builder.outcomes()[0]


def _lines(text: str) -> list[str]:
    return [line.rstrip("~") for line in text.splitlines()]


def test_997_for_two_orders_has_one_ak2_ak5_per_st_and_ak9_counts() -> None:
    lines = _lines(build_997(_outcome(), control=CONTROL, when=WHEN))
    assert lines[2:] == [
        "ST*997*0005",
        "AK1*PO*77",
        "AK2*850*1001",
        "AK5*A",
        "AK2*850*1002",
        "AK5*A",
        "AK9*A*2*2*2",
        "SE*8*0005",
        "GE*1*31",
        "IEA*1*000000900",
    ]


def test_997_swaps_sender_and_receiver_of_interchange_and_group() -> None:
    isa, gs = _lines(build_997(_outcome(), control=CONTROL, when=WHEN))[:2]
    fields = isa.split("*")
    assert (fields[5], fields[6].strip(), fields[7], fields[8].strip()) == (
        "12", "5551234567", "ZZ", "ACMEBUYER",
    )  # fmt: skip
    assert fields[9:14] == ["240306", "1015", "U", "00401", "000000900"]
    assert gs == "GS*FA*SUPPLYAPP*ACMEAPP*20240306*1015*31*X*004010"


def test_997_rejects_a_transaction_with_a_bad_se_count() -> None:
    bad_count = Problem(
        "segment_count_mismatch", "SE01 is 7, counted 6", Location(transaction="1002")
    )
    lines = _lines(build_997(_outcome(("1002", bad_count)), control=CONTROL, when=WHEN))
    assert lines[6:9] == ["AK2*850*1002", "AK5*R*4", "AK9*P*2*2*1"]


def test_997_reports_segment_and_element_errors_at_their_position_from_st() -> None:
    # PO1 of the second order is segment 10 of the interchange, 3rd of its transaction.
    missing = Problem(
        "element_missing", "PO102 missing", Location(segment_id="PO1", segment_index=10, element=2)
    )
    code = Problem(
        "element_invalid_code",
        "bad unit",
        Location(segment_id="PO1", segment_index=10, element=3, component=1),
    )
    lines = _lines(
        build_997(_outcome(("1002", missing), ("1002", code)), control=CONTROL, when=WHEN)
    )
    assert lines[6:12] == [
        "AK2*850*1002",
        "AK3*PO1*3**8",
        "AK4*2**1",
        "AK4*3>1**7",
        "AK5*R*5",
        "AK9*P*2*2*1",
    ]


def test_a_group_with_every_transaction_rejected_is_rejected() -> None:
    p1 = Problem("transaction_control_mismatch", "SE02 differs")
    p2 = Problem("transaction_trailer_missing", "no SE")
    lines = _lines(build_997(_outcome(("1001", p1), ("1002", p2)), control=CONTROL, when=WHEN))
    assert lines[5] == "AK5*R*3"
    assert lines[7:9] == ["AK5*R*2", "AK9*R*2*2*0"]


def test_transaction_position_counts_st_as_one() -> None:
    segments = split_x12((FIXTURES / "850_two_orders.edi").read_text())
    outcome = _outcome()
    second = outcome.groups[0].transactions[1].header
    po1 = segments[9]
    assert (po1.tag, po1.index) == ("PO1", 10)
    assert transaction_position(po1, second) == 3


def test_999_is_5010_and_reports_ik3_ik4_ik5() -> None:
    missing = Problem(
        "element_missing", "PO102 missing", Location(segment_id="PO1", segment_index=10, element=2)
    )
    lines = _lines(build_999(_outcome(("1002", missing)), control=CONTROL, when=WHEN))
    assert lines[0].split("*")[11:13] == ["^", "00501"]
    assert lines[1].endswith("*31*X*005010X231A1")
    assert lines[2:12] == [
        "ST*999*0005*005010X231A1",
        "AK1*PO*77*004010",
        "AK2*850*1001",
        "IK5*A",
        "AK2*850*1002",
        "IK3*PO1*3**8",
        "IK4*2**1",
        "IK5*R*5",
        "AK9*P*2*2*1",
        "SE*10*0005",
    ]


def test_ta1_for_a_bad_interchange_takes_its_note_code_from_the_catalogue() -> None:
    outcome = _outcome()
    outcome.problems.append(Problem("interchange_control_mismatch", "IEA02 is 000001235"))
    lines = _lines(build_ta1(outcome, when=WHEN, control=901))
    assert lines[1:] == ["TA1*000001234*240305*0930*R*001", "IEA*0*000000901"]
    assert lines[0].split("*")[6].strip() == "5551234567"


def test_ta1_alone_is_one_segment_to_embed_and_accepts_a_clean_interchange() -> None:
    assert build_ta1(_outcome(), when=WHEN) == "TA1*000001234*240305*0930*A*000~\n"


def test_ta1_note_code_can_be_given_by_the_caller() -> None:
    text = build_ta1(_outcome(), when=WHEN, note_code="006")
    assert text == "TA1*000001234*240305*0930*A*006~\n"


def test_997_group_version_drops_the_inbound_suffix() -> None:
    outcome = _outcome()
    header = outcome.groups[0].header
    outcome.groups[0].header = replace(header, version="004010VICS")
    gs = _lines(build_997(outcome, control=CONTROL, when=WHEN))[1]
    assert gs.endswith("*X*004010")


def test_an_interchange_without_groups_gets_no_997() -> None:
    outcome = _outcome()
    outcome.groups.clear()
    with pytest.raises(EdiError) as caught:
        build_997(outcome, control=CONTROL, when=WHEN)
    assert caught.value.code == "ack_without_groups"


def test_999_writes_a_business_unit_ctx_after_the_ak2_it_is_given_for() -> None:
    contexts = {"1002": ("BEG03", "PO-1002")}
    lines = _lines(build_999(_outcome(), control=CONTROL, when=WHEN, contexts=contexts))
    assert lines[6:9] == ["AK2*850*1002", "CTX*BEG03>PO-1002", "IK5*A"]
    assert lines[10] == "SE*9*0005"


def test_ta1_with_only_warnings_is_accepted_with_errors_noted() -> None:
    outcome = _outcome()
    outcome.problems.append(Problem("isa_not_padded", "ISA06 short", severity=Severity.WARNING))
    assert build_ta1(outcome, when=WHEN) == "TA1*000001234*240305*0930*E*022~\n"
