"""The alembic migrations: they build the schema the repositories expect, once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from b2bbridge.adapters.store import make_engine, upgrade_database
from b2bbridge.adapters.store.migrate import MIGRATIONS
from b2bbridge.adapters.store.tables import metadata

TABLES = {
    "ack_expectations",
    "alembic_version",
    "control_numbers",
    "dead_letters",
    "documents",
    "events",
    "interchanges",
    "messages",
    "outbound",
    "payloads",
    "transactions",
    "work_items",
}


def test_upgrade_creates_every_table_in_an_empty_database(
    database_factory: Callable[[], str],
) -> None:
    url = database_factory()
    upgrade_database(url)
    engine = make_engine(url)
    try:
        assert set(inspect(engine).get_table_names()) >= TABLES  # later migrations add more
    finally:
        engine.dispose()


def test_upgrading_twice_leaves_the_database_at_the_same_revision(
    database_factory: Callable[[], str],
) -> None:
    url = database_factory()
    upgrade_database(url)
    upgrade_database(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        assert [row[0] for row in versions] == [_head_revision()]
    finally:
        engine.dispose()


def _head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def test_pipeline_migration_sits_on_the_initial_one() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config).get_revision("0002_pipeline")
    assert script is not None
    assert script.down_revision == "0001"


def test_migrated_schema_matches_the_table_metadata(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_sqlite_database_directory_is_created_on_first_use(tmp_path: Path) -> None:
    folder = tmp_path / "var" / "nested"
    url = f"sqlite:///{folder / 'b2b.db'}"
    upgrade_database(url)
    assert (folder / "b2b.db").is_file()
