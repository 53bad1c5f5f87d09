"""Payloads: content-addressed, compressed, written once."""

from __future__ import annotations

import hashlib
import random
import zlib

import pytest
from sqlalchemy import Engine, func, select, update

from b2bbridge.adapters.store.tables import payloads
from b2bbridge.core.errors import B2BError
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


def test_an_opened_payload_streams_back_byte_for_byte_in_pieces(
    uow_factory: UnitOfWorkFactory,
) -> None:
    big = bytes(random.Random(5).randbytes(3 * 1024 * 1024)) + ORDER * 50  # several chunks
    with uow_factory() as uow:
        sha = uow.payloads.put(big)
        uow.commit()
    with uow_factory() as uow:
        stream = uow.payloads.open(sha)
    pieces = iter(lambda: stream.read(70_000), b"")
    assert b"".join(pieces) == big


def test_a_corrupt_payload_fails_when_opened_before_a_byte_is_read(
    uow_factory: UnitOfWorkFactory, engine: Engine
) -> None:
    with uow_factory() as uow:
        sha = uow.payloads.put(ORDER)
        uow.commit()
    tampered = zlib.compress(ORDER.replace(b"9.99", b"1.99"))
    with engine.begin() as connection:
        connection.execute(
            update(payloads).where(payloads.c.sha256 == sha).values(compressed=tampered)
        )
    with uow_factory() as uow, pytest.raises(B2BError) as raised:
        uow.payloads.open(sha)
    assert raised.value.code == "payload_corrupt"
