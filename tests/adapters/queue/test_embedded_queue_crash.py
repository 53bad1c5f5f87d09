"""A worker killed with SIGKILL while holding a lease loses nothing."""

from __future__ import annotations

import multiprocessing
import os
import signal
from datetime import UTC, datetime, timedelta
from multiprocessing.synchronize import Event
from typing import Protocol

from sqlalchemy import Engine

from b2bbridge.adapters.queue.embedded import EmbeddedWorkQueue
from b2bbridge.adapters.store import make_engine


class FixedClock(Protocol):
    moment: datetime

    def now(self) -> datetime: ...


class _SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def _lease_and_hang(url: str, leased: Event) -> None:
    """Runs in a child process: takes the item, says so, and waits to be killed."""
    queue = EmbeddedWorkQueue(make_engine(url), _SystemClock())
    if queue.lease(worker="doomed", limit=1, lease_seconds=30):
        leased.set()
        signal.pause()


def test_item_leased_by_a_killed_worker_is_leased_again_after_its_lease(
    database_url: str, engine: Engine, clock: FixedClock, message_id: int
) -> None:
    clock.moment = datetime.now(UTC)
    queue = EmbeddedWorkQueue(engine, clock)
    item_id = queue.enqueue("process", message_id)
    context = multiprocessing.get_context("spawn")
    leased = context.Event()
    worker = context.Process(target=_lease_and_hang, args=(database_url, leased))
    worker.start()
    try:
        assert leased.wait(timeout=60)
    finally:
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
        worker.join()
    held = queue.lease(worker="survivor", limit=1, lease_seconds=30)
    clock.moment = datetime.now(UTC) + timedelta(seconds=31)
    (recovered,) = queue.lease(worker="survivor", limit=1, lease_seconds=30)
    assert worker.exitcode == -signal.SIGKILL
    assert held == []
    assert (recovered.id, recovered.leased_by, recovered.attempts) == (item_id, "survivor", 1)
