"""Reading the acks partners send: 997, 999, TA1, CONTRL and APERAK, through ``read_events``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from acks_samples import transactions_of

from b2bbridge.core.edi.acks.inbound import (
    ElementError,
    SegmentError,
    read_ack,
    read_ta1,
)
from b2bbridge.core.edi.events import Event, Transaction
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.edi.reader import read_events
from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.errors import EdiError

FIXTURES = Path(__file__).parents[2] / "fixtures" / "acks"
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"


def _events(path: Path) -> list[Event]:
    with path.open("rb") as source:
        return list(read_events(source, ReadOptions(file=path.name)))


def _x12(path: Path) -> list[Transaction]:
    return transactions_of(_events(path))


def _edifact(path: Path) -> Transaction:
    (transaction,) = transactions_of(_events(path))
    return transaction


def _segment(path: Path, tag: str) -> Segment:
    return next(ev for ev in _events(path) if isinstance(ev, Segment) and ev.tag == tag)


def test_997_partial_names_each_transaction_with_its_status_and_errors() -> None:
    (ack,) = _x12(FIXTURES / "997_partial.edi")
    result = read_ack(ack)
    assert (result.kind, result.control_number, result.status) == (
        "997",
        "0501",
        "partially_accepted",
    )
    (group,) = result.groups
    assert (group.functional_id, group.control_number) == ("PO", "77")
    assert (group.included, group.received, group.accepted) == (2, 2, 1)
    first, second = result.transactions
    assert (first.type, first.control_number, first.status) == ("850", "1001", "accepted")
    assert (second.control_number, second.status, second.codes) == ("1002", "rejected", ("5",))
    assert second.segment_errors == (
        SegmentError(
            tag="PO1",
            position=4,
            code="8",
            elements=(
                ElementError(position="2", code="1", reference="330"),
                ElementError(position="3:1", code="7", reference="355", value="XX"),
            ),
        ),
    )


def test_999_rejected_reads_ik3_ik4_ik5_and_ak9_codes() -> None:
    (ack,) = _x12(FIXTURES / "999_rejected.edi")
    result = read_ack(ack)
    assert result.kind == "999"
    assert result.status == "rejected"
    assert result.groups[0].codes == ("5",)
    (transaction,) = result.transactions
    assert (transaction.control_number, transaction.status_code) == ("2001", "R")
    assert transaction.segment_errors[0].tag == "N1"
    assert transaction.segment_errors[0].elements[0].reference == "98"


def test_ta1_fixture_accepts_our_interchange() -> None:
    result = read_ta1(_segment(FIXTURES / "ta1_accepted.edi", "TA1"))
    assert (result.control_number, result.status, result.note_code) == (
        "000001234",
        "accepted",
        "000",
    )
    assert result.note == "no error"


def test_contrl_partial_names_the_interchange_and_the_rejected_message() -> None:
    result = read_ack(_edifact(FIXTURES / "contrl_partial.edi"))
    assert (result.kind, result.status) == ("CONTRL", "partially_accepted")
    assert result.interchange_control_number == "ICR77"
    assert [(m.control_number, m.status) for m in result.transactions] == [
        ("M1", "accepted"),
        ("M2", "rejected"),
    ]
    assert result.transactions[1].type == "ORDERS"
    assert result.transactions[1].segment_errors == (
        SegmentError(tag="", position=3, code="13", elements=(ElementError("2:1", "12"),)),
    )


def test_aperak_fixture_with_response_type_re_is_rejected_with_its_references() -> None:
    result = read_ack(_edifact(FIXTURES / "aperak_rejected.edi"))
    assert (result.kind, result.status, result.document_number) == ("APERAK", "rejected", "APK-9")
    assert result.references == (("ON", "PO-2001"), ("ACW", "M1"))
    assert result.codes == ("12",)


def test_a_transaction_that_is_not_an_ack_is_refused() -> None:
    (order, _) = _x12(FIXTURES / "850_two_orders.edi")
    with pytest.raises(EdiError) as caught:
        read_ack(order)
    assert caught.value.code == "ack_type_unsupported"


# The shared corpus: acks from other implementations.


def test_corpus_997_with_repetitions_keeps_the_first_repeat_of_ak3() -> None:
    (ack,) = _x12(CORPUS / "x12" / "997_5010_repetitions_in_ak3_ak4.edi")
    result = read_ack(ack)
    (transaction,) = result.transactions
    assert (transaction.type, transaction.control_number, transaction.codes) == (
        "837",
        "0021",
        ("5",),
    )
    error = transaction.segment_errors[0]
    assert (error.tag, error.position, error.code) == ("NM1", None, "AK304-R1")
    assert error.elements[0].position == "8"
    assert (result.groups[0].status, result.groups[0].accepted) == ("rejected", 0)


def test_corpus_997_file_with_three_interchanges_gives_three_rejections() -> None:
    acks = _x12(CORPUS / "x12" / "997_5010_three_isa_in_one_file.edi")
    results = [read_ack(a) for a in acks]
    assert [r.interchange_control_number for r in results] == [None, None, None]
    assert [t.status for r in results for t in r.transactions] == ["rejected"] * 3
    assert results[2].transactions[0].segment_errors[0].elements[0].value == "MI"


def test_corpus_997_without_ak2_accepts_the_whole_group() -> None:
    (ack,) = _x12(CORPUS / "x12" / "997_isb_ise_optional_interchange_segments.edi")
    result = read_ack(ack)
    assert result.transactions == ()
    assert (result.status, result.groups[0].functional_id, result.groups[0].control_number) == (
        "accepted", "HC", "000001",
    )  # fmt: skip


def test_corpus_999_partial_reads_three_transactions() -> None:
    (ack,) = _x12(CORPUS / "x12" / "999_5010x231_ik3_ctx_repetition.edi")
    result = read_ack(ack)
    assert result.status == "partially_accepted"
    assert [(t.control_number, t.status) for t in result.transactions] == [
        ("0001", "accepted"),
        ("0002", "rejected"),
        ("0003", "rejected"),
    ]
    assert [(e.tag, e.position, e.code) for e in result.transactions[1].segment_errors] == [
        ("CLM", 22, "8")
    ]
    assert result.transactions[1].segment_errors[0].elements[0].reference == "782"
    assert result.transactions[2].segment_errors[0].code == "3"


def test_corpus_999_with_ik5_before_ak1_skips_what_it_cannot_place() -> None:
    (ack,) = _x12(CORPUS / "malformed" / "999_5010_segments_out_of_order.edi")
    result = read_ack(ack)
    assert result.groups[0].functional_id == "HC"
    assert [(t.control_number, t.status, t.status_code) for t in result.transactions] == [
        ("0001", "rejected", "Q"),
        ("0002", "rejected", "R"),
        ("0003", "rejected", "R"),
    ]


def test_corpus_ta1_rejection_explains_its_note_code() -> None:
    result = read_ta1(_segment(CORPUS / "x12" / "ta1_5010_gt_elem_plus_segterm.edi", "TA1"))
    assert (result.control_number, result.date, result.time) == ("900000001", "100624", "1430")
    assert (result.status, result.note_code) == ("rejected", "006")
    assert result.note == "no partner profile matches the sender"


@pytest.mark.parametrize(
    ("name", "status", "document", "code"),
    [
        ("aperak_d96a_accepted_unt_count_wrong.edi", "accepted", "APERAK001", "1"),
        ("aperak_d96a_rejected_syntax4_unt_count_wrong.edi", "rejected", "APERAK003", "12"),
    ],
)
def test_corpus_aperak_status_follows_its_erc_code(
    name: str, status: str, document: str, code: str
) -> None:
    result = read_ack(_edifact(CORPUS / "malformed" / name))
    assert (result.status, result.document_number, result.codes) == (status, document, (code,))
    assert result.references == (("ACW", "PO123456"),)


def test_contrl_messages_after_a_ucf_belong_to_that_group() -> None:
    text = (FIXTURES / "contrl_partial.edi").read_text()
    text = text.replace("UCM+M1", "UCF+G1+A:14+B:14+4+12'\nUCM+M1").replace("UNT+7", "UNT+8")
    (transaction,) = transactions_of(list(read_events(io.BytesIO(text.encode("latin-1")))))
    result = read_ack(transaction)
    (group,) = result.groups
    assert (group.control_number, group.status, group.codes) == ("G1", "rejected", ("12",))
    assert [m.control_number for m in group.transactions] == ["M1", "M2"]
    assert result.status == "partially_accepted"
