"""What the services need, passed as one value: ports, profiles and policies.

The composition root (``bootstrap.py``) builds one of these; tests build one with fakes or
a temporary SQLite store. Services take it as their first argument and never reach for a
global.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from b2bbridge.core.partner import PartnerDirectory
from b2bbridge.core.schemas.catalog import SchemaSource
from b2bbridge.ports import (
    BatchScopeFactory,
    Clock,
    Connector,
    MappingCatalog,
    UnitOfWorkFactory,
    WorkItem,
    WorkQueue,
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When transient failures are retried, and when they become dead letters."""

    max_attempts: int = 5
    base_seconds: float = 2.0
    max_seconds: float = 300.0


class SyncHook(Protocol):
    """Event-triggered synchronisation as the worker sees it.

    The sync configuration (systems, flows) is built by the composition root, which the
    services may not import; the CLI passes this hook in so that a worker can queue the
    flows a stored document triggers and run the ``sync`` items it leases.
    """

    @property
    def trigger_types(self) -> frozenset[str]:
        """The document types that trigger any flow; none means nothing to look up."""
        ...

    def enqueue_triggered(
        self, queue: WorkQueue, message_id: int, doc_types: Collection[str]
    ) -> list[int]: ...
    def run_item(self, item: WorkItem) -> object: ...


DeferredSend = Callable[["ServiceContext"], list[int]]
"""A delivery run after a batch commits; it returns the outbound ids it sent."""


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
    sync: SyncHook | None = None
    # Group commit (services/batch.py): how to open a batch transaction, and, inside one,
    # the deliveries held back until it commits. Sending before the commit could put an
    # ack in a partner's hands for a transaction that is then rolled back.
    batches: BatchScopeFactory | None = None
    deferred_sends: list[DeferredSend] | None = None

    def connector(self, name: str) -> Connector:
        return self.connectors[name]
