"""Alembic environment for the store: runs on the connection or URL the caller gives.

:func:`b2bbridge.adapters.store.migrate.upgrade_engine` passes an open connection in
``config.attributes["connection"]``; the ``alembic`` command line passes a URL in the
``sqlalchemy.url`` option instead. Offline (SQL script) mode is not supported: the
store is always migrated against a live database.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from b2bbridge.adapters.store.engine import make_engine
from b2bbridge.adapters.store.tables import metadata
from b2bbridge.core.errors import ConfigError


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = context.config.attributes.get("connection")
    if isinstance(given, Connection):
        _run(given)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise ConfigError("no connection and no sqlalchemy.url given to the migrations")
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise ConfigError("the store's migrations run online only")
run_migrations_online()
