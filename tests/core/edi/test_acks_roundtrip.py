"""Acks and writer output read back through the streaming readers (``read_events``).

The inbound side is read with the real readers, the outcome is built from their events,
and the ack we build is read again by the same readers: the reader must find nothing wrong
with it, and :func:`read_ack` must find the verdicts we wrote.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from b2bbridge.core.edi.acks.edifact import build_contrl
from b2bbridge.core.edi.acks.inbound import AckResult, read_ack, read_ta1
from b2bbridge.core.edi.acks.outcome import InterchangeOutcome, OutcomeBuilder
from b2bbridge.core.edi.acks.x12 import AckControl, build_997, build_999, build_ta1
from b2bbridge.core.edi.edifact.writer import EdifactWriter
from b2bbridge.core.edi.events import Event, PartyId, Transaction, collect_transactions
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.edi.reader import read_events
from b2bbridge.core.edi.segments import EDIFACT_DEFAULT, X12_DEFAULT, Delimiters, Segment
from b2bbridge.core.edi.x12.writer import X12Writer
from b2bbridge.core.errors import Problem

FIXTURES = Path(__file__).parents[2] / "fixtures" / "acks"
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
WHEN = datetime(2024, 3, 6, 10, 15)
CONTROL = AckControl(interchange=900, group=31, transaction=5)


def _read(data: bytes) -> list[Event]:
    return list(read_events(io.BytesIO(data), ReadOptions()))


def _outcome(data: bytes) -> InterchangeOutcome:
    builder = OutcomeBuilder()
    for ev in _read(data):
        builder.observe(ev)
    (outcome,) = builder.outcomes()
    return outcome


def _read_back(text: str) -> AckResult:
    """Read an ack we built; the reader must report no problem at all."""
    events = _read(text.encode("latin-1"))
    assert [p.render() for p in events if isinstance(p, Problem)] == []
    (ack,) = [t for t in collect_transactions(events) if isinstance(t, Transaction)]
    return read_ack(ack)


def test_997_for_mismatched_control_numbers_reads_back_rejected_with_codes_3_and_4() -> None:
    data = (CORPUS / "malformed" / "940_4010_control_numbers_mismatch.edi").read_bytes()
    result = _read_back(build_997(_outcome(data), control=CONTROL, when=WHEN))
    (transaction,) = result.transactions
    assert (transaction.type, transaction.control_number) == ("940", "0001")
    assert (transaction.status, transaction.codes) == ("rejected", ("3",))
    assert (result.groups[0].control_number, result.groups[0].codes) == ("3314", ("4",))
    assert result.status == "rejected"


def test_997_for_two_clean_orders_reads_back_accepted() -> None:
    data = (FIXTURES / "850_two_orders.edi").read_bytes()
    result = _read_back(build_997(_outcome(data), control=CONTROL, when=WHEN))
    assert result.status == "accepted"
    assert [t.control_number for t in result.transactions] == ["1001", "1002"]
    assert (result.groups[0].included, result.groups[0].accepted) == (2, 2)


def test_999_for_a_bad_segment_count_reads_back_with_ik5_code_4() -> None:
    data = (CORPUS / "malformed" / "856_4010_mixed_terminators_truncated_iea.edi").read_bytes()
    result = _read_back(build_999(_outcome(data), control=CONTROL, when=WHEN))
    assert result.kind == "999"
    (transaction,) = result.transactions
    assert (transaction.control_number, transaction.status) == ("0000001", "rejected")
    assert "4" in transaction.codes


def test_contrl_for_bad_unt_counts_reads_back_rejecting_every_message() -> None:
    path = CORPUS / "malformed" / "edifact_multi_message_duplicate_unh_refs_unt_mismatch.edi"
    outcome = _outcome(path.read_bytes())
    text = build_contrl(outcome, control_reference="CR1", message_reference="1", when=WHEN)
    result = _read_back(text)
    assert result.interchange_control_number == "581575491"
    assert (result.status, result.codes) == ("rejected", ("29",))
    assert [(m.control_number, m.status) for m in result.transactions] == [
        ("42", "rejected"),
        ("44", "rejected"),
        ("43", "rejected"),
        ("44", "rejected"),
    ]
    assert [m.codes for m in result.transactions][-1] == ("26",)


def test_contrl_for_clean_orders_reads_back_accepted() -> None:
    outcome = _outcome((FIXTURES / "orders_two_messages.edi").read_bytes())
    result = _read_back(
        build_contrl(outcome, control_reference="CR2", message_reference="1", when=WHEN)
    )
    assert result.status == "accepted"
    assert [m.control_number for m in result.transactions] == ["M1", "M2"]


def test_ta1_only_interchange_reads_back_through_the_reader() -> None:
    data = (CORPUS / "malformed" / "940_4010_control_numbers_mismatch.edi").read_bytes()
    text = build_ta1(_outcome(data), when=WHEN, control=77)
    events = _read(text.encode("latin-1"))
    assert [p.render() for p in events if isinstance(p, Problem)] == []
    (ta1,) = [ev for ev in events if isinstance(ev, Segment) and ev.tag == "TA1"]
    result = read_ta1(ta1)
    assert (result.control_number, result.status, result.note_code) == (
        "000003438",
        "rejected",
        "001",
    )


_X12_TEXT = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="*~>^"),
    min_size=1,
    max_size=10,
)
_EDIFACT_TEXT = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=10
)


def _body_segment(events: list[Event], tag: str) -> Segment:
    return next(ev for ev in events if isinstance(ev, Segment) and ev.tag == tag)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(_EDIFACT_TEXT, min_size=1, max_size=3), min_size=1, max_size=5))
def test_edifact_values_with_separators_read_back_unchanged(values: list[list[str]]) -> None:
    out = io.StringIO()
    writer = EdifactWriter(out, EDIFACT_DEFAULT)
    writer.start_interchange(
        sender=PartyId("14", "A"), receiver=PartyId("14", "B"), control_number="1",
        date=date(2024, 3, 5), time="0930",
    )  # fmt: skip
    writer.start_message("ORDERS", "1")
    writer.segment("FTX", *values)
    writer.end_message()
    writer.end_interchange()
    events = _read(out.getvalue().encode("latin-1"))
    assert [p.code for p in events if isinstance(p, Problem)] == []
    ftx = _body_segment(events, "FTX")
    assert [ftx.components(n) for n in range(1, len(values) + 1)] == values


@settings(max_examples=50, deadline=None)
@given(st.lists(_X12_TEXT, min_size=1, max_size=6))
def test_x12_values_read_back_unchanged(values: list[str]) -> None:
    out = io.StringIO()
    writer = X12Writer(out, X12_DEFAULT)
    writer.start_interchange(
        sender=PartyId("ZZ", "A"), receiver=PartyId("ZZ", "B"), control_number=1,
        date=date(2024, 3, 5), time="0930",
    )  # fmt: skip
    writer.start_group(
        functional_id="PO", sender="A", receiver="B", control_number=1,
        date=date(2024, 3, 5), time="0930",
    )  # fmt: skip
    writer.start_transaction("850", 1)
    writer.segment("REF", *values)
    writer.end_transaction()
    writer.end_group()
    writer.end_interchange()
    events = _read(out.getvalue().encode("latin-1"))
    assert [p.code for p in events if isinstance(p, Problem)] == []
    assert _body_segment(events, "REF").values() == values


def test_a_custom_delimiter_set_round_trips_through_the_reader() -> None:
    d = Delimiters(element="|", component="\\", segment="!", repetition="{")
    out = io.StringIO()
    writer = X12Writer(out, d, line_break="\r\n")
    writer.start_interchange(
        sender=PartyId("ZZ", "A"), receiver=PartyId("ZZ", "B"), control_number=9,
        date=date(2024, 3, 5), time="0930", version="00501",
    )  # fmt: skip
    writer.start_group(
        functional_id="PO", sender="A", receiver="B", control_number=3,
        date=date(2024, 3, 5), time="0930", version="005010",
    )  # fmt: skip
    writer.start_transaction("850", 1)
    writer.segment("PO1", "1", "", ["VP", "X-1"])
    writer.end_transaction()
    writer.end_group()
    writer.end_interchange()
    events = _read(out.getvalue().encode("latin-1"))
    assert [p.code for p in events if isinstance(p, Problem)] == []
    po1 = _body_segment(events, "PO1")
    assert (po1.element(1), po1.components(3)) == ("1", ["VP", "X-1"])


def test_997_for_two_groups_has_one_transaction_set_per_group_numbered_from_control() -> None:
    data = (CORPUS / "x12" / "810_4010_850_3010_multi_gs_one_isa.edi").read_bytes()
    text = build_997(_outcome(data), control=CONTROL, when=WHEN)
    events = _read(text.encode("latin-1"))
    assert [p.render() for p in events if isinstance(p, Problem)] == []
    acks = [t for t in collect_transactions(events) if isinstance(t, Transaction)]
    assert [a.header.control_number for a in acks] == ["0005", "0006"]
    results = [read_ack(a) for a in acks]
    assert [(r.groups[0].functional_id, r.groups[0].control_number) for r in results] == [
        ("IN", "1"),
        ("PO", "165"),
    ]
    assert [[t.control_number for t in r.transactions] for r in results] == [
        ["000000001", "000000002"],
        ["000191240"],
    ]
