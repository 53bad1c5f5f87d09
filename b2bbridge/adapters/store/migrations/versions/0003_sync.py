"""Sync state: the id map, flow watermarks and sync runs.

Revision ID: 0003_sync
Revises: 0002_pipeline
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_sync"
down_revision: str | None = "0002_pipeline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sync_id_map",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("system", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("written_fingerprint", sa.String(64), nullable=True),
        sa.Column("known_fields", sa.Text, nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("entity", "key", "system", name="uq_sync_id_map_key"),
    )
    op.create_index("ix_sync_id_map_external", "sync_id_map", ["entity", "system", "external_id"])
    op.create_table(
        "sync_watermarks",
        sa.Column("flow", sa.String(64), primary_key=True),
        sa.Column("since", TS, nullable=True),
        sa.Column("seen", sa.Text, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "sync_runs",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("flow", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("read", sa.Integer, nullable=False),
        sa.Column("written", sa.Integer, nullable=False),
        sa.Column("skipped", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("conflicts", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
    )
    op.create_index("ix_sync_runs_flow", "sync_runs", ["flow"])


def downgrade() -> None:
    op.drop_index("ix_sync_runs_flow", table_name="sync_runs")
    op.drop_table("sync_runs")
    op.drop_table("sync_watermarks")
    op.drop_index("ix_sync_id_map_external", table_name="sync_id_map")
    op.drop_table("sync_id_map")
