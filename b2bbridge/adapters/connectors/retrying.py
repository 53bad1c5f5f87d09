"""The connector's ``retry`` policy as a tenacity retryer, shared by every connector kind.

A connector retries *transient* failures inside one operation (a refused or dropped
connection, a broker that went away): :class:`~b2bbridge.core.errors.ConnectorError`
only. Refused credentials and host keys are :class:`~b2bbridge.core.errors.ConfigError`
and are never retried, so a wrong password cannot become a retry storm. Waits grow
exponentially from ``retry.base_seconds`` up to ``retry.max_seconds`` with random jitter,
so many workers that lost the same server do not come back in lock-step. What is still
failing after ``retry.attempts`` goes up to the worker, whose own backoff and dead-letter
store take over.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import structlog
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from b2bbridge.adapters.connectors.base import ConnectorRetry
from b2bbridge.core.errors import ConnectorError

log = structlog.get_logger("b2bbridge.connectors")
T = TypeVar("T")


def retryer(policy: ConnectorRetry, *, connector: str, what: str) -> Retrying:
    """A tenacity ``Retrying`` for one operation of one connector, logging each retry."""

    def before_sleep(state: RetryCallState) -> None:
        outcome = state.outcome
        error = outcome.exception() if outcome is not None else None
        log.warning(
            "connector_retry",
            connector=connector,
            operation=what,
            attempt=state.attempt_number,
            of=policy.attempts,
            wait_seconds=round(state.upcoming_sleep, 3),
            error=str(error),
        )

    return Retrying(
        stop=stop_after_attempt(policy.attempts),
        wait=wait_exponential_jitter(
            multiplier=policy.base_seconds, max=policy.max_seconds, jitter=policy.base_seconds
        ),
        retry=retry_if_exception_type(ConnectorError),
        before_sleep=before_sleep,
        reraise=True,
    )


def with_retries(policy: ConnectorRetry, connector: str, what: str, op: Callable[[], T]) -> T:
    """Run ``op``, retrying transient connector errors by the policy; re-raise the last."""
    return retryer(policy, connector=connector, what=what)(op)
