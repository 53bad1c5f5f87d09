"""Services run for real: the bundled example deployment on SQLite and on PostgreSQL.

Each test gets a copy of the example configuration (settings, partner profile, mapping
tables) in its own folder, so a test may break and fix a mapping file without touching
anyone else's. On PostgreSQL each test gets a schema of its own, dropped afterwards; when
PostgreSQL is down these tests fail, never skip.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import Deployment, make_deployment
from pipeline_support import open_app
from sqlalchemy import create_engine, text

from b2bbridge.bootstrap import App

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(params=["sqlite", "postgresql"])
def deployment(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Deployment]:
    if request.param == "sqlite":
        yield make_deployment(tmp_path)
        return
    admin = create_engine(POSTGRES_URL)
    schema = f"b2b_svc_{secrets.token_hex(5)}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_deployment(
            tmp_path, database_url=f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def app(deployment: Deployment) -> Iterator[App]:
    built = open_app(deployment)
    yield built
    built.close()


@pytest.fixture
def grouped(deployment: Deployment) -> Iterator[App]:
    """The example deployment with group commit forced on, on either database."""
    path = deployment.root / "b2bbridge.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('group_commit = "auto"', "group_commit = true"), "utf-8")
    built = open_app(deployment)
    yield built
    built.close()
