"""Recovery sweeps: put back to work what a crash left between two durable steps.

Two gaps are covered. Receiving commits a message and then queues it. A crash between
the two leaves the message ``received`` with no work item, and no lease brings it back. Workers run
:func:`requeue_stranded` when they start and every few minutes after. A grace period
keeps the sweep away from a message whose receiver is between the two steps right now;
should the two still race, processing the same message twice is harmless (a worker skips
a message that is no longer ``received``, and documents are stored once per natural key).

Acks are stored (``pending``) in the same transaction as what they answer and sent after
the commit; a crash or a failed send in between leaves them ``pending``.
:func:`resend_pending` sends those again through the connector named as their
destination, under the name they were first given.
"""

from __future__ import annotations

from datetime import timedelta

import structlog

from b2bbridge.ports import OutboundRecord
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.inbound import PROCESS

log = structlog.get_logger("b2bbridge.recovery")


def requeue_stranded(
    ctx: ServiceContext, *, grace_seconds: float = 60.0, limit: int = 500
) -> list[int]:
    """Queue every stranded message older than the grace period; returns their ids."""
    before = ctx.clock.now() - timedelta(seconds=grace_seconds)
    requeued: list[int] = []
    while True:
        with ctx.uow() as uow:
            stranded = uow.messages.list_stranded(before=before, limit=limit)
        if not stranded or not requeued_ids_are_new(stranded, requeued):
            break
        for message_id in stranded:
            ctx.queue.enqueue(PROCESS, message_id)
            log.warning("message_requeued", message_id=message_id, reason="no_work_item")
        requeued.extend(stranded)
        if len(stranded) < limit:
            break
    return requeued


def requeued_ids_are_new(stranded: list[int], requeued: list[int]) -> bool:
    """False when a queue did not record what it was given (the sweep would spin)."""
    return not set(stranded) & set(requeued)


def resend_pending(ctx: ServiceContext, *, grace_seconds: float = 60.0, limit: int = 100) -> int:
    """Send outbound documents left ``pending``; returns how many went out now."""
    before = ctx.clock.now() - timedelta(seconds=grace_seconds)
    with ctx.uow() as uow:
        pending = uow.outbound.list_pending(before=before, limit=limit)
        payloads = {o.id: uow.payloads.get(o.payload_sha256) for o in pending}
    sent = 0
    for out in pending:
        connector = ctx.connectors.get(out.destination)
        if connector is None:
            log.error("outbound_unsendable", outbound_id=out.id, destination=out.destination)
            continue
        try:
            where = connector.send(outbound_filename(out), payloads[out.id])
        except Exception as exc:  # noqa: BLE001 - stays pending for the next sweep
            log.error("outbound_resend_failed", outbound_id=out.id, error=str(exc))
            continue
        with ctx.uow() as uow:
            uow.outbound.set_status(out.id, "sent")
            uow.commit()
        log.warning("outbound_resent", outbound_id=out.id, kind=out.kind, destination=where)
        sent += 1
    return sent


def outbound_filename(out: OutboundRecord) -> str:
    """The name an ack is written under: partner, kind, interchange control number."""
    suffix = "edi" if out.kind == "CONTRL" else "x12"
    return f"{out.partner}_{out.kind}_{out.interchange_control_number}.{suffix}"
