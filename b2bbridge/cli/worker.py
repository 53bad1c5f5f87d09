"""``b2bbridge worker``: long-running workers that process queued messages.

``--concurrency N`` starts N worker processes and restarts any that dies; each leases
work from the queue, so they share it without stepping on each other (on PostgreSQL with
``FOR UPDATE SKIP LOCKED``; on SQLite serialised by the write lock). SIGTERM or Ctrl-C
stops them after the item in hand. A worker killed outright (``kill -9``) loses nothing:
its leased work returns to the queue when the lease runs out.

Each worker process builds the sync configuration too (:mod:`b2bbridge.cli.sync_wiring`),
so that it queues the flows a stored document triggers and runs the ``sync`` items it
leases; without one it processes messages only, and says so.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import threading
import time
from dataclasses import replace
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Annotated

import typer

from b2bbridge.bootstrap import build_app, settle_heap
from b2bbridge.cli.console import CliState, console, opened_app
from b2bbridge.cli.sync_wiring import opened_sync, with_triggers
from b2bbridge.config import Settings
from b2bbridge.logs import configure_logging
from b2bbridge.services.worker import WorkerOptions, work


def worker(
    ctx: typer.Context,
    concurrency: Annotated[int, typer.Option(min=1, help="Worker processes to run.")] = 1,
    idle_seconds: Annotated[
        float, typer.Option(min=0.01, help="Wait between polls when the queue is empty.")
    ] = 0.5,
    sweep_seconds: Annotated[
        float, typer.Option(min=1, help="How often to re-queue messages stranded by a crash.")
    ] = 60.0,
) -> None:
    """Process queued messages until stopped, in one or more processes.

    Example: b2bbridge worker --concurrency 4
    """
    state: CliState = ctx.obj
    with opened_app(ctx):  # migrates the schema once, before any worker starts
        pass
    options = options_from(state.settings, idle_seconds=idle_seconds, sweep_seconds=sweep_seconds)
    if concurrency == 1:
        serve(state.settings, options)
        return
    console.print(f"starting {concurrency} worker processes; Ctrl-C stops them")
    supervise(state.settings, options, concurrency)


def options_from(
    settings: Settings, *, idle_seconds: float = 0.5, sweep_seconds: float = 60.0
) -> WorkerOptions:
    """Worker pacing from the pipeline settings (lease length, batch size)."""
    pipeline = settings.pipeline
    return WorkerOptions(
        batch=pipeline.batch_size,
        lease_seconds=pipeline.lease_seconds,
        idle_seconds=idle_seconds,
        sweep_seconds=sweep_seconds,
        grace_seconds=max(pipeline.lease_seconds, 5.0),
    )


def serve(settings: Settings, options: WorkerOptions) -> int:
    """One worker process: lease and process until SIGTERM/SIGINT; returns items done."""
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    app = build_app(settings, migrate=False)
    named = replace(app.ctx, worker_name=f"{socket.gethostname()}:{os.getpid()}")
    try:
        with opened_sync(app) as sync:
            ctx, _ = with_triggers(named, sync)
            settle_heap()
            return work(ctx, should_stop=stop.is_set, idle=stop.wait, options=options)
    finally:
        app.close()


def supervise(settings: Settings, options: WorkerOptions, concurrency: int) -> None:
    """Run ``concurrency`` worker processes, restarting any that exits unasked."""
    spawn = multiprocessing.get_context("spawn")
    stopping = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    children: list[BaseProcess] = []
    for _ in range(concurrency):
        children.append(spawn.Process(target=serve, args=(settings, options)))
        children[-1].start()
    while not stopping.is_set():
        for i, child in enumerate(children):
            if not child.is_alive():
                console.print(f"worker {child.pid} exited ({child.exitcode}); restarting")
                children[i] = spawn.Process(target=serve, args=(settings, options))
                children[i].start()
        stopping.wait(1.0)
    for child in children:
        if child.pid is not None and child.is_alive():
            os.kill(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + options.lease_seconds
    for child in children:
        child.join(max(0.1, deadline - time.monotonic()))
