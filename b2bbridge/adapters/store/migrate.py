"""Bring a store's schema up to date with the alembic migrations shipped in the package.

This is the only way the schema is made: production code never calls ``create_all``.
Upgrading is idempotent: a database already at the newest revision is left alone.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from b2bbridge.adapters.store.engine import make_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def upgrade_database(url: str) -> None:
    """Run every pending migration against the store at ``url``."""
    engine = make_engine(url)
    try:
        upgrade_engine(engine)
    finally:
        engine.dispose()


def upgrade_engine(engine: Engine) -> None:
    """Run every pending migration through an engine the caller already built."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
