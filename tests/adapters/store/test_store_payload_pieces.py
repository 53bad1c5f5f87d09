"""Large payloads are written and read in pieces, never held whole.

A payload whose compressed form outgrows a piece is stored as numbered pieces under a
provisional key that becomes its hash once the last chunk is in; the same bytes twice
still cost one payload, and nothing of a put that is rolled back stays behind.
"""

from __future__ import annotations

import io
import random
import tracemalloc
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select, update

from b2bbridge.adapters.store import payloads as payloads_module
from b2bbridge.adapters.store.tables import payload_pieces, payloads
from b2bbridge.core.errors import B2BError
from b2bbridge.ports import UnitOfWorkFactory

PIECE = 4096


def _noisy(size: int, seed: int = 7) -> bytes:
    """Bytes that barely compress, so that the compressed form spans many pieces."""
    return random.Random(seed).randbytes(size)


def _rows(engine: Engine) -> tuple[list[tuple[str, int, int]], list[tuple[str, int]]]:
    with engine.connect() as connection:
        stored = connection.execute(
            select(payloads.c.sha256, payloads.c.pieces, func.length(payloads.c.compressed))
        ).all()
        pieces = connection.execute(
            select(payload_pieces.c.sha256, payload_pieces.c.seq).order_by(
                payload_pieces.c.sha256, payload_pieces.c.seq
            )
        ).all()
    return [tuple(r) for r in stored], [tuple(r) for r in pieces]


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(payloads_module, "PIECE_BYTES", PIECE)


def _chunks(data: bytes, size: int = 1000) -> Iterator[bytes]:
    return (data[n : n + size] for n in range(0, len(data), size))


@pytest.mark.usefixtures("small_pieces")
def test_a_large_payload_is_stored_in_numbered_pieces_and_comes_back_whole(
    uow_factory: UnitOfWorkFactory, engine: Engine
) -> None:
    data = _noisy(10 * PIECE + 123)
    with uow_factory() as uow:
        sha, size = uow.payloads.put_chunks(_chunks(data))
        uow.commit()

    stored, pieces = _rows(engine)
    ((key, count, inline),) = stored
    assert (key, size, inline) == (sha, len(data), 0)
    assert count >= 2
    assert pieces == [(sha, n) for n in range(count)]
    with uow_factory() as uow:
        assert uow.payloads.get(sha) == data
        stream = uow.payloads.open(sha)
    assert stream.read() == data  # read after its unit of work has ended
    stream.close()


@pytest.mark.usefixtures("small_pieces")
def test_the_same_large_bytes_twice_keep_one_payload_and_one_set_of_pieces(
    uow_factory: UnitOfWorkFactory, engine: Engine
) -> None:
    data = _noisy(5 * PIECE)
    for _ in range(2):
        with uow_factory() as uow:
            uow.payloads.put_chunks(_chunks(data))
            uow.commit()

    stored, pieces = _rows(engine)
    ((sha, count, _inline),) = stored
    assert pieces == [(sha, n) for n in range(count)]  # no provisional pieces left behind


@pytest.mark.usefixtures("small_pieces")
def test_a_put_that_is_rolled_back_leaves_no_pieces(
    uow_factory: UnitOfWorkFactory, engine: Engine
) -> None:
    with uow_factory() as uow:
        uow.payloads.put_chunks(_chunks(_noisy(5 * PIECE)))
        uow.rollback()

    assert _rows(engine) == ([], [])


@pytest.mark.usefixtures("small_pieces")
def test_a_payload_with_an_altered_or_missing_piece_fails_when_opened(
    uow_factory: UnitOfWorkFactory, engine: Engine
) -> None:
    data = _noisy(5 * PIECE)
    with uow_factory() as uow:
        sha, _ = uow.payloads.put_chunks(_chunks(data))
        uow.commit()
    with engine.begin() as connection:
        first = payload_pieces.c.sha256 == sha
        connection.execute(
            update(payload_pieces).where(first, payload_pieces.c.seq == 1).values(data=b"x")
        )
    with uow_factory() as uow, pytest.raises(B2BError) as altered:
        uow.payloads.open(sha)
    with engine.begin() as connection:
        connection.execute(
            update(payloads).where(payloads.c.sha256 == sha).values(pieces=payloads.c.pieces + 1)
        )
    with uow_factory() as uow, pytest.raises(B2BError) as missing:
        uow.payloads.get(sha)

    assert altered.value.code == "payload_corrupt"
    assert missing.value.code == "payload_corrupt"


def test_a_small_payload_stays_inline(uow_factory: UnitOfWorkFactory, engine: Engine) -> None:
    with uow_factory() as uow:
        sha = uow.payloads.put(b"ISA*00~" * 100)
        uow.commit()

    stored, pieces = _rows(engine)
    assert [(key, count) for key, count, _ in stored] == [(sha, 0)]
    assert pieces == []


def test_storing_and_reading_a_large_payload_holds_a_few_pieces_not_the_payload(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """32 MiB that barely compress: the old single blob would have held all of them."""
    size = 32 * 1024 * 1024
    tracemalloc.start()
    try:
        with uow_factory() as uow:
            sha, _ = uow.payloads.put_chunks(_noisy_chunks(size))
            uow.commit()
        _, stored_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        with uow_factory() as uow:
            stream = uow.payloads.open(sha)
        total = sum(len(piece) for piece in iter(lambda: stream.read(256 * 1024), b""))
        stream.close()
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert total == size
    limit = 8 * payloads_module.PIECE_BYTES
    assert stored_peak < limit, f"storing held {stored_peak / 2**20:.1f} MiB"
    assert read_peak < limit, f"reading held {read_peak / 2**20:.1f} MiB"


def _noisy_chunks(size: int, chunk: int = 256 * 1024) -> Iterator[bytes]:
    rng = random.Random(11)
    for _ in range(0, size, chunk):
        yield rng.randbytes(chunk)


def test_an_opened_small_payload_can_be_read_after_its_unit_of_work(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        sha = uow.payloads.put(b"ST*850*0001~")
        uow.commit()
    with uow_factory() as uow:
        stream = uow.payloads.open(sha)

    assert isinstance(stream, io.BufferedReader)
    assert stream.read() == b"ST*850*0001~"
    stream.close()
