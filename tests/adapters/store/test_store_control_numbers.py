"""Control numbers: gap-free, unique, and given back by a rolled-back transaction."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

from b2bbridge.adapters.store import make_engine, unit_of_work_factory
from b2bbridge.ports import UnitOfWorkFactory

PROCESSES = 4
PER_PROCESS = 50


class _SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def _allocate_many(url: str, count: int) -> list[int]:
    """Runs in a child process: one transaction per number, like one interchange each."""
    engine = make_engine(url)
    factory = unit_of_work_factory(engine, _SystemClock())
    numbers = []
    for _ in range(count):
        with factory() as uow:
            numbers.append(uow.control_numbers.allocate("ACME", "isa"))
            uow.commit()
    engine.dispose()
    return numbers


def test_numbers_start_at_one_and_count_per_partner_and_kind(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        isa = [uow.control_numbers.allocate("ACME", "isa") for _ in range(3)]
        gs = uow.control_numbers.allocate("ACME", "gs")
        other = uow.control_numbers.allocate("GLOBEX", "isa")
        uow.commit()
    assert (isa, gs, other) == ([1, 2, 3], 1, 1)


def test_rolled_back_allocation_does_not_consume_a_number(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        assert uow.control_numbers.allocate("ACME", "isa") == 1
        uow.commit()
    with uow_factory() as uow:
        assert uow.control_numbers.allocate("ACME", "isa") == 2
    with uow_factory() as uow:
        assert uow.control_numbers.allocate("ACME", "isa") == 2


def test_four_processes_allocate_one_to_two_hundred_without_gaps_or_repeats(
    database_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    # uow_factory is asked for so that the counters are emptied after the test.
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        batches = pool.starmap(_allocate_many, [(database_url, PER_PROCESS)] * PROCESSES)
    allocated = sorted(number for batch in batches for number in batch)
    assert allocated == list(range(1, PROCESSES * PER_PROCESS + 1))
    assert all(batch == sorted(batch) for batch in batches)
