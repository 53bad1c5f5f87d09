"""The sync tables: the id map, flow watermarks and the log of sync runs.

They share the store's :data:`~b2bbridge.adapters.store.tables.metadata`, so the schema
check and the test clean-up cover them; migration ``0003_sync`` creates them.

- ``sync_id_map`` holds one row per (entity, canonical key, system), unique, which is
  what makes a second run or a resumed run update instead of create. It also keeps the
  fingerprint of the fields last written there, for echo suppression.
- ``sync_watermarks`` holds one row per flow, with the (key, stamp) pairs already taken
  inside the overlap window as JSON.
- ``sync_runs`` is append-mostly: a row per run, finished with its counts.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text, UniqueConstraint

from b2bbridge.adapters.store.tables import ID, UtcDateTime, metadata

sync_id_map = Table(
    "sync_id_map",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("entity", String(32), nullable=False),
    Column("key", String(255), nullable=False),
    Column("system", String(64), nullable=False),
    Column("external_id", String(255), nullable=False),
    Column("written_fingerprint", String(64), nullable=True),
    Column("known_fields", Text, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("entity", "key", "system", name="uq_sync_id_map_key"),
    Index("ix_sync_id_map_external", "entity", "system", "external_id"),
)

sync_watermarks = Table(
    "sync_watermarks",
    metadata,
    Column("flow", String(64), primary_key=True),
    Column("since", UtcDateTime, nullable=True),
    Column("seen", Text, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

sync_runs = Table(
    "sync_runs",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("flow", String(64), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("read", Integer, nullable=False),
    Column("written", Integer, nullable=False),
    Column("skipped", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("conflicts", Integer, nullable=False),
    Column("error", Text, nullable=True),
)
