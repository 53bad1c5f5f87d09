"""Recovery: messages stranded between their commit and their enqueue are put back to work."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from e2e_support import Deployment
from pipeline_support import order_850, receive

from b2bbridge.bootstrap import App
from b2bbridge.services.recovery import requeue_stranded, resend_pending
from b2bbridge.services.worker import drain


class LaterClock:
    """The wall clock moved forward, so that just-received messages look old."""

    def __init__(self, seconds: float) -> None:
        self.offset = timedelta(seconds=seconds)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def _strand(app: App, data: bytes) -> int:
    """What receive leaves behind when it dies after its commit: a message, no work item."""
    sha = hashlib.sha256(data).hexdigest()
    with app.ctx.uow() as uow:
        uow.payloads.put(data)
        message_id = uow.messages.add(
            direction="in",
            partner="acme",
            connector="acme-folder",
            filename="stranded.x12",
            payload_sha256=sha,
            size=len(data),
            correlation_id="c1",
            syntax="x12",
        )
        uow.commit()
    return message_id


def test_stranded_message_is_requeued_and_then_stored(app: App) -> None:
    stranded = _strand(app, order_850(11, "PO-STRANDED"))
    later = replace(app.ctx, clock=LaterClock(120))
    assert requeue_stranded(later, grace_seconds=60) == [stranded]
    (result,) = drain(app.ctx)
    assert (result.message_id, result.documents) == (stranded, 1)


def test_message_inside_the_grace_period_is_left_alone(app: App) -> None:
    _strand(app, order_850(12, "PO-FRESH"))
    assert requeue_stranded(app.ctx, grace_seconds=60) == []
    assert app.ctx.queue.pending_count() == 0


def test_queued_message_is_not_requeued(app: App) -> None:
    receive(app, order_850(13, "PO-QUEUED"))
    later = replace(app.ctx, clock=LaterClock(120))
    assert requeue_stranded(later, grace_seconds=60) == []
    assert app.ctx.queue.pending_count() == 1


def test_second_sweep_finds_nothing_left_to_requeue(app: App) -> None:
    _strand(app, order_850(14, "PO-ONCE"))
    later = replace(app.ctx, clock=LaterClock(120))
    requeue_stranded(later, grace_seconds=60)
    assert requeue_stranded(later, grace_seconds=60) == []
    assert app.ctx.queue.pending_count() == 1


def _pending_ack(app: App, message_id: int) -> int:
    with app.ctx.uow() as uow:
        sha = uow.payloads.put(b"ISA*00*ack~")
        out_id = uow.outbound.add(
            message_id=message_id,
            partner="acme",
            kind="997",
            interchange_control_number="000000077",
            group_control_number="77",
            transaction_control_number="0077",
            payload_sha256=sha,
            destination="acme-folder",
            status="pending",
        )
        uow.commit()
    return out_id


def test_ack_left_pending_by_a_crash_is_sent_by_the_sweep(app: App, deployment: Deployment) -> None:
    out_id = _pending_ack(app, _strand(app, order_850(15, "PO-ACK")))
    later = replace(app.ctx, clock=LaterClock(120))
    assert (resend_pending(app.ctx, grace_seconds=60), resend_pending(later)) == (0, 1)
    outbox = deployment.partner_dir / "outbox" / "acme_997_000000077.x12"
    assert outbox.read_bytes() == b"ISA*00*ack~"
    with app.ctx.uow() as uow:
        assert uow.outbound.get(out_id).status == "sent"
    assert resend_pending(later) == 0
