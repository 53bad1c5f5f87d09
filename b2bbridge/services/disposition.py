"""Error to disposition: retry after a computed delay, dead-letter now, or stop.

Retry is one small concern kept apart from the work itself: the service that failed
does not sleep or loop. It asks here what to do, and the queue schedules the next attempt
(``delay_seconds``), so a retry survives a restart and never blocks a worker.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from b2bbridge.core.errors import B2BError, Disposition
from b2bbridge.services.context import RetryPolicy


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
