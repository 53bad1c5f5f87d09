"""CONTRL built from EDIFACT interchange outcomes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from acks_samples import edifact_events

from b2bbridge.core.edi.acks.edifact import build_contrl
from b2bbridge.core.edi.acks.outcome import InterchangeOutcome, OutcomeBuilder
from b2bbridge.core.edi.events import Event, TransactionStart
from b2bbridge.core.errors import Problem
from b2bbridge.core.location import Location

FIXTURES = Path(__file__).parents[2] / "fixtures" / "acks"
WHEN = datetime(2024, 3, 6, 10, 15)


def _outcome(text: str, *problems: tuple[str, Problem]) -> InterchangeOutcome:
    events: list[Event] = edifact_events(text)
    for ref, problem in problems:
        at = next(
            n + 1
            for n, ev in enumerate(events)
            if isinstance(ev, TransactionStart) and ev.header.control_number == ref
        )
        events.insert(at, problem)
    builder = OutcomeBuilder()
    for ev in events:
        builder.observe(ev)
    return builder.outcomes()[0]


def _orders(*problems: tuple[str, Problem]) -> InterchangeOutcome:
    return _outcome((FIXTURES / "orders_two_messages.edi").read_text(), *problems)


def _contrl(outcome: InterchangeOutcome) -> list[str]:
    text = build_contrl(outcome, control_reference="CR9", message_reference="C1", when=WHEN)
    assert text.startswith("UNA:+.? '")
    return text[9:].rstrip("'").split("'")


def test_contrl_acknowledges_a_clean_interchange_and_each_message() -> None:
    assert _contrl(_orders()) == [
        "UNB+UNOC:3+8798765432106:14+5412345000013:14+240306:1015+CR9",
        "UNH+C1+CONTRL:2:2:UN",
        "UCI+ICR77+5412345000013:14+8798765432106:14+7",
        "UCM+M1+ORDERS:D:96A:UN:EAN008+7",
        "UCM+M2+ORDERS:D:96A:UN:EAN008+7",
        "UNT+5+C1",
        "UNZ+1+CR9",
    ]


def test_contrl_rejects_a_message_with_a_wrong_unt_count() -> None:
    bad = Problem("segment_count_mismatch", "UNT says 5", Location(segment_id="UNT"))
    lines = _contrl(_orders(("M2", bad)))
    assert lines[3:5] == [
        "UCM+M1+ORDERS:D:96A:UN:EAN008+7",
        "UCM+M2+ORDERS:D:96A:UN:EAN008+4+29+UNT",
    ]


def test_contrl_reports_segment_and_element_errors_under_the_message() -> None:
    # NAD of M2 is segment 9 of the interchange (UNA not counted), 3rd of its message.
    bad = Problem(
        "element_missing",
        "party id",
        Location(segment_id="NAD", segment_index=9, element=2, component=1),
    )
    lines = _contrl(_orders(("M2", bad)))
    assert lines[4:7] == ["UCM+M2+ORDERS:D:96A:UN:EAN008+4", "UCS+3", "UCD+13+2:1"]


def test_contrl_rejects_the_interchange_with_the_catalogue_code() -> None:
    outcome = _orders()
    outcome.problems.append(
        Problem("interchange_control_mismatch", "UNZ ref", Location(segment_id="UNZ"))
    )
    assert _contrl(outcome)[2] == "UCI+ICR77+5412345000013:14+8798765432106:14+4+28+UNZ"


def test_contrl_for_syntax_4_echoes_the_version_and_uses_contrl_4_1() -> None:
    text = (FIXTURES / "orders_two_messages.edi").read_text().replace("UNOC:3", "UNOC:4")
    text = text.replace("240305:0930", "20240305:0930")
    lines = _contrl(_outcome(text))
    assert lines[0] == "UNB+UNOC:4+8798765432106:14+5412345000013:14+20240306:1015+CR9"
    assert lines[1] == "UNH+C1+CONTRL:4:1:UN"


def test_contrl_reports_messages_of_a_ung_group_under_its_ucf() -> None:
    text = (FIXTURES / "orders_two_messages.edi").read_text()
    text = text.replace(
        "UNH+M1", "UNG+ORDERS+5412345000013:14+8798765432106:14+240305:0930+G1+UN+D:96A'\nUNH+M1"
    )
    text = text.replace("UNZ+2", "UNE+2+G1'\nUNZ+1")
    lines = _contrl(_outcome(text))
    assert lines[3:6] == [
        "UCF+G1+5412345000013:14+8798765432106:14+7",
        "UCM+M1+ORDERS:D:96A:UN:EAN008+7",
        "UCM+M2+ORDERS:D:96A:UN:EAN008+7",
    ]
