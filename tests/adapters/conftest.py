"""Fixtures for the adapter tests: every store and queue test runs on SQLite and PostgreSQL.

PostgreSQL runs in a schema of its own per test session (``b2b_<random>``), dropped at the
end, because other sessions share the ``test`` database. If PostgreSQL cannot be reached
the tests fail: they are never skipped.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, delete, text

from b2bbridge.adapters.store import make_engine, unit_of_work_factory, upgrade_database
from b2bbridge.adapters.store.tables import metadata
from b2bbridge.ports import UnitOfWork, UnitOfWorkFactory

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class FixedClock:
    """A clock that moves only when a test moves it."""

    def __init__(self, moment: datetime = START) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


def _new_postgres_schema(admin: Engine) -> tuple[str, str]:
    schema = f"b2b_{secrets.token_hex(6)}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    return schema, f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def database_factory(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[], str]]:
    """Makes empty databases (a SQLite file, or a PostgreSQL schema) and drops them at the end."""
    admin = create_engine(POSTGRES_URL) if backend == "postgresql" else None
    schemas: list[str] = []

    def make() -> str:
        if admin is None:
            folder: Path = tmp_path_factory.mktemp("store")
            return f"sqlite:///{folder / 'var' / 'b2b.db'}"
        schema, url = _new_postgres_schema(admin)
        schemas.append(schema)
        return url

    yield make
    if admin is not None:
        with admin.begin() as connection:
            for schema in schemas:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(database_factory: Callable[[], str]) -> str:
    """One migrated database per backend for the session."""
    url = database_factory()
    upgrade_database(url)
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the session's database, emptied after each test."""
    engine = make_engine(database_url)
    yield engine
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(delete(table))
    engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def uow_factory(engine: Engine, clock: FixedClock) -> UnitOfWorkFactory:
    return unit_of_work_factory(engine, clock)


AddMessage = Callable[..., int]


def _add_message(uow: UnitOfWork, data: bytes = b"ISA*00~", partner: str | None = "ACME") -> int:
    """Store a payload and an inbound message for it, in the caller's unit of work."""
    sha = uow.payloads.put(data)
    return uow.messages.add(
        direction="in",
        partner=partner,
        connector="folder:inbox",
        filename="order.edi",
        payload_sha256=sha,
        size=len(data),
        correlation_id="corr-1",
        syntax="x12",
    )


@pytest.fixture
def add_message() -> AddMessage:
    """``add_message(uow, data=..., partner=...)`` stores an inbound message, uncommitted."""
    return _add_message


@pytest.fixture
def message_id(uow_factory: UnitOfWorkFactory) -> int:
    """A committed inbound message from partner ACME."""
    with uow_factory() as uow:
        stored = _add_message(uow)
        uow.commit()
    return stored
