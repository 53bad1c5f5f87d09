"""Payloads: content-addressed, compressed, written once."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import Engine, func, select

from b2bbridge.adapters.store.tables import payloads
from b2bbridge.ports import NotFoundError, UnitOfWorkFactory

ORDER = b"ISA*00*          *00*          *ZZ*ACME~" + b"PO1*1*10*EA*9.99~" * 200


def test_payload_comes_back_byte_for_byte(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        sha = uow.payloads.put(ORDER)
        uow.commit()
    with uow_factory() as uow:
        assert uow.payloads.get(sha) == ORDER
    assert sha == hashlib.sha256(ORDER).hexdigest()


def test_same_bytes_twice_are_stored_once(uow_factory: UnitOfWorkFactory, engine: Engine) -> None:
    with uow_factory() as uow:
        first = uow.payloads.put(ORDER)
        uow.commit()
    with uow_factory() as uow:
        second = uow.payloads.put(ORDER)
        uow.commit()
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(payloads)).scalar_one()
    assert (first, count) == (second, 1)


def test_payload_is_stored_compressed(uow_factory: UnitOfWorkFactory, engine: Engine) -> None:
    with uow_factory() as uow:
        sha = uow.payloads.put(ORDER)
        uow.commit()
    with engine.connect() as connection:
        row = connection.execute(select(payloads).where(payloads.c.sha256 == sha)).one()
    assert row.size == len(ORDER)
    assert len(row.compressed) < len(ORDER) // 10


def test_unknown_payload_raises_not_found(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow, pytest.raises(NotFoundError) as raised:
        uow.payloads.get("0" * 64)
    assert raised.value.code == "payload_not_found"
