"""Ack expectations: found by control numbers, resolved with a verdict, listed when late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from b2bbridge.ports import UnitOfWork, UnitOfWorkFactory

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # the adapters' fixed clock


def _outbound(uow: UnitOfWork, message_id: int, icn: str, gcn: str | None) -> int:
    sha = uow.payloads.put(f"ISA {icn}".encode())
    return uow.outbound.add(
        message_id=message_id,
        partner="ACME",
        kind="856",
        interchange_control_number=icn,
        group_control_number=gcn,
        transaction_control_number="0001",
        payload_sha256=sha,
        destination="acme-folder",
        status="sent",
    )


def _expect(uow: UnitOfWork, message_id: int, icn: str, gcn: str, hours: float) -> int:
    outbound_id = _outbound(uow, message_id, icn, gcn)
    return uow.ack_expectations.add(
        outbound_id=outbound_id,
        partner="ACME",
        syntax="x12",
        interchange_control_number=icn,
        group_control_number=gcn,
        due_at=START + timedelta(hours=hours),
    )


def test_expectation_is_found_by_group_control_number(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        _expect(uow, message_id, "000000041", "41", 24)
        wanted = _expect(uow, message_id, "000000042", "42", 24)
        uow.commit()
    with uow_factory() as uow:
        found = uow.ack_expectations.find(partner="ACME", group_control_number="42")
        other = uow.ack_expectations.find(partner="BETA", group_control_number="42")
    assert [(e.id, e.interchange_control_number, e.status) for e in found] == [
        (wanted, "000000042", "waiting")
    ]
    assert other == []


def test_resolved_expectation_keeps_the_verdict_and_the_ack_message(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        wanted = _expect(uow, message_id, "000000042", "42", 24)
        uow.ack_expectations.resolve(
            wanted,
            status="rejected",
            ack_kind="997",
            ack_message_id=message_id,
            detail={"codes": ["5"]},
        )
        uow.commit()
    with uow_factory() as uow:
        (done,) = uow.ack_expectations.find(partner="ACME", interchange_control_number="000000042")
    assert (done.status, done.ack_kind, done.ack_message_id) == ("rejected", "997", message_id)
    assert done.detail == {"codes": ["5"]}
    assert done.resolved_at == START


def test_overdue_lists_only_waiting_expectations_past_due_oldest_first(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        late = _expect(uow, message_id, "000000001", "1", 2)
        later = _expect(uow, message_id, "000000002", "2", 1)
        _expect(uow, message_id, "000000003", "3", 48)
        answered = _expect(uow, message_id, "000000004", "4", 1)
        uow.ack_expectations.resolve(
            answered, status="accepted", ack_kind="997", ack_message_id=message_id
        )
        uow.commit()
    with uow_factory() as uow:
        overdue = uow.ack_expectations.overdue(now=START + timedelta(hours=3))
    assert [e.id for e in overdue] == [later, late]
