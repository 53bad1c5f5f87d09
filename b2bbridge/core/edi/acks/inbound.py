"""Read the acknowledgements partners send us, so the pipeline can match them to what we sent.

:func:`read_ack` takes one buffered transaction (a 997, 999, CONTRL or APERAK) and returns
an :class:`AckResult` naming the groups and transactions acknowledged, each with a status
and its codes; :func:`read_ta1` reads a TA1 segment, which stands outside any transaction.

Statuses are normalised: X12 ``A``/``E``/``P``/``R`` (and the 999 rejections ``M``, ``W``,
``X``) and CONTRL action codes ``7``/``8`` (acknowledged, received) and ``4`` (rejected)
all map to ``accepted``, ``accepted_with_errors``, ``partially_accepted`` or ``rejected``;
the original code is kept next to it. A status letter outside the standard reads as
rejected, because an ack we cannot understand must not mark a document delivered.

Acks are read leniently: a segment out of place (an AK5 before any AK2) is skipped rather
than failing the whole ack, since the partner's statement about the other transactions is
still worth having. Structural defects are the validator's business.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from b2bbridge.core.edi.acks.inbound_edifact import (
    APERAK_ACCEPTED_CODES,
    read_aperak,
    read_contrl,
)
from b2bbridge.core.edi.acks.verdicts import (
    AckResult,
    AckStatus,
    ElementError,
    GroupAck,
    SegmentError,
    TransactionAck,
    x12_status,
)
from b2bbridge.core.edi.codes import CODES
from b2bbridge.core.edi.events import Transaction
from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.errors import EdiError

__all__ = [
    "AckResult",
    "AckStatus",
    "ElementError",
    "GroupAck",
    "SegmentError",
    "TA1Result",
    "TransactionAck",
    "read_ack",
    "read_ta1",
]


@dataclass(frozen=True, slots=True)
class TA1Result:
    """One TA1: the interchange it answers (TA101..TA103), the verdict and note code."""

    control_number: str
    date: str
    time: str
    status: AckStatus
    status_code: str
    note_code: str
    note: str


def read_ta1(segment: Segment) -> TA1Result:
    """Read a TA1 segment; TA105 is explained from the catalogue when it is known there."""
    if segment.tag != "TA1":
        raise EdiError(f"expected a TA1 segment, got {segment.tag}", code="ack_type_unsupported")
    note_code = segment.element(5).strip()
    known = next((c.summary for c in CODES.values() if c.ta1 == note_code), None)
    note = "no error" if note_code == "000" else known or f"note code {note_code}"
    code = segment.element(4).strip()
    return TA1Result(
        control_number=segment.element(1).strip(),
        date=segment.element(2).strip(),
        time=segment.element(3).strip(),
        status=x12_status(code),
        status_code=code,
        note_code=note_code,
        note=note,
    )


def read_ack(
    transaction: Transaction, *, aperak_accepted: frozenset[str] = APERAK_ACCEPTED_CODES
) -> AckResult:
    """Read a 997, 999, CONTRL or APERAK; another type raises ``ack_type_unsupported``.

    ``aperak_accepted`` lists the APERAK error codes (ERC) that still mean "accepted",
    since that code list is agreed with each partner.
    """
    kind = transaction.header.type
    segments = transaction.segments
    control = transaction.header.control_number
    if kind in ("997", "999"):
        return _read_x12(kind, control, segments)
    if kind == "CONTRL":
        return read_contrl(control, segments)
    if kind == "APERAK":
        return read_aperak(control, segments, accepted_codes=aperak_accepted)
    raise EdiError(
        f"transaction type {kind} is not an acknowledgement", code="ack_type_unsupported"
    )


@dataclass(slots=True)
class _OpenTransaction:
    type: str
    control_number: str
    errors: list[SegmentError] = field(default_factory=list)


@dataclass(slots=True)
class _X12State:
    functional_id: str | None = None
    group_control: str = ""
    transactions: list[TransactionAck] = field(default_factory=list)
    current: _OpenTransaction | None = None
    group: GroupAck | None = None


def _read_x12(kind: str, control: str, segments: list[Segment]) -> AckResult:
    state = _X12State()
    for seg in segments:
        _read_x12_segment(state, seg)
    group = state.group or GroupAck(
        functional_id=state.functional_id,
        control_number=state.group_control,
        status=_overall(state.transactions),
        status_code="",
        transactions=tuple(state.transactions),
    )
    return AckResult(
        kind=kind,
        control_number=control,
        status=group.status,
        groups=(group,),
        transactions=tuple(state.transactions),
    )


def _read_x12_segment(state: _X12State, seg: Segment) -> None:
    tag = seg.tag
    if tag == "AK1":
        state.functional_id = seg.element(1).strip() or None
        state.group_control = seg.element(2).strip()
    elif tag == "AK2":
        state.current = _OpenTransaction(seg.element(1).strip(), seg.element(2).strip())
    elif tag in ("AK3", "IK3") and state.current is not None:
        state.current.errors.append(_segment_error(seg))
    elif tag in ("AK4", "IK4") and state.current is not None and state.current.errors:
        last = state.current.errors[-1]
        state.current.errors[-1] = last.with_element(_element_error(seg))
    elif tag in ("AK5", "IK5") and state.current is not None:
        state.transactions.append(_transaction_ack(state.current, seg))
        state.current = None
    elif tag == "AK9":
        state.group = _group_ack(state, seg)


def _first_repeat(seg: Segment, n: int) -> str:
    return seg.repetitions(n)[0].strip()


def _segment_error(seg: Segment) -> SegmentError:
    position = _first_repeat(seg, 2)
    return SegmentError(
        tag=seg.element(1).strip(),
        position=int(position) if position.isdigit() else None,
        code=_first_repeat(seg, 4),
    )


def _element_error(seg: Segment) -> ElementError:
    d = seg.delimiters
    position = [d.unescape(c) for c in d.split(seg.repetitions(1)[0], d.component)]
    return ElementError(
        position=":".join(p.strip() for p in position),
        reference=seg.element(2).strip(),
        code=seg.element(3).strip(),
        value=seg.element(4),
    )


def _codes(seg: Segment, first: int, last: int) -> tuple[str, ...]:
    found = (seg.element(n).strip() for n in range(first, last + 1))
    return tuple(code for code in found if code)


def _transaction_ack(current: _OpenTransaction, seg: Segment) -> TransactionAck:
    code = seg.element(1).strip()
    return TransactionAck(
        type=current.type,
        control_number=current.control_number,
        status=x12_status(code),
        status_code=code,
        codes=_codes(seg, 2, 6),
        segment_errors=tuple(current.errors),
    )


def _count(seg: Segment, n: int) -> int | None:
    text = seg.element(n).strip()
    return int(text) if text.isdigit() else None


def _group_ack(state: _X12State, seg: Segment) -> GroupAck:
    code = seg.element(1).strip()
    return GroupAck(
        functional_id=state.functional_id,
        control_number=state.group_control,
        status=x12_status(code),
        status_code=code,
        codes=_codes(seg, 5, 9),
        included=_count(seg, 2),
        received=_count(seg, 3),
        accepted=_count(seg, 4),
        transactions=tuple(state.transactions),
    )


def _overall(transactions: list[TransactionAck]) -> AckStatus:
    """A status for a group whose AK9 is missing, from its transactions."""
    statuses = {t.status for t in transactions}
    if statuses <= {"accepted"}:
        return "accepted"
    if "rejected" not in statuses:
        return "accepted_with_errors"
    return "rejected" if statuses == {"rejected"} else "partially_accepted"
