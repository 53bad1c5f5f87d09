"""The values an inbound acknowledgement is read into, shared by every ack dialect.

Kept apart from the readers so that the X12 and EDIFACT readers, and the services that
match acks to what was sent, share one vocabulary of statuses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

AckStatus = Literal["accepted", "accepted_with_errors", "partially_accepted", "rejected"]

_X12_STATUS: dict[str, AckStatus] = {
    "A": "accepted",
    "E": "accepted_with_errors",
    "P": "partially_accepted",
    "R": "rejected",
    "M": "rejected",  # 999: rejected, message authentication code failed
    "W": "rejected",  # 999: rejected, assurance failed validity tests
    "X": "rejected",  # 999: rejected, content after decryption could not be analysed
}


def x12_status(code: str) -> AckStatus:
    """AK501/IK501/AK901/TA104 as a status; an unknown letter reads as rejected."""
    return _X12_STATUS.get(code, "rejected")


def contrl_status(action: str) -> AckStatus:
    """CONTRL 0083: 7 (acknowledged) and 8 (received) accept; anything else rejects."""
    return "accepted" if action in ("7", "8") else "rejected"


@dataclass(frozen=True, slots=True)
class ElementError:
    """AK4/IK4/UCD: ``position`` is ``element`` or ``element:component``."""

    position: str
    code: str
    reference: str = ""
    value: str = ""


@dataclass(frozen=True, slots=True)
class SegmentError:
    """AK3/IK3/UCS: the segment's tag (empty in CONTRL), its position and code."""

    tag: str
    position: int | None
    code: str
    elements: tuple[ElementError, ...] = ()

    def with_element(self, element: ElementError) -> SegmentError:
        return replace(self, elements=(*self.elements, element))


@dataclass(frozen=True, slots=True)
class TransactionAck:
    """The partner's verdict on one transaction (AK2..AK5) or message (UCM) we sent."""

    type: str
    control_number: str
    status: AckStatus
    status_code: str
    codes: tuple[str, ...] = ()
    segment_errors: tuple[SegmentError, ...] = ()


@dataclass(frozen=True, slots=True)
class GroupAck:
    """The verdict on one group: AK1/AK9, or a CONTRL UCF; counts are AK902..AK904."""

    functional_id: str | None
    control_number: str
    status: AckStatus
    status_code: str
    codes: tuple[str, ...] = ()
    included: int | None = None
    received: int | None = None
    accepted: int | None = None
    transactions: tuple[TransactionAck, ...] = ()


@dataclass(frozen=True, slots=True)
class AckResult:
    """One acknowledgement we received.

    ``control_number`` is the ack's own ST02/UNH reference. ``interchange_control_number``
    is the interchange acknowledged (CONTRL UCI; X12 functional acks do not name it).
    ``transactions`` lists every acknowledged transaction across groups, for matching.
    ``codes`` are interchange-level codes (UCI 0085) or, for an APERAK, its ERC codes;
    ``references`` are APERAK RFF qualifier/value pairs, ``document_number`` its BGM id.
    """

    kind: str  # "997" | "999" | "CONTRL" | "APERAK"
    control_number: str
    status: AckStatus
    groups: tuple[GroupAck, ...] = ()
    transactions: tuple[TransactionAck, ...] = ()
    interchange_control_number: str | None = None
    status_code: str = ""
    codes: tuple[str, ...] = ()
    references: tuple[tuple[str, str], ...] = ()
    document_number: str | None = None
