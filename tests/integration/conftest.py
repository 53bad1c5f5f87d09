"""Integration fixtures: real PostgreSQL and RabbitMQ on loopback, never skipped.

The machine (and CI) starts PostgreSQL at 127.0.0.1:5432 (database ``test``) and RabbitMQ at
127.0.0.1:5672 before every run. When either is down these tests fail loudly, because a
skipped integration test proves nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from integration_urls import POSTGRES_URL
from sqlalchemy import create_engine, text


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A database URL pointing at a fresh PostgreSQL schema, dropped afterwards."""
    admin = create_engine(POSTGRES_URL)
    schema = f"b2b_e2e_{secrets.token_hex(5)}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
