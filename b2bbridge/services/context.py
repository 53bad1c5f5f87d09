"""What the services need, passed as one value: ports, profiles and policies.

The composition root (``bootstrap.py``) builds one of these; tests build one with fakes or
a temporary SQLite store. Services take it as their first argument and never reach for a
global.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from b2bbridge.core.partner import PartnerDirectory
from b2bbridge.core.schemas.catalog import SchemaSource
from b2bbridge.ports import Clock, Connector, MappingCatalog, UnitOfWorkFactory, WorkQueue


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When transient failures are retried, and when they become dead letters."""

    max_attempts: int = 5
    base_seconds: float = 2.0
    max_seconds: float = 300.0


@dataclass(frozen=True, slots=True)
class ServiceContext:
    uow: UnitOfWorkFactory
    queue: WorkQueue
    partners: PartnerDirectory
    mappings: MappingCatalog
    connectors: Mapping[str, Connector]
    clock: Clock
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    duplicate_window_days: int = 90
    worker_name: str = "worker"
    schemas: SchemaSource | None = None

    def connector(self, name: str) -> Connector:
        return self.connectors[name]
