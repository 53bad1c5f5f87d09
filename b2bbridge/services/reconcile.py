"""Ack reconciliation: match the 997/999/TA1/CONTRL a partner sends to what we sent them.

Matching is by control numbers only, never by file name: a 997 or 999 names our group
(AK1/IK1 → our GS06), a TA1 and a CONTRL name our interchange (TA101 → ISA13, UCI →
UNB5). Each match resolves the waiting :class:`~b2bbridge.ports.AckExpectationRecord`
with the partner's verdict. An ack that matches nothing is not silently dropped: it is
logged and recorded as an ``ack_unmatched`` event on the message that carried it.

Expectations are written by :func:`expect_ack` when a document that wants an ack is sent;
the ones still waiting after their due time are what ``b2bbridge acks overdue`` lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import structlog

from b2bbridge.core.edi.acks.inbound import AckResult, TA1Result, read_ack, read_ta1
from b2bbridge.core.edi.events import Transaction
from b2bbridge.core.edi.segments import Segment
from b2bbridge.ports import AckExpectationRecord, OutboundRecord, UnitOfWork
from b2bbridge.services.context import ServiceContext

log = structlog.get_logger("b2bbridge.reconcile")

ACK_TYPES = frozenset({"997", "999", "CONTRL"})


@dataclass(frozen=True, slots=True)
class AckMatch:
    """One verdict of an inbound ack, and the expectations it resolved (maybe none)."""

    kind: str
    control_number: str
    scope: str  # "group" or "interchange"
    status: str
    resolved: tuple[int, ...]


def expect_ack(uow: UnitOfWork, sent: OutboundRecord, *, syntax: str, due_at: datetime) -> int:
    """Record that ``sent`` must be acknowledged by ``due_at``, in the caller's unit of work."""
    return uow.ack_expectations.add(
        outbound_id=sent.id,
        partner=sent.partner,
        syntax=syntax,
        interchange_control_number=sent.interchange_control_number,
        group_control_number=sent.group_control_number,
        due_at=due_at,
    )


def reconcile_transaction(
    uow: UnitOfWork, *, partner: str, message_id: int, transaction: Transaction
) -> list[AckMatch]:
    """Resolve what a 997, 999 or CONTRL acknowledges; inside the caller's unit of work."""
    result = read_ack(transaction)
    if result.kind == "CONTRL" or not result.groups:
        icn = result.interchange_control_number or ""
        return [
            _resolve(
                uow,
                partner,
                message_id,
                result.kind,
                icn,
                "interchange",
                result.status,
                _detail(result),
            )
        ]
    return [
        _resolve(
            uow,
            partner,
            message_id,
            result.kind,
            group.control_number,
            "group",
            group.status,
            {"codes": list(group.codes), "ack": result.control_number},
        )
        for group in result.groups
    ]


def reconcile_ta1(uow: UnitOfWork, *, partner: str, message_id: int, segment: Segment) -> AckMatch:
    """Resolve the interchange a TA1 answers."""
    ta1: TA1Result = read_ta1(segment)
    return _resolve(
        uow,
        partner,
        message_id,
        "TA1",
        ta1.control_number,
        "interchange",
        ta1.status,
        {"note_code": ta1.note_code, "note": ta1.note},
    )


def _detail(result: AckResult) -> dict[str, object]:
    return {"codes": list(result.codes), "ack": result.control_number}


def _resolve(
    uow: UnitOfWork,
    partner: str,
    message_id: int,
    kind: str,
    control: str,
    scope: str,
    status: str,
    detail: dict[str, object],
) -> AckMatch:
    found = _candidates(uow, partner, control, scope)
    for exp in found:
        uow.ack_expectations.resolve(
            exp.id, status=status, ack_kind=kind, ack_message_id=message_id, detail=detail
        )
    match = AckMatch(kind, control, scope, status, tuple(e.id for e in found))
    if not found:
        uow.events.append(
            message_id,
            "ack_unmatched",
            component="reconcile",
            code="ack_unmatched",
            detail={"kind": kind, scope: control, "status": status},
        )
        log.warning("ack_unmatched", partner=partner, kind=kind, scope=scope, control=control)
    else:
        log.info("ack_matched", partner=partner, kind=kind, control=control, status=status)
    return match


def _candidates(
    uow: UnitOfWork, partner: str, control: str, scope: str
) -> list[AckExpectationRecord]:
    """Expectations named by the control number; numeric ones also match without padding."""
    key = "group_control_number" if scope == "group" else "interchange_control_number"
    found = uow.ack_expectations.find(partner=partner, **{key: control})
    stripped = control.lstrip("0")
    if not found and control.isdigit() and stripped != control:
        found = uow.ack_expectations.find(partner=partner, **{key: stripped})
    if not found and control.isdigit() and scope == "interchange":
        found = uow.ack_expectations.find(partner=partner, **{key: control.zfill(9)})
    return found


def overdue_acks(ctx: ServiceContext, *, limit: int = 100) -> list[AckExpectationRecord]:
    """Expected acks still missing after their due time, the longest overdue first."""
    with ctx.uow() as uow:
        return uow.ack_expectations.overdue(now=ctx.clock.now(), limit=limit)
