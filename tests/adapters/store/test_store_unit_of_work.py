"""The unit of work keeps nothing that was not committed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from b2bbridge.ports import NotFoundError, UnitOfWorkFactory

AddMessage = Callable[..., int]


def test_uncommitted_work_is_rolled_back(
    uow_factory: UnitOfWorkFactory, add_message: AddMessage
) -> None:
    with uow_factory() as uow:
        message_id = add_message(uow)
    with uow_factory() as uow, pytest.raises(NotFoundError):
        uow.messages.get(message_id)


def test_work_is_rolled_back_when_the_block_raises(
    uow_factory: UnitOfWorkFactory, add_message: AddMessage
) -> None:
    stored: list[int] = []

    def receive_then_fail() -> None:
        with uow_factory() as uow:
            stored.append(add_message(uow))
            raise LookupError("the mapping was not found")

    with pytest.raises(LookupError):
        receive_then_fail()
    with uow_factory() as uow:
        assert uow.messages.list() == []
    assert len(stored) == 1


def test_only_work_before_the_commit_is_kept(
    uow_factory: UnitOfWorkFactory, add_message: AddMessage
) -> None:
    with uow_factory() as uow:
        kept = add_message(uow, data=b"first")
        uow.commit()
        add_message(uow, data=b"second")
    with uow_factory() as uow:
        assert [message.id for message in uow.messages.list()] == [kept]


def test_explicit_rollback_discards_and_the_unit_goes_on(
    uow_factory: UnitOfWorkFactory, add_message: AddMessage
) -> None:
    with uow_factory() as uow:
        add_message(uow, data=b"dropped")
        uow.rollback()
        kept = add_message(uow, data=b"kept")
        uow.commit()
    with uow_factory() as uow:
        assert [message.id for message in uow.messages.list()] == [kept]
