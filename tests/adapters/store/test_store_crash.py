"""A process killed with SIGKILL mid-transaction leaves its committed work and nothing else."""

from __future__ import annotations

import multiprocessing
import os
import signal
from datetime import UTC, datetime
from multiprocessing.synchronize import Event

from b2bbridge.adapters.store import make_engine, unit_of_work_factory
from b2bbridge.ports import UnitOfWork, UnitOfWorkFactory


class _SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def _store(uow: UnitOfWork, data: bytes) -> None:
    uow.messages.add(
        direction="in",
        partner="ACME",
        connector="folder:inbox",
        filename=data.decode(),
        payload_sha256=uow.payloads.put(data),
        size=len(data),
        correlation_id=data.decode(),
        syntax="x12",
    )


def _commit_one_then_hang_in_the_second(url: str, halfway: Event) -> None:
    """Runs in a child process; it is killed while its second transaction is open."""
    factory = unit_of_work_factory(make_engine(url), _SystemClock())
    with factory() as uow:
        _store(uow, b"committed")
        uow.commit()
    with factory() as uow:
        _store(uow, b"half-done")
        uow.control_numbers.allocate("ACME", "isa")
        halfway.set()
        signal.pause()


def test_killed_writer_leaves_only_what_it_committed(
    database_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    context = multiprocessing.get_context("spawn")
    halfway = context.Event()
    writer = context.Process(
        target=_commit_one_then_hang_in_the_second, args=(database_url, halfway)
    )
    writer.start()
    try:
        assert halfway.wait(timeout=60)
    finally:
        assert writer.pid is not None
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()
    with uow_factory() as uow:
        names = [message.filename for message in uow.messages.list()]
        next_number = uow.control_numbers.allocate("ACME", "isa")
        uow.commit()
    assert writer.exitcode == -signal.SIGKILL
    assert names == ["committed"]
    assert next_number == 1
