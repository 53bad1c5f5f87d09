"""Session fixtures for the sync tests: one trytond (erp, wms, crm databases) and one Oscar.

Both start from cached template databases (see ``sync_servers``) on loopback ports. A
server that cannot start fails the tests that need it; they are never skipped. Tests use
unique data (fresh e-mails, order numbers, party codes) instead of resetting databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sync_servers import Server, ServerStartError, start_oscar, start_tryton
from sync_support import MakeContext, Pauses

from b2bbridge.adapters.clock import SystemClock
from b2bbridge.adapters.store import (
    make_engine,
    sync_state_factory,
    unit_of_work_factory,
    upgrade_database,
)
from b2bbridge.core.sync import FlowSpec
from b2bbridge.ports import SystemAdapter
from b2bbridge.services.context import RetryPolicy
from b2bbridge.services.sync_context import SyncContext
from b2bbridge.services.sync_pipeline import PipelineDocuments

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def tryton(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    try:
        server = start_tryton(tmp_path_factory.mktemp("tryton"), ["erp", "wms", "crm"])
    except ServerStartError as exc:
        pytest.fail(str(exc))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def oscar(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    try:
        server = start_oscar(tmp_path_factory.mktemp("oscar"))
    except ServerStartError as exc:
        pytest.fail(str(exc))
    yield server
    server.stop()


@pytest.fixture
def store_engine(tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'b2b.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def make_context(store_engine: Engine) -> Iterator[MakeContext]:
    """``make_context(systems={...}, flows=[...])``: a SyncContext on a fresh SQLite store."""
    built: list[SystemAdapter] = []

    def make(
        systems: dict[str, SystemAdapter], flows: list[FlowSpec], pause: Pauses | None = None
    ) -> SyncContext:
        clock = SystemClock()
        uow = unit_of_work_factory(store_engine, clock)
        everything = {"pipeline": PipelineDocuments(uow), **systems}
        built.extend(systems.values())
        return SyncContext(
            systems=everything,
            flows={flow.name: flow for flow in flows},
            state=sync_state_factory(store_engine, clock),
            uow=uow,
            clock=clock,
            retry=RetryPolicy(max_attempts=3, base_seconds=0.5, max_seconds=2.0),
            pause=pause or Pauses(),
        )

    yield make
    for system in built:
        system.close()
