"""The worker loop: lease queued work, process it, and retry or dead-letter failures.

A leased item that is never completed (the worker was killed) comes back when its lease
expires, so a crash costs a retry, never a message. Transient failures are released with a
backoff delay computed by :mod:`disposition`; the last failed attempt, and any permanent
failure, ends as a dead letter with the attempts counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import structlog

from b2bbridge.core.errors import B2BError, Disposition, TransientError
from b2bbridge.logs import bind_message
from b2bbridge.ports import NotFoundError, WorkItem
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.deadletter import record_dead_letter
from b2bbridge.services.disposition import decide
from b2bbridge.services.inbound import process_message
from b2bbridge.services.recovery import requeue_stranded, resend_pending
from b2bbridge.services.results import MessageResult

log = structlog.get_logger("b2bbridge.worker")


def run_item(ctx: ServiceContext, item: WorkItem) -> MessageResult | None:
    """Process one work item to completion, retry or dead letter. Returns the result if done."""
    with ctx.uow() as uow:
        msg = uow.messages.get(item.message_id)
    raw = (item.payload or {}).get("replay_of")
    replay_of = raw if isinstance(raw, int) else None
    if replay_of is None and msg.status != "received":
        # Done before a crash stopped this worker from completing the item: nothing to redo.
        _settle(item, ctx.queue.complete, item.id)
        log.info("work_already_done", message_id=msg.id, status=msg.status)
        return None
    with bind_message(correlation_id=msg.correlation_id, message_id=msg.id, partner=msg.partner):
        try:
            result = process_message(ctx, item.message_id, replay_of=replay_of)
        except Exception as exc:  # noqa: BLE001 - every failure gets a disposition
            _dispose(ctx, item, exc)
            return None
        _settle(item, ctx.queue.complete, item.id)
        return result


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
    attempts = item.attempts + 1
    decision = decide(exc, attempts=attempts, policy=ctx.retry)
    if decision.disposition is Disposition.STOP:
        _settle(item, ctx.queue.release_for_retry, item.id, delay_seconds=0, error=str(exc))
        raise exc
    if decision.disposition is Disposition.RETRY:
        _settle(
            item,
            ctx.queue.release_for_retry,
            item.id,
            delay_seconds=decision.delay_seconds,
            error=str(exc),
        )
        log.warning(
            "work_retry_scheduled",
            message_id=item.message_id,
            attempts=attempts,
            delay_seconds=round(decision.delay_seconds, 2),
            error=str(exc),
        )
        return
    failure = (
        exc
        if isinstance(exc, B2BError)
        else TransientError(f"{type(exc).__name__}: {exc}", code=decision.code)
    )
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
        for item in items:
            result = run_item(ctx, item)
            if result is not None:
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
        for item in items:
            run_item(ctx, item)
            done += 1
    log.info("worker_stopped", worker=ctx.worker_name, items=done)
    return done
