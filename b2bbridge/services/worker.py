"""The worker loop: lease queued work, process it, and retry or dead-letter failures.

A leased item that is never completed (the worker was killed) comes back when its lease
expires, so a crash costs a retry, never a message. Transient failures are released with a
backoff delay computed by :mod:`disposition`; the last failed attempt, and any permanent
failure, ends as a dead letter with the attempts counted.
"""

from __future__ import annotations

from collections.abc import Callable

import structlog

from b2bbridge.core.errors import B2BError, Disposition, TransientError
from b2bbridge.logs import bind_message
from b2bbridge.ports import WorkItem
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.deadletter import record_dead_letter
from b2bbridge.services.disposition import decide
from b2bbridge.services.inbound import process_message
from b2bbridge.services.results import MessageResult

log = structlog.get_logger("b2bbridge.worker")


def run_item(ctx: ServiceContext, item: WorkItem) -> MessageResult | None:
    """Process one work item to completion, retry or dead letter. Returns the result if done."""
    with ctx.uow() as uow:
        msg = uow.messages.get(item.message_id)
    raw = (item.payload or {}).get("replay_of")
    replay_of = raw if isinstance(raw, int) else None
    with bind_message(correlation_id=msg.correlation_id, message_id=msg.id, partner=msg.partner):
        try:
            result = process_message(ctx, item.message_id, replay_of=replay_of)
        except Exception as exc:  # noqa: BLE001 - every failure gets a disposition
            _dispose(ctx, item, exc)
            return None
        ctx.queue.complete(item.id)
        return result


def _dispose(ctx: ServiceContext, item: WorkItem, exc: Exception) -> None:
    attempts = item.attempts + 1
    decision = decide(exc, attempts=attempts, policy=ctx.retry)
    if decision.disposition is Disposition.STOP:
        ctx.queue.release_for_retry(item.id, delay_seconds=0, error=str(exc))
        raise exc
    if decision.disposition is Disposition.RETRY:
        ctx.queue.release_for_retry(item.id, delay_seconds=decision.delay_seconds, error=str(exc))
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
    ctx.queue.fail(item.id, error=str(exc))


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
