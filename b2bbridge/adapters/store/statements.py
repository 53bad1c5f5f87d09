"""SQL pieces the repositories share: dialect-aware INSERTs and JSON text columns.

``INSERT ... ON CONFLICT`` is spelled the same on SQLite and PostgreSQL, but SQLAlchemy
builds it from each dialect's own ``insert``; :func:`insert_for` picks the right one so a
repository states its conflict rule once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

from b2bbridge.ports import JsonObject


def insert_for(connection: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT for ``table`` that supports ``on_conflict_do_*`` on the connection's database."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


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
