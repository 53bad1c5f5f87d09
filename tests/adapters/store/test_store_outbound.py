"""Outbound documents: what we send, tied to the message that caused it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, event

from b2bbridge.adapters.store.outbound import STATUS_CHUNK
from b2bbridge.ports import NotFoundError, UnitOfWork, UnitOfWorkFactory


def _add_acks(uow: UnitOfWork, message_id: int, count: int) -> list[int]:
    sha = uow.payloads.put(b"ISA*...*000000001~GS*FA~ST*997*0001~")
    return [
        uow.outbound.add(
            message_id=message_id,
            partner="ACME",
            kind="997",
            interchange_control_number=f"{n:09d}",
            group_control_number=str(n),
            transaction_control_number=f"{n:04d}",
            payload_sha256=sha,
            destination="sftp:acme/outbox",
            status="pending",
        )
        for n in range(1, count + 1)
    ]


def _statuses(uow_factory: UnitOfWorkFactory, message_id: int) -> dict[int, str]:
    with uow_factory() as uow:
        return {record.id: record.status for record in uow.outbound.for_message(message_id)}


@pytest.fixture
def outbound_updates(engine: Engine) -> Iterator[list[str]]:
    """The UPDATE statements sent to the outbound table while the test runs."""
    seen: list[str] = []

    def record(conn: Connection, cursor: object, statement: str, *args: object) -> None:
        if statement.startswith("UPDATE outbound"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_outbound_ack_is_listed_for_its_message_and_changes_status(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        sha = uow.payloads.put(b"ISA*...*000000001~GS*FA~ST*997*0001~")
        ack_id = uow.outbound.add(
            message_id=message_id,
            partner="ACME",
            kind="997",
            interchange_control_number="000000001",
            group_control_number="1",
            transaction_control_number="0001",
            payload_sha256=sha,
            destination="sftp:acme/outbox",
            status="pending",
        )
        uow.commit()
    with uow_factory() as uow:
        uow.outbound.set_status(ack_id, "sent")
        uow.commit()
    with uow_factory() as uow:
        (record,) = uow.outbound.for_message(message_id)
    assert (record.id, record.kind, record.interchange_control_number, record.status) == (
        ack_id,
        "997",
        "000000001",
        "sent",
    )
    assert record.payload_sha256 == sha


def test_status_of_unknown_outbound_raises_not_found(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow, pytest.raises(NotFoundError):
        uow.outbound.set_status(424242, "sent")


def test_status_of_many_outbound_documents_changes_in_one_statement(
    uow_factory: UnitOfWorkFactory, message_id: int, outbound_updates: list[str]
) -> None:
    with uow_factory() as uow:
        first, second, third = _add_acks(uow, message_id, 3)
        uow.commit()
    with uow_factory() as uow:
        uow.outbound.set_status_many([third, first, third], "sent")
        uow.commit()
    assert _statuses(uow_factory, message_id) == {first: "sent", second: "pending", third: "sent"}
    assert len(outbound_updates) == 1


def test_status_of_many_with_an_unknown_id_raises_not_found_naming_it_and_keeps_nothing(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        ids = _add_acks(uow, message_id, 2)
        uow.commit()
    with uow_factory() as uow, pytest.raises(NotFoundError, match="424242") as raised:
        uow.outbound.set_status_many([*ids, 424242], "sent")
    assert raised.value.code == "outbound_not_found"
    assert set(_statuses(uow_factory, message_id).values()) == {"pending"}


def test_status_of_more_than_five_hundred_documents_changes_in_chunks_of_five_hundred(
    uow_factory: UnitOfWorkFactory, message_id: int, outbound_updates: list[str]
) -> None:
    count = 2 * STATUS_CHUNK + 1
    with uow_factory() as uow:
        ids = _add_acks(uow, message_id, count)
        uow.commit()
    with uow_factory() as uow:
        uow.outbound.set_status_many(ids, "sent")
        uow.commit()
    assert STATUS_CHUNK == 500
    assert list(_statuses(uow_factory, message_id).values()) == ["sent"] * count
    assert len(outbound_updates) == 3


def test_an_unknown_id_in_a_later_chunk_is_still_found_missing(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        ids = _add_acks(uow, message_id, STATUS_CHUNK + 10)
        uow.commit()
    with uow_factory() as uow, pytest.raises(NotFoundError) as raised:
        uow.outbound.set_status_many([*ids, max(ids) + 1000], "sent")
    assert str(max(ids) + 1000) in str(raised.value)
    assert set(_statuses(uow_factory, message_id).values()) == {"pending"}


def test_status_of_no_documents_sends_no_statement(
    uow_factory: UnitOfWorkFactory, outbound_updates: list[str]
) -> None:
    with uow_factory() as uow:
        uow.outbound.set_status_many([], "sent")
        uow.commit()
    assert outbound_updates == []
