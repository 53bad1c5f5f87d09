"""Several control numbers in one statement: the same counters, gaps and locks as one by one."""

from __future__ import annotations

import multiprocessing
import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, Engine, event

from b2bbridge.adapters.store import make_engine, unit_of_work_factory
from b2bbridge.ports import UnitOfWorkFactory

ACK_KINDS = ("isa", "gs", "st")
PROCESSES = 4
PER_PROCESS = 40


class _SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def _allocate_acks(url: str, count: int, kinds: tuple[str, ...]) -> list[list[int]]:
    """Runs in a child process: one transaction per ack, each taking all its numbers at once."""
    engine = make_engine(url)
    factory = unit_of_work_factory(engine, _SystemClock())
    taken = []
    for _ in range(count):
        with factory() as uow:
            taken.append(uow.control_numbers.allocate_many("ACME", kinds))
            uow.commit()
    engine.dispose()
    return taken


def test_numbers_come_back_in_the_order_the_kinds_are_given(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.control_numbers.allocate("ACME", "st")
        uow.control_numbers.allocate("ACME", "st")
        assert uow.control_numbers.allocate_many("ACME", ["st", "isa", "gs"]) == [3, 1, 1]
        assert uow.control_numbers.allocate_many("ACME", ["gs", "st", "isa"]) == [2, 4, 2]
        uow.commit()


def test_an_ack_takes_all_its_numbers_in_one_statement(
    engine: Engine, uow_factory: UnitOfWorkFactory
) -> None:
    statements: list[str] = []

    def record(conn: Connection, cursor: object, statement: str, *args: object) -> None:
        if "control_numbers" in statement:
            statements.append(statement)

    with uow_factory() as uow:
        uow.control_numbers.allocate("ACME", "isa")
        event.listen(engine, "before_cursor_execute", record)
        try:
            assert uow.control_numbers.allocate_many("ACME", ACK_KINDS) == [2, 1, 1]
        finally:
            event.remove(engine, "before_cursor_execute", record)
        uow.commit()
    (statement,) = statements
    rows = statement.split(" ON CONFLICT")[0].split(" VALUES ")[1]
    assert rows.count("), (") == len(ACK_KINDS) - 1  # one statement, not an executemany


def test_each_counter_continues_from_where_single_allocations_left_it(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        for _ in range(5):
            uow.control_numbers.allocate("ACME", "isa")
        uow.control_numbers.allocate("ACME", "gs")
        uow.commit()
    with uow_factory() as uow:
        first = uow.control_numbers.allocate_many("ACME", ACK_KINDS)
        second = uow.control_numbers.allocate_many("ACME", ACK_KINDS)
        after = uow.control_numbers.allocate("ACME", "isa")
        uow.commit()
    assert (first, second, after) == ([6, 2, 1], [7, 3, 2], 8)


def test_new_and_existing_kinds_mix_in_one_call_and_other_partners_are_untouched(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.control_numbers.allocate("ACME", "unb")
        uow.control_numbers.allocate("ACME", "unb")
        uow.control_numbers.allocate("GLOBEX", "unh")
        assert uow.control_numbers.allocate_many("ACME", ["unb", "unh"]) == [3, 1]
        assert uow.control_numbers.allocate_many("GLOBEX", ["unb", "unh"]) == [1, 2]
        uow.commit()


def test_rolled_back_batch_gives_every_number_back(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        assert uow.control_numbers.allocate_many("ACME", ACK_KINDS) == [1, 1, 1]
        uow.commit()
    with uow_factory() as uow:
        assert uow.control_numbers.allocate_many("ACME", ACK_KINDS) == [2, 2, 2]
        assert uow.control_numbers.allocate_many("ACME", ["unb"]) == [1]
    with uow_factory() as uow:
        assert uow.control_numbers.allocate_many("ACME", ["unb", *ACK_KINDS]) == [1, 2, 2, 2]


def test_a_kind_named_twice_is_refused_and_takes_no_number(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        with pytest.raises(ValueError, match="once per call"):
            uow.control_numbers.allocate_many("ACME", ["isa", "gs", "isa"])
        assert uow.control_numbers.allocate_many("ACME", ["isa", "gs"]) == [1, 1]
        uow.commit()


def test_a_single_string_is_refused_rather_than_read_as_its_letters(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow, pytest.raises(TypeError):
        uow.control_numbers.allocate_many("ACME", "isa")


def test_no_kinds_take_no_numbers(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        assert uow.control_numbers.allocate_many("ACME", []) == []
        assert uow.control_numbers.allocate("ACME", "isa") == 1


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_batches_of_random_kinds_give_what_one_by_one_allocation_gives(
    uow_factory: UnitOfWorkFactory, seed: int
) -> None:
    rng = random.Random(seed)
    kinds = ["isa", "gs", "st", "unb", "unh", "ta1"]
    calls = [rng.sample(kinds, rng.randint(1, len(kinds))) for _ in range(30)]
    with uow_factory() as uow:
        batched = [uow.control_numbers.allocate_many("ACME", call) for call in calls]
        single = [[uow.control_numbers.allocate("GLOBEX", k) for k in call] for call in calls]
        uow.commit()
    assert batched == single


def test_four_processes_taking_ack_numbers_together_leave_no_gaps_or_repeats(
    database_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    # uow_factory is asked for so that the counters are emptied after the test. Half the
    # processes name the kinds in reverse, so on PostgreSQL a lock order that followed
    # the caller's order would deadlock; the allocator sorts them.
    context = multiprocessing.get_context("spawn")
    orders = [ACK_KINDS, ACK_KINDS[::-1]] * (PROCESSES // 2)
    with context.Pool(PROCESSES) as pool:
        batches = pool.starmap(
            _allocate_acks, [(database_url, PER_PROCESS, kinds) for kinds in orders]
        )
    acks = [
        {kind: number for kind, number in zip(kinds, numbers, strict=True)}
        for kinds, batch in zip(orders, batches, strict=True)
        for numbers in batch
    ]
    everything = list(range(1, PROCESSES * PER_PROCESS + 1))
    for kind in ACK_KINDS:
        assert sorted(ack[kind] for ack in acks) == everything, kind
    # An ack holds all three counters until it commits and every ack locks them in the
    # same order, so no ack can overtake another on one counter: each gets n, n, n.
    assert all(ack["isa"] == ack["gs"] == ack["st"] for ack in acks)
