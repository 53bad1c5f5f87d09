"""Run one sync flow: read the source's changes since the watermark, write the targets.

One run:

1. loads the flow's watermark (or starts from ``since`` when the caller gives one) and
   opens a ``sync_runs`` row;
2. asks the source for changes from the watermark less the flow's overlap, drops the
   versions already taken in that overlap, and drops echoes: records whose values are
   exactly what b2bbridge last wrote to (or read from) the source;
   With ``keys_from_id_map``, records first take the canonical key the id map holds for
   their external id in the source (see :class:`~b2bbridge.core.sync.FlowSpec`).
3. writes the rest to each target in batches of ``batch_size`` (see
   :mod:`b2bbridge.services.sync_write`), and after each batch records the ids and moves
   the watermark past it, committed together, so that a crash mid-run resumes after the
   last finished batch and the id map (plus the adapters' own idempotent upserts) keeps
   a re-sent batch from creating anything twice;
4. finishes the run row with its counts.

Records that failed for good are in the dead-letter store by then, so the watermark
moves past them too; ``replay_sync_dead_letter`` sends them again. A run that cannot go
on (the source is unreachable, a record cannot be stored) is closed as ``error`` with
the reason, keeps the watermark of its last finished batch, and re-raises.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

import structlog

from b2bbridge.core.errors import B2BError
from b2bbridge.core.sync import (
    ChangeStamp,
    Conflict,
    FlowSpec,
    Watermark,
    advance,
    is_echo,
    poll_start,
    select_fresh,
)
from b2bbridge.core.sync.echo import fingerprint
from b2bbridge.ports import SyncRecord, SyncState
from b2bbridge.services.sync_context import SyncContext
from b2bbridge.services.sync_write import WriteTally, plan_writes, write_batch

log = structlog.get_logger("b2bbridge.sync")


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one run did; ``dead_letters`` are the ids of the records it gave up on."""

    flow: str
    run_id: int
    read: int
    written: int
    skipped: int
    failed: int
    conflicts: list[Conflict] = field(default_factory=list)
    dead_letters: list[int] = field(default_factory=list)
    watermark: datetime | None = None


def run_flow(ctx: SyncContext, name: str, *, since: datetime | None = None) -> SyncReport:
    """Run flow ``name`` once; ``since`` overrides the stored watermark for this run."""
    flow = ctx.flow(name)
    mark, run_id = _begin(ctx, flow, since)
    try:
        return _run(ctx, flow, mark, run_id)
    except B2BError as error:
        _abort(ctx, run_id, error)
        raise


def _run(ctx: SyncContext, flow: FlowSpec, mark: Watermark, run_id: int) -> SyncReport:
    batch = ctx.system(flow.source).read_changes(flow.entity, poll_start(mark, flow.overlap))
    records = [_normalised(record, flow) for record in batch.records]
    if flow.keys_from_id_map:
        records = _mapped_keys(ctx, flow, records)
    fresh_stamps = {(s.key, s.stamp) for s in select_fresh(mark, _stamps(records))}
    fresh = [r for r in records if r.stamp is None or (r.key, r.stamp) in fresh_stamps]
    tally = WriteTally()
    live = {id(record) for record in _drop_echoes(ctx, flow, fresh, tally)}
    for start in range(0, max(len(fresh), 1), flow.batch_size):
        chunk = fresh[start : start + flow.batch_size]
        chosen = [record for record in chunk if id(record) in live]
        for target in flow.targets:
            planned = plan_writes(ctx, flow, target, chosen, tally)
            if planned:
                write_batch(ctx, flow, target, planned, tally)
        mark = _commit_progress(ctx, flow, mark, chosen, chunk)
    report = _finish(ctx, flow, run_id, len(records), tally, mark)
    log.info(
        "sync_run_finished",
        flow=flow.name,
        read=report.read,
        written=report.written,
        skipped=report.skipped,
        failed=report.failed,
        conflicts=len(report.conflicts),
    )
    return report


def _abort(ctx: SyncContext, run_id: int, error: B2BError) -> None:
    """Close the run row of a run that stopped (the source was down, a bad setting…)."""
    with ctx.state() as state:
        state.runs.finish(
            run_id,
            status="error",
            read=0,
            written=0,
            skipped=0,
            failed=0,
            conflicts=0,
            error=f"{error.code}: {error}",
        )
        state.commit()
    log.error("sync_run_stopped", run_id=run_id, code=error.code, error=str(error))


def _begin(ctx: SyncContext, flow: FlowSpec, since: datetime | None) -> tuple[Watermark, int]:
    with ctx.state() as state:
        stored = state.watermarks.get(flow.name)
        if since is not None:
            mark = Watermark(since=since)
        elif stored is None:
            mark = Watermark()
        else:
            seen = frozenset(ChangeStamp(key, stamp) for key, stamp in stored.seen)
            mark = Watermark(since=stored.since, seen=seen)
        run_id = state.runs.start(flow.name)
        state.commit()
    return mark, run_id


def _drop_echoes(
    ctx: SyncContext, flow: FlowSpec, records: Sequence[SyncRecord], tally: WriteTally
) -> list[SyncRecord]:
    """Records whose values differ from what the source was last known to hold."""
    live: list[SyncRecord] = []
    with ctx.state() as state:
        for record in records:
            known = state.id_map.get(record.entity, record.key, flow.source)
            if known is not None and is_echo(record.fields, known.written_fingerprint):
                tally.skipped += 1
                log.debug("sync_echo_dropped", flow=flow.name, key=record.key)
                continue
            live.append(record)
    return live


def _mapped_keys(ctx: SyncContext, flow: FlowSpec, records: list[SyncRecord]) -> list[SyncRecord]:
    """Each record under the canonical key the id map holds for its external id, if any."""
    keyed: list[SyncRecord] = []
    with ctx.state() as state:
        for record in records:
            mapped = None
            if record.external_id is not None:
                mapped = state.id_map.find_key(record.entity, flow.source, record.external_id)
            keyed.append(replace(record, key=mapped) if mapped is not None else record)
    return keyed


def _remember_source(state: SyncState, flow: FlowSpec, record: SyncRecord) -> None:
    if record.external_id is not None:
        state.id_map.put(
            record.entity, record.key, flow.source, record.external_id, known_fields=record.fields
        )


def _commit_progress(
    ctx: SyncContext,
    flow: FlowSpec,
    mark: Watermark,
    chosen: Sequence[SyncRecord],
    chunk: Sequence[SyncRecord],
) -> Watermark:
    moved = advance(mark, _stamps(chunk), flow.overlap)
    with ctx.state() as state:
        for record in chosen:
            _remember_source(state, flow, record)
        state.watermarks.put(flow.name, moved.since, sorted((s.key, s.stamp) for s in moved.seen))
        state.commit()
    return moved


def _finish(
    ctx: SyncContext, flow: FlowSpec, run_id: int, read: int, tally: WriteTally, mark: Watermark
) -> SyncReport:
    status = "failed" if tally.failed else "ok"
    with ctx.state() as state:
        state.runs.finish(
            run_id,
            status=status,
            read=read,
            written=tally.written,
            skipped=tally.skipped,
            failed=tally.failed,
            conflicts=len(tally.conflicts),
        )
        state.commit()
    return SyncReport(
        flow.name,
        run_id,
        read,
        tally.written,
        tally.skipped,
        tally.failed,
        list(tally.conflicts),
        list(tally.dead_letters),
        mark.since,
    )


def _stamps(records: Sequence[SyncRecord]) -> list[ChangeStamp]:
    return [ChangeStamp(r.key, r.stamp) for r in records if r.stamp is not None]


def _normalised(record: SyncRecord, flow: FlowSpec) -> SyncRecord:
    """The record's projected fields as JSON-native values, as the store compares them."""
    fields = json.loads(json.dumps(flow.project(record.fields), default=str))
    return SyncRecord(record.entity, record.key, fields, record.external_id, record.stamp)


__all__ = ["SyncReport", "fingerprint", "run_flow"]
