"""Build the acknowledgements a partner asked for, store them, and send them.

Acks are outbound documents like any other: their control numbers come from the store's
allocator (never reused, never invented), their bytes are stored before they are sent, and
each is recorded against the inbound message so lineage shows which ack answered what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import structlog

from b2bbridge.core.edi.acks.edifact import build_contrl
from b2bbridge.core.edi.acks.outcome import InterchangeOutcome
from b2bbridge.core.edi.acks.x12 import AckControl, build_997, build_999, build_ta1
from b2bbridge.core.partner import PartnerProfile
from b2bbridge.ports import UnitOfWork
from b2bbridge.services.context import ServiceContext

log = structlog.get_logger("b2bbridge.acknowledge")


@dataclass(frozen=True, slots=True)
class PendingAck:
    outbound_id: int
    kind: str
    filename: str
    data: bytes


def wanted_acks(profile: PartnerProfile, outcome: InterchangeOutcome) -> list[str]:
    """The ack kinds to send for one interchange, by the partner's profile."""
    syntax = outcome.header.syntax
    sp = profile.syntax(syntax)
    if sp is None:
        return []
    kinds: list[str] = [k for k in sp.acks if k != "TA1"]
    rejected = any(p.is_error for p in outcome.problems)
    if (
        syntax == "x12"
        and ("TA1" in sp.acks or outcome.header.ack_requested)
        and (rejected or outcome.header.ack_requested)
    ):
        kinds.insert(0, "TA1")
    if rejected:  # an interchange rejected whole is answered by TA1 alone in X12
        kinds = [k for k in kinds if k in ("TA1", "CONTRL")] or (
            ["TA1"] if syntax == "x12" else ["CONTRL"]
        )
    return kinds


def prepare_acks(
    ctx: ServiceContext,
    uow: UnitOfWork,
    *,
    message_id: int,
    profile: PartnerProfile,
    outcome: InterchangeOutcome,
) -> list[PendingAck]:
    """Render and record the acks for one interchange inside the caller's unit of work."""
    pending: list[PendingAck] = []
    when = ctx.clock.now()
    for kind in wanted_acks(profile, outcome):
        text, icn, gcn, tcn = _render(uow, profile.partner, kind, outcome, when)
        data = text.encode(outcome.header.encoding or "latin-1", errors="replace")
        sha = uow.payloads.put(data)
        filename = f"{profile.partner}_{kind}_{icn}.{'x12' if kind != 'CONTRL' else 'edi'}"
        oid = uow.outbound.add(
            message_id=message_id,
            partner=profile.partner,
            kind=kind,
            interchange_control_number=icn,
            group_control_number=gcn,
            transaction_control_number=tcn,
            payload_sha256=sha,
            destination=profile.outbox_connector or "",
            status="pending",
        )
        pending.append(PendingAck(oid, kind, filename, data))
    return pending


def _render(
    uow: UnitOfWork, partner: str, kind: str, outcome: InterchangeOutcome, when: datetime
) -> tuple[str, str, str | None, str | None]:
    """Allocate the ack's control numbers and render it: (text, ICN, group, transaction)."""
    if kind == "CONTRL":
        unb, unh = uow.control_numbers.allocate_many(partner, ("unb", "unh"))
        ref, msg = str(unb), str(unh)
        return (
            build_contrl(outcome, control_reference=ref, message_reference=msg, when=when),
            ref,
            None,
            msg,
        )
    if kind == "TA1":
        isa = uow.control_numbers.allocate(partner, "isa")
        return build_ta1(outcome, control=isa, when=when), f"{isa:09d}", None, None
    isa, gs, st = uow.control_numbers.allocate_many(partner, ("isa", "gs", "st"))
    control = AckControl(interchange=isa, group=gs, transaction=st)
    build = build_997 if kind == "997" else build_999
    return build(outcome, control=control, when=when), f"{isa:09d}", str(gs), f"{st:04d}"


def send_acks(ctx: ServiceContext, profile: PartnerProfile, acks: list[PendingAck]) -> int:
    """Deliver stored acks through the partner's outbox connector; returns how many went.

    A failed send leaves the outbound record pending, to be sent again later; the inbound
    message is not failed for it, because its own processing is complete and committed.
    Inside a batch (group commit) the delivery is held back until the batch commits, and
    the acks handed over count as sent: a later failure leaves them pending the same way.
    """
    if not acks:
        return 0
    name = profile.outbox_connector
    if name is None or name not in ctx.connectors:
        log.warning("ack_not_sent", partner=profile.partner, reason="no outbox connector")
        return 0
    if ctx.deferred_sends is not None:
        ctx.deferred_sends.append(lambda later: deliver_acks(later, profile, acks))
        return len(acks)
    sent = deliver_acks(ctx, profile, acks)
    if sent:
        mark_sent(ctx, sent)
    return len(sent)


def deliver_acks(ctx: ServiceContext, profile: PartnerProfile, acks: list[PendingAck]) -> list[int]:
    """Hand each ack to the outbox connector; the outbound ids that went.

    The caller records them as sent (:func:`mark_sent`); until then a crash leaves them
    pending, and they are sent again, under the same control numbers, by the recovery sweep.
    """
    connector = ctx.connector(profile.outbox_connector or "")
    sent: list[int] = []
    for ack in acks:
        try:
            where = connector.send(ack.filename, ack.data)
        except Exception as exc:  # noqa: BLE001 - any send failure leaves the ack pending
            log.error("ack_send_failed", partner=profile.partner, kind=ack.kind, error=str(exc))
            continue
        log.info("ack_sent", partner=profile.partner, kind=ack.kind, destination=where)
        sent.append(ack.outbound_id)
    return sent


def mark_sent(ctx: ServiceContext, outbound_ids: list[int]) -> None:
    """Record deliveries in one transaction, a statement per 500 acks rather than per ack."""
    with ctx.uow() as uow:
        uow.outbound.set_status_many(outbound_ids, "sent")
        uow.commit()
