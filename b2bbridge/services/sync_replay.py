"""Replay a sync dead letter: write its record to its target again, once.

The target's ``upsert`` is idempotent (Tryton sales are found by reference, stock is
set, not added), and the id map is updated as in a normal run, so a replay after the
target is back creates the record once, and replaying the same dead letter twice is
refused because it is no longer open.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog

from b2bbridge.core.errors import B2BError
from b2bbridge.services.sync_context import SyncContext
from b2bbridge.services.sync_deadletter import dead_letter_record, load_dead_record

log = structlog.get_logger("b2bbridge.sync")


@dataclass(frozen=True, slots=True)
class ReplayResult:
    dead_letter_id: int
    ok: bool
    external_id: str | None = None
    new_dead_letter_id: int | None = None


def replay_sync_dead_letter(ctx: SyncContext, dead_letter_id: int) -> ReplayResult:
    """Send the dead letter's record to its target; a new failure makes a new dead letter."""
    with ctx.uow() as uow:
        letter = uow.dead_letters.get(dead_letter_id)
        if letter.status != "open":
            raise B2BError(
                f"dead letter {dead_letter_id} is {letter.status}, not open", code="replay_refused"
            )
        flow, target, record = load_dead_record(uow, dead_letter_id)
        uow.dead_letters.set_status(dead_letter_id, "replayed")
        try:
            external_id = ctx.system(target).upsert(record.entity, [record])[0]
        except B2BError as error:
            new_id = dead_letter_record(
                uow,
                flow=flow,
                target=target,
                record=record,
                failure=error,
                attempts=1,
                replay_of=dead_letter_id,
            )
            uow.commit()
            return ReplayResult(dead_letter_id, ok=False, new_dead_letter_id=new_id)
        uow.commit()
    with ctx.state() as state:
        state.id_map.put(record.entity, record.key, target, external_id, known_fields=record.fields)
        state.commit()
    log.info(
        "sync_replayed",
        dead_letter_id=dead_letter_id,
        target=target,
        key=record.key,
        external_id=external_id,
    )
    return ReplayResult(dead_letter_id, ok=True, external_id=external_id)
