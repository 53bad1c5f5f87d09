"""Interchanges and transactions: envelope lineage and the duplicate-window lookup."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Protocol

import pytest

from b2bbridge.ports import NotFoundError, UnitOfWork, UnitOfWorkFactory


class FixedClock(Protocol):
    def now(self) -> datetime: ...
    def advance(self, seconds: float) -> None: ...


def _add_interchange(uow: UnitOfWork, message_id: int, control_number: str) -> int:
    return uow.interchanges.add(
        message_id=message_id,
        partner="ACME",
        syntax="x12",
        control_number=control_number,
        sender="ACMESENDER",
        receiver="OURID",
        date=date(2026, 2, 28),
        status="accepted",
    )


def test_find_returns_interchanges_with_the_control_number_inside_the_window(
    uow_factory: UnitOfWorkFactory, message_id: int, clock: FixedClock
) -> None:
    with uow_factory() as uow:
        old = _add_interchange(uow, message_id, "000000123")
        clock.advance(timedelta(days=40).total_seconds())
        recent = _add_interchange(uow, message_id, "000000123")
        _add_interchange(uow, message_id, "000000124")
        uow.commit()
    window_start = clock.now() - timedelta(days=30)
    with uow_factory() as uow:
        everything = uow.interchanges.find(partner="ACME", control_number="000000123", since=None)
        windowed = uow.interchanges.find(
            partner="ACME", control_number="000000123", since=window_start
        )
        other_partner = uow.interchanges.find(
            partner="GLOBEX", control_number="000000123", since=None
        )
    assert [i.id for i in everything] == [old, recent]
    assert [i.id for i in windowed] == [recent]
    assert other_partner == []


def test_interchange_record_keeps_its_envelope_values(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        interchange_id = _add_interchange(uow, message_id, "000000777")
        uow.commit()
    with uow_factory() as uow:
        (record,) = uow.interchanges.for_message(message_id)
    assert (record.id, record.control_number, record.sender, record.date) == (
        interchange_id,
        "000000777",
        "ACMESENDER",
        date(2026, 2, 28),
    )


def test_transactions_are_listed_per_interchange_in_order(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        interchange_id = _add_interchange(uow, message_id, "000000001")
        for number in ("0001", "0002"):
            uow.transactions.add(
                interchange_id=interchange_id,
                group_control_number="1",
                control_number=number,
                type="850",
                status="accepted",
                segment_count=12,
            )
        uow.commit()
    with uow_factory() as uow:
        found = uow.transactions.for_interchange(interchange_id)
    assert [(t.control_number, t.type, t.segment_count) for t in found] == [
        ("0001", "850", 12),
        ("0002", "850", 12),
    ]


def test_interchange_and_transaction_are_read_back_by_id(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        icx = uow.interchanges.add(
            message_id=message_id,
            partner="ACME",
            syntax="x12",
            control_number="000000777",
            sender="ACMEBUYER",
            receiver="B2BBRIDGE",
            date=None,
            status="stored",
        )
        tx = uow.transactions.add(
            interchange_id=icx,
            group_control_number="777",
            control_number="0001",
            type="850",
            status="stored",
            segment_count=12,
        )
        uow.commit()
    with uow_factory() as uow:
        assert uow.interchanges.get(icx).control_number == "000000777"
        assert (uow.transactions.get(tx).interchange_id, uow.transactions.get(tx).type) == (
            icx,
            "850",
        )


def test_unknown_transaction_id_raises_not_found(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow, pytest.raises(NotFoundError):
        uow.transactions.get(4242)
