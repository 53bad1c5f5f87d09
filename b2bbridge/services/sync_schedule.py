"""Scheduled flows: which are due now, and running them.

A flow is due when its cron schedule has fired since its last run started (or, for a
flow that never ran, at once). The caller (``serve``, a cron job, a test) decides how
often to ask; nothing here sleeps. Flows whose run fails with an error are reported
and the others still run, so one unreachable system does not stop every flow.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

import structlog

from b2bbridge.core.errors import B2BError
from b2bbridge.services.sync import SyncReport, run_flow
from b2bbridge.services.sync_context import SyncContext

log = structlog.get_logger("b2bbridge.sync")


@dataclass(frozen=True, slots=True)
class DueRun:
    flow: str
    report: SyncReport | None
    error: str | None = None


def due_flows(ctx: SyncContext) -> list[str]:
    """The scheduled flows whose next firing after their last run is not in the future."""
    now = ctx.clock.now()
    due: list[str] = []
    with ctx.state() as state:
        for name in sorted(ctx.flows):
            flow = ctx.flows[name]
            if flow.schedule is None:
                continue
            last = state.runs.last(name)
            if last is None:
                due.append(name)
                continue
            fires = flow.next_due(last.started_at)
            if fires is not None and fires <= now:
                due.append(name)
    return due


def run_due_flows(
    ctx: SyncContext,
    *,
    should_stop: Callable[[], bool] | None = None,
    guard: AbstractContextManager[object] | None = None,
) -> list[DueRun]:
    """Run every due flow once, in name order; a failing flow does not stop the rest.

    Any exception of one flow, not only a :class:`B2BError` (a bug in one adapter, say),
    is logged and reported, and the next flow runs. ``should_stop`` is asked before each
    flow, so a stopping ``serve`` waits for one flow at most; ``guard`` is held around
    each run (``serve`` shares one lock with its triggered runs).
    """
    runs: list[DueRun] = []
    for name in due_flows(ctx):
        if should_stop is not None and should_stop():
            break
        try:
            with guard if guard is not None else nullcontext():
                runs.append(DueRun(name, run_flow(ctx, name)))
        except B2BError as error:
            log.error("sync_flow_failed", flow=name, code=error.code, error=str(error))
            runs.append(DueRun(name, None, error=str(error)))
        except Exception as exc:  # noqa: BLE001 - one flow must not stop the others
            log.error("sync_flow_failed", flow=name, code="unexpected_error", error=str(exc))
            runs.append(DueRun(name, None, error=f"{type(exc).__name__}: {exc}"))
    return runs
