"""Replay dead letters from their stored raw payload with today's mappings, or discard them.

A replay is a new attempt at the whole message the dead letter came from, run through
the same inbound pipeline. It is safe to repeat: documents are stored once per natural
key, so a replayed order that was already stored is counted as a duplicate, never added
again. Dead letters the new attempt produces point back with ``replay_of``.

The order is chosen for crash safety: the message is processed first, and only then are
its open dead letters marked ``replayed``. A crash in between leaves them ``open``, and
replaying them again is harmless. Several dead letters of one message are replayed by
one attempt, since the attempt re-reads the whole payload.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import structlog

from b2bbridge.core.errors import B2BError
from b2bbridge.ports import DeadLetterRecord
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.inbound import process_message
from b2bbridge.services.results import MessageResult

log = structlog.get_logger("b2bbridge.replay")

OPEN, REPLAYED, DISCARDED = "open", "replayed", "discarded"


@dataclass(frozen=True, slots=True)
class ReplayResult:
    """What one replayed message became; ``error`` is set when the attempt itself failed."""

    message_id: int
    dead_letter_ids: tuple[int, ...]
    result: MessageResult | None
    error: str | None = None

    @property
    def documents(self) -> int:
        return self.result.documents if self.result else 0

    @property
    def status(self) -> str:
        if self.result is None:
            return "error"
        return self.result.status


def select_dead_letters(
    ctx: ServiceContext,
    *,
    ids: Sequence[int] = (),
    partner: str | None = None,
    code: str | None = None,
    since: datetime | None = None,
    limit: int = 10_000,
) -> list[DeadLetterRecord]:
    """Dead letters named by id (any status), or the open ones matching the filters.

    Unknown ids raise :class:`~b2bbridge.ports.NotFoundError`; naming them explicitly is
    how an operator replays a dead letter again on purpose.
    """
    with ctx.uow() as uow:
        if ids:
            return [uow.dead_letters.get(i) for i in ids]
        found = uow.dead_letters.list(
            partner=partner, code=code, since=since, status=OPEN, limit=limit
        )
    return sorted(found, key=lambda d: d.id)


SYNC_CONNECTOR_PREFIXES = ("system:", "sync:")


def split_sync_dead_letters(
    ctx: ServiceContext, dead_letters: Sequence[DeadLetterRecord]
) -> tuple[list[DeadLetterRecord], list[DeadLetterRecord]]:
    """(pipeline, sync) dead letters: a sync flow's failures replay with ``sync replay``.

    A failed sync record or run is kept as a message whose connector is ``system:<target>``
    or ``sync:<flow>``; pushing its JSON through the inbound pipeline would be wrong.
    """
    pipeline: list[DeadLetterRecord] = []
    sync: list[DeadLetterRecord] = []
    with ctx.uow() as uow:
        for dl in dead_letters:
            connector = uow.messages.get(dl.message_id).connector or ""
            (sync if connector.startswith(SYNC_CONNECTOR_PREFIXES) else pipeline).append(dl)
    return pipeline, sync


def replay_dead_letters(
    ctx: ServiceContext,
    dead_letters: Sequence[DeadLetterRecord],
    *,
    on_result: Callable[[ReplayResult], None] | None = None,
) -> list[ReplayResult]:
    """Replay each message once, oldest dead letter first; never raises for one message."""
    by_message: dict[int, list[DeadLetterRecord]] = {}
    for dl in sorted(dead_letters, key=lambda d: d.id):
        by_message.setdefault(dl.message_id, []).append(dl)
    results: list[ReplayResult] = []
    for message_id, letters in by_message.items():
        outcome = replay_message(ctx, message_id, letters)
        results.append(outcome)
        if on_result is not None:
            on_result(outcome)
    return results


def replay_message(
    ctx: ServiceContext, message_id: int, letters: Sequence[DeadLetterRecord]
) -> ReplayResult:
    """One new attempt at a message, linked to the first of its dead letters."""
    ids = tuple(d.id for d in letters)
    try:
        result = process_message(ctx, message_id, replay_of=ids[0])
    except (B2BError, LookupError, ValueError) as exc:
        log.error("replay_failed", message_id=message_id, dead_letters=ids, error=str(exc))
        return ReplayResult(message_id, ids, None, f"{type(exc).__name__}: {exc}")
    with ctx.uow() as uow:
        for dl_id in ids:
            uow.dead_letters.set_status(dl_id, REPLAYED, note=f"replayed as message {message_id}")
        uow.events.append(
            message_id,
            "replayed",
            component="replay",
            detail={"dead_letters": list(ids), "documents": result.documents},
        )
        uow.commit()
    log.info(
        "dead_letters_replayed",
        message_id=message_id,
        dead_letters=ids,
        status=result.status,
        documents=result.documents,
        duplicates=result.duplicates,
    )
    return ReplayResult(message_id, ids, result)


def discard_dead_letter(ctx: ServiceContext, dead_letter_id: int, *, reason: str) -> None:
    """Close a dead letter for good, saying why; it stays in the store for the record."""
    if not reason.strip():
        raise ValueError("a discard needs a reason")
    with ctx.uow() as uow:
        dl = uow.dead_letters.get(dead_letter_id)
        uow.dead_letters.set_status(dead_letter_id, DISCARDED, note=reason)
        uow.events.append(
            dl.message_id,
            "discarded",
            component="dlq",
            code=dl.code,
            detail={"dead_letter": dead_letter_id, "reason": reason},
        )
        uow.commit()
    log.warning("dead_letter_discarded", dead_letter_id=dead_letter_id, reason=reason)
