"""The batch scope: units of work as savepoints inside one transaction (group commit)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from b2bbridge.adapters.store.batch import SqlBatchScope
from b2bbridge.ports import Clock, UnitOfWorkFactory

AddMessage = Callable[..., int]
FixedClock = Clock


def _statuses(uow_factory: UnitOfWorkFactory) -> list[str]:
    with uow_factory() as uow:
        return sorted(m.status for m in uow.messages.list())


def test_units_committed_inside_a_batch_are_durable_only_when_the_batch_commits(
    engine: Engine, clock: FixedClock, uow_factory: UnitOfWorkFactory, add_message: AddMessage
) -> None:
    with SqlBatchScope(engine, clock) as batch:
        with batch.unit_of_work() as uow:
            add_message(uow, b"ISA*first~")
            uow.commit()
        batch.commit()
    assert _statuses(uow_factory) == ["received"]


def test_a_batch_left_without_its_commit_keeps_nothing(
    engine: Engine, clock: FixedClock, uow_factory: UnitOfWorkFactory, add_message: AddMessage
) -> None:
    with SqlBatchScope(engine, clock) as batch, batch.unit_of_work() as uow:
        add_message(uow, b"ISA*lost~")
        uow.commit()
    assert _statuses(uow_factory) == []


def test_a_unit_left_without_commit_is_undone_and_its_neighbours_stand(
    engine: Engine, clock: FixedClock, uow_factory: UnitOfWorkFactory, add_message: AddMessage
) -> None:
    with SqlBatchScope(engine, clock) as batch:
        with batch.unit_of_work() as uow:
            add_message(uow, b"ISA*kept~")
            uow.commit()
        with batch.unit_of_work() as uow:
            add_message(uow, b"ISA*dropped~")  # no commit: rolled back on exit
        with batch.unit_of_work() as uow:
            kept = add_message(uow, b"ISA*also-kept~")
            uow.commit()
            uow.messages.set_status(kept, "stored", component="test")  # after the commit
            uow.rollback()
        batch.commit()
    with uow_factory() as uow:
        payload_hashes = sorted(m.filename or "" for m in uow.messages.list())
        statuses = sorted(m.status for m in uow.messages.list())
    assert (len(payload_hashes), statuses) == (2, ["received", "received"])


def test_an_item_that_raises_is_undone_alone(
    engine: Engine, clock: FixedClock, uow_factory: UnitOfWorkFactory, add_message: AddMessage
) -> None:
    with SqlBatchScope(engine, clock) as batch:
        with batch.item(), batch.unit_of_work() as uow:
            add_message(uow, b"ISA*one~")
            uow.commit()

        def failing_item() -> None:
            with batch.item():
                with batch.unit_of_work() as uow:
                    add_message(uow, b"ISA*two~")
                    uow.commit()  # committed to its savepoint, then the item fails
                raise RuntimeError("mapping crashed")

        with pytest.raises(RuntimeError):
            failing_item()
        batch.commit()
    assert _statuses(uow_factory) == ["received"]


def test_a_statement_that_fails_inside_a_unit_is_undone_and_the_batch_goes_on(
    engine: Engine, clock: FixedClock, uow_factory: UnitOfWorkFactory, add_message: AddMessage
) -> None:
    # PostgreSQL refuses every later statement of a transaction that met an error until it
    # rolls back to a savepoint; the unit's own savepoint must be what clears it.
    with SqlBatchScope(engine, clock) as batch:
        with batch.item(), batch.unit_of_work() as uow:
            add_message(uow, b"ISA*before~")
            uow.commit()
        with batch.item(), batch.unit_of_work() as uow:
            add_message(uow, b"ISA*with-the-failure~")
            with pytest.raises(IntegrityError):
                uow.events.append(987_654, "stored", component="test")  # no such message
        with batch.item(), batch.unit_of_work() as uow:
            add_message(uow, b"ISA*after~")
            uow.commit()
        batch.commit()
    assert _statuses(uow_factory) == ["received", "received"]


def test_many_items_and_units_in_one_batch_keep_exactly_what_was_committed(
    engine: Engine, clock: FixedClock, uow_factory: UnitOfWorkFactory, add_message: AddMessage
) -> None:
    with SqlBatchScope(engine, clock) as batch:
        for n in range(30):
            with batch.item():
                for part in ("a", "b"):
                    with batch.unit_of_work() as uow:
                        add_message(uow, f"ISA*{n}{part}~".encode())
                        if n % 3:  # every third item's units are left uncommitted
                            uow.commit()
        batch.commit()
    assert len(_statuses(uow_factory)) == 2 * 20


def test_a_batch_cannot_be_used_outside_its_block(engine: Engine, clock: FixedClock) -> None:
    batch = SqlBatchScope(engine, clock)
    with pytest.raises(RuntimeError, match="outside"):
        batch.unit_of_work()


def test_rolling_a_batch_back_undoes_every_unit_in_it(
    engine: Engine, clock: FixedClock, uow_factory: UnitOfWorkFactory, add_message: AddMessage
) -> None:
    with SqlBatchScope(engine, clock) as batch:
        with batch.unit_of_work() as uow:
            add_message(uow, b"ISA*undone~")
            uow.commit()
        batch.rollback()
        with pytest.raises(RuntimeError, match="outside"):
            batch.commit()  # finished: neither commit nor rollback can follow
    assert _statuses(uow_factory) == []
