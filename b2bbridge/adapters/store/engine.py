"""Engines for the store: SQLite (the embedded default) and PostgreSQL, from one URL.

SQLite gets WAL (readers never wait for the writer), foreign keys, a busy timeout, and
``BEGIN IMMEDIATE`` for every transaction: the write lock is taken at the start, so two
processes that read then write cannot both hold a snapshot and then fail to upgrade it,
and a read-modify-write such as allocating a control number is serialised. The
directory of a SQLite file is created on first use, so ``sqlite:///var/b2b.db`` works on
a fresh checkout.

PostgreSQL goes through psycopg 3 (a ``postgresql://`` URL is mapped to
``postgresql+psycopg://``). Any ``options`` in the URL's query, such as
``?options=-csearch_path%3Dmy_schema``, reach the server unchanged.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import ConnectionPoolEntry

SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str) -> Engine:
    """Build the engine for a store URL; SQLite files get their parent directory created."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True)


def _sqlite_engine(url: URL) -> Engine:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _configure_sqlite_connection(
    dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry
) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself instead of the driver's deferred one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # FULL, not WAL's usual NORMAL: a committed message must survive a power cut too.
        cursor.execute("PRAGMA synchronous=FULL")
    finally:
        cursor.close()


def _begin_immediate(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
