"""Where each flow stands, and moving a flow's watermark by hand.

Status per flow: its watermark, the lag (now less the watermark), the last run's status
and counts, and the open dead letters the flow left. ``pending`` is the
number of open sync dead letters waiting for a replay: sources are not polled just to
count what a run would find.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from b2bbridge.ports import SyncRunRecord
from b2bbridge.services.sync_context import SyncContext


@dataclass(frozen=True, slots=True)
class FlowStatus:
    flow: str
    watermark: datetime | None
    lag: timedelta | None
    last_run: SyncRunRecord | None
    pending: int


def flow_statuses(ctx: SyncContext) -> list[FlowStatus]:
    """One status line per configured flow, in name order."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        letters = uow.dead_letters.list(status="open", limit=10_000)
        files = [uow.messages.get(letter.message_id).filename or "" for letter in letters]
    statuses: list[FlowStatus] = []
    with ctx.state() as state:
        for name in sorted(ctx.flows):
            stored = state.watermarks.get(name)
            since = stored.since if stored else None
            pending = sum(file.startswith(f"{name}/") for file in files)
            statuses.append(
                FlowStatus(
                    name, since, now - since if since else None, state.runs.last(name), pending
                )
            )
    return statuses


def reset_watermark(ctx: SyncContext, name: str, to: datetime | None) -> None:
    """Set flow ``name``'s watermark to ``to`` (None: from the beginning); the id map stays."""
    ctx.flow(name)
    with ctx.state() as state:
        state.watermarks.put(name, to, [])
        state.commit()
