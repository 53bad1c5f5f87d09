"""The SQLAlchemy store: tables, repositories, unit of work and alembic migrations.

The composition root needs three names: :func:`make_engine` for a URL,
:func:`upgrade_database` (or :func:`upgrade_engine`) to bring the schema up to date, and
:func:`unit_of_work_factory` to give the services their
:data:`~b2bbridge.ports.UnitOfWorkFactory`.
"""

from b2bbridge.adapters.store.engine import make_engine
from b2bbridge.adapters.store.migrate import upgrade_database, upgrade_engine
from b2bbridge.adapters.store.sync_state import SqlSyncState, sync_state_factory
from b2bbridge.adapters.store.uow import SqlUnitOfWork, unit_of_work_factory

__all__ = [
    "SqlSyncState",
    "SqlUnitOfWork",
    "make_engine",
    "sync_state_factory",
    "unit_of_work_factory",
    "upgrade_database",
    "upgrade_engine",
]
