"""``b2bbridge serve``: the long-running process, i.e. schedules, the HTTP API and workers.

Four parts share one process and one store:

- the scheduler polls each connector when its schedule (interval or cron) is due, and
  runs :func:`~b2bbridge.services.run.run_once` for it: receive, process, confirm;
- the worker takes queued work one item at a time (work pushed through the API,
  retries coming due, triggered sync flows), with
  :func:`~b2bbridge.services.worker.run_item`;
- the flow scheduler runs the sync flows whose cron schedule is due
  (:func:`~b2bbridge.services.sync_schedule.run_due_flows`), checking every
  ``--flow-poll`` seconds; a flow that fails is logged and the others still run;
- uvicorn serves the API on ``--host``/``--port``.

Documents stored by either of the first two enqueue the flows they trigger. Triggered
and scheduled runs take one lock, so two flows never drive the same system adapters at
once. Without a usable sync configuration the last part and the triggers are off, and
``serve`` says so at start.

SIGTERM or SIGINT stops all four cleanly: uvicorn finishes in-flight requests, the
scheduler and worker finish the file or item in hand, the flow scheduler the flow in
hand, then connectors and systems are closed. A work item interrupted harder than that is
leased again after its lease expires.

Register with ``app.command("serve")(serve_cmd.serve)``.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Protocol

import structlog
import typer

from b2bbridge.cli.console import console, opened_app
from b2bbridge.cli.sync_wiring import opened_sync, with_triggers
from b2bbridge.config import Settings
from b2bbridge.ports import Clock, Connector
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.run import run_once
from b2bbridge.services.sync_context import SyncContext
from b2bbridge.services.sync_schedule import run_due_flows
from b2bbridge.services.worker import run_item

log = structlog.get_logger("b2bbridge.serve")
SETTINGS_VARIABLE = "B2BBRIDGE_SETTINGS_JSON"  # read by b2bbridge.api.asgi


class Scheduled(Protocol):
    def next_after(self, moment: datetime) -> datetime: ...


class Scheduler:
    """Which connectors are due now, and how long until the next one is."""

    def __init__(self, clock: Clock, plan: Sequence[tuple[Connector, Scheduled]]) -> None:
        self.clock = clock
        now = clock.now()
        self.plan = list(plan)
        self.due = {c.name: now for c, _ in plan}

    def take_due(self) -> list[Connector]:
        now = self.clock.now()
        ready = [c for c, _ in self.plan if self.due[c.name] <= now]
        for c, schedule in self.plan:
            if c in ready:
                self.due[c.name] = schedule.next_after(now)
        return ready

    def seconds_to_next(self) -> float:
        if not self.due:
            return 60.0
        return max(0.0, (min(self.due.values()) - self.clock.now()).total_seconds())


def schedule_loop(ctx: ServiceContext, scheduler: Scheduler, stop: threading.Event) -> None:
    while not stop.is_set():
        for connector in scheduler.take_due():
            if stop.is_set():
                return
            try:
                rows = run_once(ctx, [connector])
            except Exception as exc:  # noqa: BLE001 - one connector must not stop the others
                log.error("poll_failed", connector=connector.name, error=str(exc))
                continue
            if rows:
                log.info("poll_done", connector=connector.name, files=len(rows))
        stop.wait(min(scheduler.seconds_to_next(), 5.0))


def worker_loop(
    ctx: ServiceContext, stop: threading.Event, *, idle_seconds: float = 1.0, lease: float = 120.0
) -> None:
    """Lease one item at a time, so a stop request waits for one item at most."""
    while not stop.is_set():
        items = ctx.queue.lease(worker=ctx.worker_name, limit=1, lease_seconds=lease)
        if not items:
            stop.wait(idle_seconds)
            continue
        try:
            run_item(ctx, items[0])
        except Exception as exc:  # noqa: BLE001 - logged; the item is leased again later
            log.error("worker_failed", message_id=items[0].message_id, error=str(exc))
            stop.wait(idle_seconds)


def flow_loop(
    sync: SyncContext,
    stop: threading.Event,
    guard: threading.Lock,
    *,
    poll_seconds: float = 15.0,
) -> None:
    """Run due sync flows, then wait ``poll_seconds``; a stop waits for one flow at most."""
    while not stop.is_set():
        try:
            for run in run_due_flows(sync, should_stop=stop.is_set, guard=guard):
                if run.report is not None:
                    log.info("scheduled_flow_done", flow=run.flow, written=run.report.written)
        except Exception as exc:  # noqa: BLE001 - the store itself failed; try again later
            log.error("flow_schedule_failed", error=str(exc))
        stop.wait(poll_seconds)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address the API listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port the API listens on.")] = 8080,
    api: Annotated[bool, typer.Option(help="Serve the HTTP API.")] = True,
    flow_poll: Annotated[
        float, typer.Option(min=0.1, help="Seconds between checks for due sync flows.")
    ] = 15.0,
) -> None:
    """Run the connector schedules, the sync flows, the HTTP API and the workers until SIGTERM.

    Example: b2bbridge serve --port 8080
    """
    with opened_app(ctx) as built, opened_sync(built) as sync:
        stop = threading.Event()
        guard = threading.Lock()
        service, _ = with_triggers(built.ctx, sync, guard)
        plan = [
            (built.connectors[d.name], d.schedule) for d in built.definitions if d.kind != "http"
        ]
        scheduler = Scheduler(built.ctx.clock, plan)
        threads = [
            threading.Thread(target=schedule_loop, args=(service, scheduler, stop)),
            threading.Thread(target=worker_loop, args=(service, stop)),
        ]
        if sync is not None:
            threads.append(
                threading.Thread(
                    target=flow_loop, args=(sync, stop, guard), kwargs={"poll_seconds": flow_poll}
                )
            )
        for t in threads:
            t.start()
        flows = len(sync.flows) if sync is not None else 0
        console.print(
            f"serving: {len(plan)} connector(s) scheduled, {flows} sync flow(s), "
            f"API {'on' if api else 'off'}"
        )
        _on_signals(stop)
        try:
            if api:
                _run_api(built.settings, host, port)
            else:
                while not stop.wait(1.0):
                    pass
        finally:
            stop.set()
            for t in threads:
                t.join()
            log.info("serve_stopped")


def _run_api(settings: Settings, host: str, port: int) -> None:
    """uvicorn, loading the API by import string (the CLI does not import the API layer)."""
    import uvicorn

    os.environ[SETTINGS_VARIABLE] = settings.model_dump_json()
    config = uvicorn.Config(
        "b2bbridge.api.asgi:create_app",
        factory=True,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
    )
    uvicorn.Server(config).run()  # returns after SIGTERM/SIGINT, once requests finish


def _on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT set ``stop``; uvicorn re-raises them to these after its shutdown."""

    def on_signal(signum: int, frame: object) -> None:
        log.info("serve_stopping", signal=signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
