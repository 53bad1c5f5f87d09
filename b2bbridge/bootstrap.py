"""The composition root: the one place that picks an adapter for each port.

The CLI, the HTTP API and the tests call :func:`build_app` with validated settings and get
back a ready :class:`App`; nothing else imports an adapter to wire it. Embedded mode
(no ``broker_url``) uses the store-backed queue; the store is always the source of truth.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from b2bbridge.adapters.clock import SystemClock
from b2bbridge.adapters.connectors import folder as _folder  # noqa: F401 - registers "folder"
from b2bbridge.adapters.connectors.base import ConnectorDefinition, create_connector
from b2bbridge.adapters.files.mappings import FileMappingCatalog
from b2bbridge.adapters.files.profiles import load_connector_definitions, load_partners
from b2bbridge.adapters.files.schemas import FileSchemaCatalog
from b2bbridge.adapters.queue.amqp import AmqpWorkQueue
from b2bbridge.adapters.queue.embedded import EmbeddedWorkQueue
from b2bbridge.adapters.store.batch import SqlBatchScope
from b2bbridge.adapters.store.engine import make_engine
from b2bbridge.adapters.store.migrate import upgrade_database
from b2bbridge.adapters.store.uow import SqlUnitOfWork
from b2bbridge.config import Settings
from b2bbridge.core.errors import ConfigError
from b2bbridge.ports import Clock, Connector, UnitOfWork, WorkQueue
from b2bbridge.services.context import RetryPolicy, ServiceContext


@dataclass
class App:
    settings: Settings
    ctx: ServiceContext
    definitions: list[ConnectorDefinition]
    connectors: dict[str, Connector] = field(default_factory=dict)

    def close(self) -> None:
        for c in self.connectors.values():
            c.close()
        if isinstance(self.ctx.queue, AmqpWorkQueue):
            self.ctx.queue.close()


def database_url(settings: Settings) -> str:
    """The configured URL, creating the data folder for the embedded SQLite default."""
    url = settings.resolved_database_url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return url


def upgrade(settings: Settings) -> str:
    """Bring the database schema up to date (alembic); returns the URL it upgraded."""
    url = database_url(settings)
    upgrade_database(url)
    return url


def _work_queue(settings: Settings, engine: Engine, clock: Clock) -> WorkQueue:
    """Scale-out mode (RabbitMQ) when a broker URL is set, else the store-backed queue."""
    if settings.broker_url:
        return AmqpWorkQueue(engine, clock, settings.broker_url)
    return EmbeddedWorkQueue(engine, clock)


def build_app(settings: Settings, *, migrate: bool = True) -> App:
    """Wire every port from settings; ``migrate`` brings the schema up to date first."""
    url = upgrade(settings) if migrate else database_url(settings)
    engine = make_engine(url)
    clock = SystemClock()

    def uow_factory() -> UnitOfWork:
        return SqlUnitOfWork(engine)

    definitions = load_connector_definitions(settings.path(settings.connectors_dir))
    home = settings.home
    connectors = {d.name: create_connector(d, home) for d in definitions}
    partners = load_partners(settings.path(settings.connectors_dir))
    for p in partners:
        if p.outbox_connector and p.outbox_connector not in connectors:
            raise ConfigError(
                f"partner {p.partner!r} sends through connector {p.outbox_connector!r}, "
                f"which is not defined; defined: {', '.join(sorted(connectors)) or 'none'}",
                code="connector_unknown",
            )
    pipeline = settings.pipeline
    ctx = ServiceContext(
        uow=uow_factory,
        queue=_work_queue(settings, engine, clock),
        partners=partners,
        mappings=FileMappingCatalog(settings.path(settings.mappings_dir)),
        connectors=connectors,
        clock=clock,
        retry=RetryPolicy(
            pipeline.max_attempts, pipeline.retry_base_seconds, pipeline.retry_max_seconds
        ),
        duplicate_window_days=pipeline.duplicate_window_days,
        schemas=FileSchemaCatalog(settings.path(settings.schemas_dir)),
        batches=(lambda: SqlBatchScope(engine, clock)) if _group_commit(settings, engine) else None,
    )
    return App(settings, ctx, definitions, connectors)


def _group_commit(settings: Settings, engine: Engine) -> bool:
    """Whether workers commit a leased batch together (``pipeline.group_commit``).

    ``auto`` turns it on for SQLite, where every commit is a synced write and a message
    took five of them, and off for PostgreSQL: there a commit is cheap, and a batch would
    hold its partners' control-number rows locked until it commits, so workers answering
    the same partner would wait on each other (measured: two workers gave 1.37x one with
    it, 1.66-1.69x without).
    """
    choice = settings.pipeline.group_commit
    if choice == "auto":
        return engine.dialect.name == "sqlite"
    return bool(choice)


def settle_heap() -> bool:
    """Take what start-up built out of the cyclic collector's full walks, once per process.

    Imports, settings, mappings and schemas live as long as the process, yet every full
    collection walks them again: about a hundred thousand objects that are never garbage.
    Processing allocates heavily, so full collections come during the work: one in a
    2,000-order interchange took 76-97 ms, about 4% of its time; with the start-up heap
    frozen (``gc.freeze``) it took 3-5 ms. Garbage left by start-up is collected first
    (a full collection, 60-90 ms here), and objects made later are collected as before.
    The long-running entry points (a worker, a polling ``run``, the API) call this once
    wired; ``run --once`` does not, since a small inbox would pay the collection for
    nothing. The first call freezes and returns True, later ones do nothing.
    """
    if gc.get_freeze_count():
        return False
    gc.collect()
    gc.freeze()
    return True
