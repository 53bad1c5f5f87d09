"""Replay a sync dead letter: write its record to its target again, once.

The target's ``upsert`` is idempotent (Tryton sales are found by reference, stock is
set, not added), and the id map is updated as in a normal run, so a replay after the
target is back creates the record once, and replaying the same dead letter twice is
refused because it is no longer open.

A dead letter of a whole triggered run (see :func:`dead_letter_run`) is replayed by
running its flow again from the flow's watermark; that run writes through the id map, so
whatever the failed run had already written is not written twice.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog

from b2bbridge.core.errors import B2BError
from b2bbridge.services.sync import SyncReport, run_flow
from b2bbridge.services.sync_context import SyncContext
from b2bbridge.services.sync_deadletter import (
    dead_letter_record,
    dead_letter_run,
    dead_run,
    load_dead_record,
)

log = structlog.get_logger("b2bbridge.sync")


@dataclass(frozen=True, slots=True)
class ReplayResult:
    dead_letter_id: int
    ok: bool
    external_id: str | None = None
    new_dead_letter_id: int | None = None
    report: SyncReport | None = None


def replay_sync_dead_letter(ctx: SyncContext, dead_letter_id: int) -> ReplayResult:
    """Send the dead letter's record to its target; a new failure makes a new dead letter."""
    with ctx.uow() as uow:
        letter = uow.dead_letters.get(dead_letter_id)
        if letter.status != "open":
            raise B2BError(
                f"dead letter {dead_letter_id} is {letter.status}, not open", code="replay_refused"
            )
        run_of = dead_run(uow, dead_letter_id)
    if run_of is not None:
        return _replay_run(ctx, dead_letter_id, *run_of)
    with ctx.uow() as uow:
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


def _replay_run(ctx: SyncContext, dead_letter_id: int, flow: str, message_id: int) -> ReplayResult:
    """Run ``flow`` again; the old dead letter is closed either way, a failure opens a new one."""
    try:
        report = run_flow(ctx, flow)
    except B2BError as error:
        with ctx.uow() as uow:
            uow.dead_letters.set_status(dead_letter_id, "replayed", note="the run failed again")
            new_id = dead_letter_run(
                uow,
                flow=flow,
                trigger_message_id=message_id,
                failure=error,
                attempts=1,
                replay_of=dead_letter_id,
            )
            uow.commit()
        return ReplayResult(dead_letter_id, ok=False, new_dead_letter_id=new_id)
    with ctx.uow() as uow:
        uow.dead_letters.set_status(dead_letter_id, "replayed", note=f"run {report.run_id}")
        uow.commit()
    log.info("sync_run_replayed", dead_letter_id=dead_letter_id, flow=flow, run_id=report.run_id)
    return ReplayResult(dead_letter_id, ok=report.failed == 0, report=report)
