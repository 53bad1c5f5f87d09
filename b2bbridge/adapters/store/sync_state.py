"""Repositories over the sync tables, and a unit of work that groups them.

:class:`SqlSyncState` is the :class:`b2bbridge.ports.SyncState` port: one connection,
one transaction, rolled back unless committed, like the store's main unit of work. The
id map's ``put`` is an upsert on (entity, key, system), so recording the same mapping
twice is harmless.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, RowMapping, insert, select, update

from b2bbridge.adapters.store.scope import ConnectionScope
from b2bbridge.adapters.store.statements import decode_json, encode_json, insert_for
from b2bbridge.adapters.store.sync_tables import sync_id_map, sync_runs, sync_watermarks
from b2bbridge.core.sync.echo import fingerprint
from b2bbridge.ports import (
    Clock,
    IdMapRecord,
    SyncRunRecord,
    SyncStateFactory,
    WatermarkRecord,
)


class SqlIdMapRepository:
    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def get(self, entity: str, key: str, system: str) -> IdMapRecord | None:
        table = sync_id_map
        row = (
            self._connection.execute(
                select(table).where(
                    table.c.entity == entity, table.c.key == key, table.c.system == system
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        return IdMapRecord(
            entity=row["entity"],
            key=row["key"],
            system=row["system"],
            external_id=row["external_id"],
            written_fingerprint=row["written_fingerprint"],
            known_fields=decode_json(row["known_fields"]),
            updated_at=row["updated_at"],
        )

    def find_key(self, entity: str, system: str, external_id: str) -> str | None:
        table = sync_id_map
        query = select(table.c.key).where(
            table.c.entity == entity,
            table.c.system == system,
            table.c.external_id == external_id,
        )
        key = self._connection.execute(query).scalar()
        return None if key is None else str(key)

    def put(
        self,
        entity: str,
        key: str,
        system: str,
        external_id: str,
        *,
        known_fields: Mapping[str, object] | None = None,
    ) -> None:
        table = sync_id_map
        values = {
            "external_id": external_id,
            "written_fingerprint": None if known_fields is None else fingerprint(known_fields),
            "known_fields": encode_json(known_fields),
            "updated_at": self._clock.now(),
        }
        statement = (
            insert_for(self._connection, table)
            .values(entity=entity, key=key, system=system, **values)
            .on_conflict_do_update(
                index_elements=[table.c.entity, table.c.key, table.c.system], set_=values
            )
        )
        self._connection.execute(statement)


class SqlWatermarkRepository:
    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def get(self, flow: str) -> WatermarkRecord | None:
        query = select(sync_watermarks).where(sync_watermarks.c.flow == flow)
        row = self._connection.execute(query).mappings().first()
        return None if row is None else _watermark(row)

    def put(self, flow: str, since: datetime | None, seen: list[tuple[str, datetime]]) -> None:
        table = sync_watermarks
        text = json.dumps(sorted([key, stamp.astimezone(UTC).isoformat()] for key, stamp in seen))
        values = {"since": since, "seen": text, "updated_at": self._clock.now()}
        statement = (
            insert_for(self._connection, table)
            .values(flow=flow, **values)
            .on_conflict_do_update(index_elements=[table.c.flow], set_=values)
        )
        self._connection.execute(statement)

    def list(self) -> list[WatermarkRecord]:
        query = select(sync_watermarks).order_by(sync_watermarks.c.flow)
        return [_watermark(row) for row in self._connection.execute(query).mappings()]


def _watermark(row: RowMapping) -> WatermarkRecord:
    seen = [(str(key), datetime.fromisoformat(stamp)) for key, stamp in json.loads(row["seen"])]
    return WatermarkRecord(
        flow=row["flow"], since=row["since"], seen=seen, updated_at=row["updated_at"]
    )


class SqlSyncRunRepository:
    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def start(self, flow: str) -> int:
        counts = {"read": 0, "written": 0, "skipped": 0, "failed": 0, "conflicts": 0}
        statement = insert(sync_runs).values(
            flow=flow, status="running", started_at=self._clock.now(), **counts
        )
        key = self._connection.execute(statement).inserted_primary_key
        assert key is not None
        return int(key[0])

    def finish(
        self,
        run_id: int,
        *,
        status: str,
        read: int,
        written: int,
        skipped: int,
        failed: int,
        conflicts: int,
        error: str | None = None,
    ) -> None:
        statement = (
            update(sync_runs)
            .where(sync_runs.c.id == run_id)
            .values(
                status=status,
                finished_at=self._clock.now(),
                read=read,
                written=written,
                skipped=skipped,
                failed=failed,
                conflicts=conflicts,
                error=error,
            )
        )
        self._connection.execute(statement)

    def last(self, flow: str) -> SyncRunRecord | None:
        query = (
            select(sync_runs)
            .where(sync_runs.c.flow == flow)
            .order_by(sync_runs.c.id.desc())
            .limit(1)
        )
        row = self._connection.execute(query).mappings().first()
        if row is None:
            return None
        return SyncRunRecord(**{name: row[name] for name in SyncRunRecord.__slots__})


class SqlSyncState(ConnectionScope):
    """:class:`b2bbridge.ports.SyncState` over a SQLAlchemy engine."""

    id_map: SqlIdMapRepository
    watermarks: SqlWatermarkRepository
    runs: SqlSyncRunRepository

    def _open_repositories(self, connection: Connection, clock: Clock) -> None:
        self.id_map = SqlIdMapRepository(connection, clock)
        self.watermarks = SqlWatermarkRepository(connection, clock)
        self.runs = SqlSyncRunRepository(connection, clock)


def sync_state_factory(engine: Engine, clock: Clock) -> SyncStateFactory:
    """What the composition root hands to the sync services: a fresh state per call."""
    return lambda: SqlSyncState(engine, clock)
