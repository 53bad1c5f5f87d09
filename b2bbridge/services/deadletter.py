"""Dead letters: the visible, replayable end of every failure path.

Nothing fails silently: a unit that cannot be stored is written here with its code, the
human reason, its full location, and how many attempts were made, and an
``dead_lettered`` event is logged. Ops list, inspect and replay them from the CLI.
"""

from __future__ import annotations

import structlog

from b2bbridge.core.errors import B2BError, Problem
from b2bbridge.ports import UnitOfWork

log = structlog.get_logger("b2bbridge.deadletter")


def record_dead_letter(
    uow: UnitOfWork,
    *,
    message_id: int,
    partner: str | None,
    failure: B2BError | Problem,
    attempts: int = 1,
    replay_of: int | None = None,
) -> int:
    """Write one dead letter inside the caller's unit of work and log it."""
    if isinstance(failure, Problem):
        code, reason, location = failure.code, failure.message, failure.location
        last_error = failure.render()
    else:
        code, reason, location = failure.code, failure.message, failure.location
        last_error = f"{type(failure).__name__}: {failure}"
    where = location.with_(partner=partner)
    dl_id = uow.dead_letters.add(
        message_id=message_id,
        partner=partner,
        code=code,
        reason=reason,
        location=where.as_dict(),
        attempts=attempts,
        last_error=last_error,
        replay_of=replay_of,
    )
    log.warning(
        "dead_lettered",
        dead_letter_id=dl_id,
        message_id=message_id,
        code=code,
        reason=reason,
        where=where.render(),
    )
    return dl_id
