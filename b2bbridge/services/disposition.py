"""Error to disposition: retry after a computed delay, dead-letter now, or stop.

Retry is one small concern kept apart from the work itself: the service that failed
does not sleep or loop. It asks here what to do, and the queue schedules the next attempt
(``delay_seconds``), so a retry survives a restart and never blocks a worker.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import structlog

from b2bbridge.core.errors import B2BError, Disposition, TransientError
from b2bbridge.ports import WorkItem
from b2bbridge.services.context import RetryPolicy, ServiceContext

log = structlog.get_logger("b2bbridge.worker")

Settle = Callable[..., None]
"""How a worker settles an item: ``settle(item, action, *args, **kwargs)``."""


@dataclass(frozen=True, slots=True)
class Decision:
    disposition: Disposition
    delay_seconds: float = 0.0
    code: str = "error"


def decide(
    error: BaseException, *, attempts: int, policy: RetryPolicy, jitter: float | None = None
) -> Decision:
    """What to do after ``attempts`` failed tries ended in ``error``.

    Unknown exceptions are treated as transient: a bug or an outage looks the same from
    here, and a capped number of retries followed by a dead letter is safe for both.
    """
    if isinstance(error, B2BError):
        disposition, code = error.disposition, error.code
    else:
        disposition, code = Disposition.RETRY, "unexpected_error"
    if disposition is Disposition.RETRY and attempts >= policy.max_attempts:
        return Decision(Disposition.REJECT, code=code)
    if disposition is not Disposition.RETRY:
        return Decision(disposition, code=code)
    delay = min(policy.max_seconds, policy.base_seconds * 2 ** max(0, attempts - 1))
    spread = random.random() if jitter is None else jitter
    return Decision(Disposition.RETRY, delay_seconds=delay * (0.5 + spread / 2), code=code)


def retry_or_failure(
    ctx: ServiceContext,
    item: WorkItem,
    exc: Exception,
    settle: Settle,
    *,
    event: str,
    stop_raises: bool = True,
    **fields: object,
) -> tuple[B2BError, Decision] | None:
    """Release a failed item for its next attempt (None), or give the failure to dead-letter.

    The delay comes from :func:`decide` and the queue keeps it, so nothing here sleeps.
    A ``STOP`` disposition (bad configuration) releases the item at once and re-raises
    when ``stop_raises``; a caller that only affects itself (a sync flow) passes False
    and dead-letters it like a permanent error.
    """
    attempts = item.attempts + 1
    decision = decide(exc, attempts=attempts, policy=ctx.retry)
    if decision.disposition is Disposition.STOP and stop_raises:
        settle(item, ctx.queue.release_for_retry, item.id, delay_seconds=0, error=str(exc))
        raise exc
    if decision.disposition is Disposition.RETRY:
        delay = decision.delay_seconds
        settle(item, ctx.queue.release_for_retry, item.id, delay_seconds=delay, error=str(exc))
        log.warning(
            event, attempts=attempts, delay_seconds=round(delay, 2), error=str(exc), **fields
        )
        return None
    if isinstance(exc, B2BError):
        return exc, decision
    return TransientError(f"{type(exc).__name__}: {exc}", code=decision.code), decision
