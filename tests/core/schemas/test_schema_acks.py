"""Acks built for the malformed corpus carry the validator's detail and are valid themselves."""

from __future__ import annotations

from datetime import datetime

from schemas_support import CATALOG, CORPUS, problems_of

from b2bbridge.core.edi.acks.edifact import build_contrl
from b2bbridge.core.edi.acks.outcome import InterchangeOutcome, OutcomeBuilder
from b2bbridge.core.edi.acks.x12 import AckControl, build_997, build_999
from b2bbridge.core.edi.reader import read_bytes_events
from b2bbridge.core.schemas.validator import validate_events

WHEN = datetime(2026, 3, 1, 12, 0)
CONTROL = AckControl(interchange=900, group=900, transaction=1)


def _outcomes(name: str) -> list[InterchangeOutcome]:
    builder = OutcomeBuilder()
    data = (CORPUS / "malformed" / name).read_bytes()
    for event in validate_events(read_bytes_events(data), CATALOG):
        builder.observe(event)
    return builder.outcomes()


def _lines(text: str) -> list[str]:
    return [line.rstrip("~") for line in text.replace("~", "~\n").split("\n") if line.strip()]


def test_997_for_the_940_with_element_errors_names_the_segments_and_validates() -> None:
    [outcome] = _outcomes("940_4010_two_gs_with_missing_n901.edi")
    ack = build_997(outcome, control=CONTROL, when=WHEN)
    lines = _lines(ack)
    assert "AK3*N9*7**8" in lines
    assert "AK4*1**1" in lines
    assert "AK3*W66*3**8" in lines
    assert "AK4*6**3" in lines
    assert problems_of(ack.encode()) == [[], []]


def test_997_for_the_850_with_syntax_note_errors_validates() -> None:
    [outcome] = _outcomes("850_4010_syntax_note_paired_element_violation.edi")
    ack = build_997(outcome, control=CONTROL, when=WHEN)
    assert "AK3*PO4*30**8" in _lines(ack)
    assert problems_of(ack.encode()) == [[]]


def test_999_for_the_out_of_order_999_names_each_segment_and_validates() -> None:
    [outcome] = _outcomes("999_5010_segments_out_of_order.edi")
    ack = build_999(outcome, control=CONTROL, when=WHEN)
    lines = _lines(ack)
    assert "IK3*IK5*2**2" in lines
    assert "IK3*IK5*6**5" in lines
    assert problems_of(ack.encode()) == [[]]


def test_999_for_the_empty_997_reports_the_missing_segments_and_validates() -> None:
    [outcome] = _outcomes("997_empty_transaction_st_se_only.edi")
    ack = build_999(outcome, control=CONTROL, when=WHEN)
    lines = _lines(ack)
    assert "IK3*AK1*2**3" in lines
    assert "IK3*AK9*2**3" in lines
    assert problems_of(ack.encode()) == [[]]


def test_contrl_for_the_bad_invoic_names_segments_and_elements_and_validates() -> None:
    [outcome] = _outcomes("invoic_d97b_bad_qualifier_nonnumeric_dup_uns.edi")
    ack = build_contrl(outcome, control_reference="CR1", message_reference="C1", when=WHEN)
    segments = ack[9:].rstrip("'").split("'")
    assert "UCS+5" in segments
    assert "UCD+39+1" in segments
    assert "UCS+21+35" in segments
    assert problems_of(ack.encode()) == [[]]


def test_contrl_for_the_orders_with_too_many_dtm_validates() -> None:
    [outcome] = _outcomes("orders_d03b_dtm_repeated_beyond_max.edi")
    ack = build_contrl(outcome, control_reference="CR2", message_reference="C2", when=WHEN)
    assert "UCS+38+35" in ack[9:].rstrip("'").split("'")
    assert problems_of(ack.encode()) == [[]]
