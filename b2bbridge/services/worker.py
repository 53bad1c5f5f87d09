"""The worker loop: lease queued work, process it, and retry or dead-letter failures.

A leased item that is never completed (the worker was killed) comes back when its lease
expires, so a crash costs a retry, never a message. Transient failures are released with a
backoff delay computed by :mod:`disposition`; the last failed attempt, and any permanent
failure, ends as a dead letter with the attempts counted.

Work items are dispatched on their kind: ``process`` runs a received message through the
inbound pipeline (and then queues the sync flows its stored documents trigger), ``sync``
runs a triggered flow (:mod:`b2bbridge.services.sync_work`). An item of any other kind
is a bug or a newer producer: it is dead-lettered at once with code
``work_kind_unknown``, never dropped and never retried.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import structlog

from b2bbridge.core.errors import B2BError
from b2bbridge.logs import bind_message
from b2bbridge.ports import NotFoundError, WorkItem
from b2bbridge.services.batch import run_batch
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.deadletter import record_dead_letter
from b2bbridge.services.disposition import retry_or_failure
from b2bbridge.services.inbound import PROCESS, pending_message, process_message
from b2bbridge.services.recovery import requeue_stranded, resend_pending
from b2bbridge.services.results import MessageResult
from b2bbridge.services.sync_triggers import WORK_KIND as SYNC
from b2bbridge.services.sync_work import enqueue_after_store, run_sync_work

log = structlog.get_logger("b2bbridge.worker")


def run_item(ctx: ServiceContext, item: WorkItem) -> MessageResult | None:
    """Do one work item to completion, retry or dead letter; a processed message's result."""
    if item.kind == PROCESS:
        return _process(ctx, item)
    if item.kind == SYNC:
        run_sync_work(ctx, item, _settle)
        return None
    _reject_unknown(ctx, item)
    return None


def _process(ctx: ServiceContext, item: WorkItem) -> MessageResult | None:
    pending = pending_message(ctx, item)
    if pending is None:
        _settle(item, ctx.queue.complete, item.id)
        return None
    msg = pending.message
    with bind_message(correlation_id=msg.correlation_id, message_id=msg.id, partner=msg.partner):
        try:
            result = process_message(ctx, item.message_id, replay_of=pending.replay_of, message=msg)
        except Exception as exc:  # noqa: BLE001 - every failure gets a disposition
            _dispose(ctx, item, exc)
            return None
        enqueue_after_store(ctx, result)
        _settle(item, ctx.queue.complete, item.id)
        return result


def _reject_unknown(ctx: ServiceContext, item: WorkItem) -> None:
    """Dead-letter an item no handler knows, on its message, which keeps its own status."""
    failure = B2BError(
        f"work item {item.id} is of unknown kind {item.kind!r}; known: {PROCESS}, {SYNC}",
        code="work_kind_unknown",
    )
    with ctx.uow() as uow:
        try:
            partner = uow.messages.get(item.message_id).partner
        except NotFoundError:  # nothing to hang a dead letter on: the failed row says it
            log.error("work_kind_unknown", item_id=item.id, kind=item.kind, message_id=None)
            _settle(item, ctx.queue.fail, item.id, error=str(failure))
            return
        record_dead_letter(
            uow,
            message_id=item.message_id,
            partner=partner,
            failure=failure,
            attempts=item.attempts + 1,
        )
        uow.events.append(
            item.message_id,
            "work_failed",
            component="worker",
            code=failure.code,
            detail={"item": item.id, "kind": item.kind},
        )
        uow.commit()
    log.error("work_kind_unknown", item_id=item.id, kind=item.kind, message_id=item.message_id)
    _settle(item, ctx.queue.fail, item.id, error=str(failure))


def _settle(item: WorkItem, action: Callable[..., None], *args: object, **kwargs: object) -> None:
    """Settle a work item; one whose lease ran out and was finished elsewhere is let go.

    A worker stalled past its lease (a slow disk, a broker outage) may find that another
    worker reclaimed the item and completed it. The effect is already stored once, so
    there is nothing left to settle.
    """
    try:
        action(*args, **kwargs)
    except NotFoundError:
        log.warning("work_lease_lost", item_id=item.id, message_id=item.message_id)


def _dispose(ctx: ServiceContext, item: WorkItem, exc: Exception) -> None:
    given_up = retry_or_failure(
        ctx, item, exc, _settle, event="work_retry_scheduled", message_id=item.message_id
    )
    if given_up is None:
        return
    failure, decision = given_up
    attempts = item.attempts + 1
    with ctx.uow() as uow:
        msg = uow.messages.get(item.message_id)
        record_dead_letter(
            uow, message_id=item.message_id, partner=msg.partner, failure=failure, attempts=attempts
        )
        uow.messages.set_status(
            item.message_id,
            "dead",
            component="worker",
            code=decision.code,
            detail={"attempts": attempts, "error": str(exc)},
        )
        uow.commit()
    _settle(item, ctx.queue.fail, item.id, error=str(exc))


def drain(
    ctx: ServiceContext,
    *,
    on_result: Callable[[MessageResult], None] | None = None,
    batch: int = 50,
    lease_seconds: float = 120.0,
) -> list[MessageResult]:
    """Process queued work until none is ready now (``run --once`` and tests)."""
    results: list[MessageResult] = []
    while True:
        items = ctx.queue.lease(worker=ctx.worker_name, limit=batch, lease_seconds=lease_seconds)
        if not items:
            return results
        for result in run_batch(ctx, items, run_alone=run_item):
            results.append(result)
            if on_result is not None:
                on_result(result)


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """How a long-running worker paces itself."""

    batch: int = 10
    lease_seconds: float = 120.0
    idle_seconds: float = 0.5
    sweep_seconds: float = 60.0
    grace_seconds: float = 60.0


def work(
    ctx: ServiceContext,
    *,
    should_stop: Callable[[], bool],
    idle: Callable[[float], object],
    options: WorkerOptions | None = None,
) -> int:
    """Lease and process work until ``should_stop``; returns how many items were done.

    ``idle`` is how the caller waits when no work is ready (a sleep, or an event wait),
    so this loop itself never sleeps. Stranded messages are swept at start and then
    every ``sweep_seconds``.
    """
    opts = options or WorkerOptions()
    done = 0
    next_sweep = ctx.clock.now()
    while not should_stop():
        if ctx.clock.now() >= next_sweep:
            requeue_stranded(ctx, grace_seconds=opts.grace_seconds)
            resend_pending(ctx, grace_seconds=opts.grace_seconds)
            next_sweep = ctx.clock.now() + timedelta(seconds=opts.sweep_seconds)
        items = ctx.queue.lease(
            worker=ctx.worker_name, limit=opts.batch, lease_seconds=opts.lease_seconds
        )
        if not items:
            idle(opts.idle_seconds)
            continue
        run_batch(ctx, items, run_alone=run_item)
        done += len(items)
    log.info("worker_stopped", worker=ctx.worker_name, items=done)
    return done
