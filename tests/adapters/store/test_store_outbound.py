"""Outbound documents: what we send, tied to the message that caused it."""

from __future__ import annotations

import pytest

from b2bbridge.ports import NotFoundError, UnitOfWorkFactory


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
