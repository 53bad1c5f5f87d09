"""Writing one flow's records into one target: merge, batch, retry, dead-letter.

For each record the target's last known values (from the id map) are merged with the
record under the flow's field ownership (:func:`~b2bbridge.core.sync.merge_change`):
only fields that changed and that the source may write are sent, and a record with
nothing to send is skipped, which is also what stops a change bouncing back and forth.
Refused fields are :class:`~b2bbridge.core.sync.Conflict` values, logged as
``sync_conflict`` and counted in the run.

A batch goes to the target in one ``upsert`` call. A transient failure (RETRY) is retried
up to the flow's ``max_attempts`` with the computed back-off; after the last one, every record
of the batch is dead-lettered. A permanent failure (REJECT) of a batch is retried record
by record, so that one bad record does not take its batch-mates down with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import structlog

from b2bbridge.core.errors import B2BError, Disposition
from b2bbridge.core.sync import Conflict, FlowSpec, Offer, merge_change
from b2bbridge.ports import SyncRecord, SystemAdapter
from b2bbridge.services.context import RetryPolicy
from b2bbridge.services.disposition import decide
from b2bbridge.services.sync_context import SyncContext
from b2bbridge.services.sync_deadletter import dead_letter_record

log = structlog.get_logger("b2bbridge.sync")


@dataclass(slots=True)
class WriteTally:
    """What happened to the records offered to the targets in one run."""

    written: int = 0
    skipped: int = 0
    failed: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    dead_letters: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Planned:
    """A record ready for a target: what to send, and the values known there afterwards."""

    record: SyncRecord
    known_after: dict[str, object]


def plan_writes(
    ctx: SyncContext, flow: FlowSpec, target: str, records: Sequence[SyncRecord], tally: WriteTally
) -> list[Planned]:
    """The records worth sending to ``target``, merged with what it already holds."""
    planned: list[Planned] = []
    with ctx.state() as state:
        for record in records:
            known = state.id_map.get(record.entity, record.key, target)
            current = known.known_fields or {} if known is not None else {}
            offer = Offer(record.key, flow.source, record.stamp, record.fields)
            merged = merge_change(offer, current, None, flow.ownership)
            for conflict in merged.conflicts:
                log.info(
                    "sync_conflict", flow=flow.name, target=target, **_conflict_fields(conflict)
                )
            tally.conflicts.extend(merged.conflicts)
            if known is not None and not merged.writes:
                tally.skipped += 1
                continue
            after = {**current, **merged.writes}
            external = known.external_id if known is not None else None
            planned.append(
                Planned(SyncRecord(record.entity, record.key, after, external, record.stamp), after)
            )
    return planned


def write_batch(
    ctx: SyncContext, flow: FlowSpec, target: str, batch: Sequence[Planned], tally: WriteTally
) -> None:
    """Upsert ``batch`` into ``target`` and record the ids, or dead-letter what failed."""
    system = ctx.system(target)
    policy = replace(ctx.retry, max_attempts=flow.max_attempts)
    ids, error, attempts = _upsert_with_retry(ctx, policy, system, [p.record for p in batch])
    if error is not None:
        if error.disposition is Disposition.REJECT and len(batch) > 1:
            for planned in batch:
                write_batch(ctx, flow, target, [planned], tally)
            return
        _dead_letter(ctx, flow, target, batch, error, attempts, tally)
        return
    with ctx.state() as state:
        for planned, external_id in zip(batch, ids, strict=True):
            state.id_map.put(
                planned.record.entity,
                planned.record.key,
                target,
                external_id,
                known_fields=planned.known_after,
            )
        state.commit()
    tally.written += len(batch)


def _upsert_with_retry(
    ctx: SyncContext, policy: RetryPolicy, system: SystemAdapter, records: list[SyncRecord]
) -> tuple[list[str], B2BError | None, int]:
    """The ids, or the error that ended the attempts and how many attempts were made."""
    attempts = 0
    while True:
        attempts += 1
        try:
            return system.upsert(records[0].entity, records), None, attempts
        except B2BError as error:
            decision = decide(error, attempts=attempts, policy=policy, jitter=0.0)
            if decision.disposition is not Disposition.RETRY:
                return [], error, attempts
            log.warning(
                "sync_retry",
                system=system.name,
                attempts=attempts,
                delay_seconds=decision.delay_seconds,
                error=str(error),
            )
            ctx.pause(decision.delay_seconds)


def _dead_letter(
    ctx: SyncContext,
    flow: FlowSpec,
    target: str,
    batch: Sequence[Planned],
    error: B2BError,
    attempts: int,
    tally: WriteTally,
) -> None:
    with ctx.uow() as uow:
        for planned in batch:
            letter = dead_letter_record(
                uow,
                flow=flow.name,
                target=target,
                record=planned.record,
                failure=error,
                attempts=attempts,
            )
            tally.dead_letters.append(letter)
        uow.commit()
    tally.failed += len(batch)


def _conflict_fields(conflict: Conflict) -> dict[str, object]:
    return {
        "key": conflict.key,
        "field": conflict.field,
        "source": conflict.source,
        "reason": conflict.reason,
    }
