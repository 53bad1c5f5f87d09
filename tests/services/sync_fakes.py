"""In-memory systems and a SQLite-backed SyncContext for the sync service tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from b2bbridge.adapters.store import (
    make_engine,
    sync_state_factory,
    unit_of_work_factory,
    upgrade_database,
)
from b2bbridge.core.errors import B2BError, ConnectorError
from b2bbridge.core.sync import FlowSpec
from b2bbridge.ports import ChangeBatch, SyncRecord, SystemAdapter
from b2bbridge.services.context import RetryPolicy
from b2bbridge.services.sync_context import SyncContext

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.moment = T0 + timedelta(hours=1)

    def now(self) -> datetime:
        return self.moment


class MemorySystem:
    """A system holding records by key; each write stamps a record with the next tick."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.records: dict[str, SyncRecord] = {}
        self.tick = 0
        self.writes: list[list[str]] = []
        self.fail_next: list[B2BError] = []
        self.reject_keys: set[str] = set()

    def put(self, key: str, fields: dict[str, object], entity: str = "customer") -> None:
        """A change made inside the system by a user."""
        self.tick += 1
        self.records[key] = SyncRecord(
            entity,
            key,
            fields,
            external_id=f"{self.name}-{key}",
            stamp=T0 + timedelta(seconds=self.tick),
        )

    def read_changes(self, entity: str, since: datetime | None) -> ChangeBatch:
        chosen = [
            r
            for r in self.records.values()
            if r.entity == entity and r.stamp is not None and (since is None or r.stamp >= since)
        ]
        chosen.sort(key=lambda r: (str(r.stamp), r.key))
        return ChangeBatch(chosen, chosen[-1].stamp if chosen else None)

    def upsert(self, entity: str, records: list[SyncRecord]) -> list[str]:
        if self.fail_next:
            raise self.fail_next.pop(0)
        bad = [r.key for r in records if r.key in self.reject_keys]
        if bad:
            raise B2BError(f"refused {bad}", code="system_rejected")
        self.writes.append([r.key for r in records])
        for record in records:
            self.put(record.key, dict(record.fields), entity)
        return [f"{self.name}-{r.key}" for r in records]

    def close(self) -> None:
        """Nothing to release."""


def down() -> ConnectorError:
    return ConnectorError("connection refused", code="system_unavailable")


class Pauses:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def make_context(
    tmp_path: Path, systems: list[MemorySystem], flows: list[FlowSpec], pauses: Pauses | None = None
) -> SyncContext:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    clock = Clock()
    adapters: dict[str, SystemAdapter] = {s.name: s for s in systems}
    return SyncContext(
        systems=adapters,
        flows={f.name: f for f in flows},
        state=sync_state_factory(engine, clock),
        uow=unit_of_work_factory(engine, clock),
        clock=clock,
        retry=RetryPolicy(max_attempts=3, base_seconds=1.0, max_seconds=10.0),
        pause=pauses or Pauses(),
    )


def flow(
    name: str = "customers", source: str = "crm", target: str = "erp", **more: object
) -> FlowSpec:
    values: dict[str, object] = {
        "name": name,
        "entity": "customer",
        "source": source,
        "targets": [target],
        "schedule": "* * * * *",
    }
    values.update(more)
    return FlowSpec.model_validate(values)
