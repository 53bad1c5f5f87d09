"""SQL pieces the repositories share: dialect-aware INSERTs, prepared statements, JSON text.

``INSERT ... ON CONFLICT`` is spelled the same on SQLite and PostgreSQL, but SQLAlchemy
builds it from each dialect's own ``insert``; :func:`insert_for` picks the right one so a
repository states its conflict rule once.

The hot repositories build each statement once (:class:`Prepared`) and pass the values as
execution parameters. A statement rebuilt per call with ``.values(...)`` costs SQLAlchemy a
fresh cache key every time, some 130 microseconds per row as measured here, several times
what SQLite needs to execute it; a reused statement object keeps its cache key, so only the
driver's work remains.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

from sqlalchemy import Connection, Executable, Table
from sqlalchemy.dialects import postgresql, sqlite

from b2bbridge.ports import JsonObject

S = TypeVar("S", bound=Executable)


def insert_for(connection: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT for ``table`` that supports ``on_conflict_do_*`` on the connection's database."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_on(dialect: str, table: Table) -> postgresql.Insert | sqlite.Insert:
    """:func:`insert_for` by dialect name, for statements built before any connection."""
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


class Prepared(Generic[S]):
    """A statement built once per database dialect and then reused with fresh parameters."""

    def __init__(self, build: Callable[[str], S]) -> None:
        self._build = build
        self._built: dict[str, S] = {}

    def on(self, connection: Connection) -> S:
        """The statement for the connection's dialect, built on first use."""
        dialect = connection.dialect.name
        statement = self._built.get(dialect)
        if statement is None:
            statement = self._built[dialect] = self._build(dialect)
        return statement


def encode_json(value: Mapping[str, object] | None) -> str | None:
    """JSON text for a mapping; keys sorted so equal values store equal text."""
    if value is None:
        return None
    return json.dumps(dict(value), sort_keys=True, separators=(",", ":"), default=str)


def decode_json(text: str | None) -> JsonObject | None:
    """The object stored by :func:`encode_json`; anything but an object is a corrupt row."""
    if text is None:
        return None
    value = json.loads(text)
    if not isinstance(value, dict):
        raise TypeError(f"expected a JSON object in the store, found {type(value).__name__}")
    return value
