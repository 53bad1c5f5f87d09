"""Read the EDIFACT acknowledgements we receive: CONTRL (UCI, UCF, UCM, UCS, UCD) and APERAK.

CONTRL: UCMs that come before any UCF answer messages sent without UNG; a UCF opens a
group and the UCMs after it belong to that group. The overall status is ``rejected`` when
the UCI rejects the interchange, ``partially_accepted`` when the UCI acknowledges it but
some group or message is rejected, else ``accepted``.

APERAK: application errors are partner-defined (data element 9321 has no standard code
list), so the status comes from BGM 4343 when the partner sends it (AP accepted, RE
rejected, CA conditionally accepted); otherwise an APERAK without ERC is accepted, and one
whose ERC codes are all in ``accepted_codes`` (by default ``1``, "no error") is accepted
too. Any other ERC rejects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from b2bbridge.core.edi.acks.verdicts import (
    AckResult,
    AckStatus,
    ElementError,
    GroupAck,
    SegmentError,
    TransactionAck,
    contrl_status,
)
from b2bbridge.core.edi.segments import Segment

APERAK_ACCEPTED_CODES = frozenset({"1"})
_RESPONSE_TYPES: dict[str, AckStatus] = {
    "AP": "accepted",
    "RE": "rejected",
    "CA": "accepted_with_errors",
}


@dataclass(slots=True)
class _Message:
    segment: Segment
    errors: list[SegmentError] = field(default_factory=list)

    def freeze(self) -> TransactionAck:
        seg = self.segment  # UCM: 0062, S009, 0083 action, 0085 error
        action = seg.element(3).strip()
        code = seg.element(4).strip()
        return TransactionAck(
            type=seg.component(2, 1).strip(),
            control_number=seg.element(1).strip(),
            status=contrl_status(action),
            status_code=action,
            codes=(code,) if code else (),
            segment_errors=tuple(self.errors),
        )


@dataclass(slots=True)
class _Group:
    segment: Segment | None
    messages: list[_Message] = field(default_factory=list)

    def freeze(self) -> GroupAck | None:
        seg = self.segment
        if seg is None:
            return None  # UCF: 0048, S006, S007, 0083 action, 0085 error
        action = seg.element(4).strip()
        code = seg.element(5).strip()
        return GroupAck(
            functional_id=None,
            control_number=seg.element(1).strip(),
            status=contrl_status(action),
            status_code=action,
            codes=(code,) if code else (),
            transactions=tuple(m.freeze() for m in self.messages),
        )


def read_contrl(control: str, segments: list[Segment]) -> AckResult:
    """Read one CONTRL message, its segments from UNH to UNT."""
    uci: Segment | None = None
    groups = [_Group(None)]
    for seg in segments:
        if seg.tag == "UCI":
            uci = seg
        elif seg.tag == "UCF":
            groups.append(_Group(seg))
        elif seg.tag == "UCM":
            groups[-1].messages.append(_Message(seg))
        elif seg.tag in ("UCS", "UCD") and groups[-1].messages:
            _note(groups[-1].messages[-1], seg)
    frozen = [g for g in (group.freeze() for group in groups) if g is not None]
    messages = tuple(m.freeze() for group in groups for m in group.messages)
    action = uci.element(4).strip() if uci is not None else ""
    code = uci.element(5).strip() if uci is not None else ""
    return AckResult(
        kind="CONTRL",
        control_number=control,
        status=_contrl_overall(action, frozen, messages),
        groups=tuple(frozen),
        transactions=messages,
        interchange_control_number=uci.element(1).strip() if uci is not None else None,
        status_code=action,
        codes=(code,) if code else (),
    )


def _note(message: _Message, seg: Segment) -> None:
    """Add a UCS (segment error) or a UCD (element error under the last UCS)."""
    if seg.tag == "UCS":
        position = seg.element(1).strip()
        message.errors.append(
            SegmentError(
                tag="",
                position=int(position) if position.isdigit() else None,
                code=seg.element(2).strip(),
            )
        )
        return
    element = ElementError(
        position=":".join(c.strip() for c in seg.components(2)), code=seg.element(1).strip()
    )
    if not message.errors:
        message.errors.append(SegmentError(tag="", position=None, code=""))
    message.errors[-1] = message.errors[-1].with_element(element)


def _contrl_overall(
    action: str, groups: list[GroupAck], messages: tuple[TransactionAck, ...]
) -> AckStatus:
    if contrl_status(action) == "rejected":
        return "rejected"
    parts = [g.status for g in groups] + [m.status for m in messages]
    return "partially_accepted" if "rejected" in parts else "accepted"


def read_aperak(
    control: str,
    segments: list[Segment],
    *,
    accepted_codes: frozenset[str] = APERAK_ACCEPTED_CODES,
) -> AckResult:
    """Read one APERAK message: BGM number and response type, RFF references, ERC codes."""
    document: str | None = None
    response = ""
    references: list[tuple[str, str]] = []
    codes: list[str] = []
    for seg in segments:
        if seg.tag == "BGM":
            document = seg.component(2, 1).strip() or None
            response = seg.element(4).strip()
        elif seg.tag == "RFF":
            references.append((seg.component(1, 1).strip(), seg.component(1, 2).strip()))
        elif seg.tag == "ERC":
            codes.append(seg.component(1, 1).strip())
    status = _RESPONSE_TYPES.get(response)
    if status is None:
        status = "accepted" if set(codes) <= accepted_codes else "rejected"
    return AckResult(
        kind="APERAK",
        control_number=control,
        status=status,
        status_code=response,
        codes=tuple(codes),
        references=tuple(references),
        document_number=document,
    )
