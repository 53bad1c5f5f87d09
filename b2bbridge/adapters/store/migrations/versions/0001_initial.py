"""The initial store: payloads, messages and their lineage, dead letters, numbers, work.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def _id() -> sa.Column[int]:
    return sa.Column("id", ID, primary_key=True, autoincrement=True)


def upgrade() -> None:
    _create_message_tables()
    _create_envelope_tables()
    _create_outcome_tables()
    _create_work_tables()


def _create_message_tables() -> None:
    op.create_table(
        "payloads",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("compressed", sa.LargeBinary, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "messages",
        _id(),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("partner", sa.String(64), nullable=True),
        sa.Column("connector", sa.String(128), nullable=False),
        sa.Column("filename", sa.Text, nullable=True),
        sa.Column(
            "payload_sha256", sa.String(64), sa.ForeignKey("payloads.sha256"), nullable=False
        ),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("correlation_id", sa.String(64), nullable=False),
        sa.Column("syntax", sa.String(16), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    for column in ("partner", "status", "created_at", "payload_sha256"):
        op.create_index(f"ix_messages_{column}", "messages", [column])
    op.create_table(
        "events",
        _id(),
        sa.Column("message_id", ID, sa.ForeignKey("messages.id"), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("component", sa.String(64), nullable=False),
        sa.Column("code", sa.String(64), nullable=True),
        sa.Column("detail", sa.Text, nullable=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_events_message_id", "events", ["message_id"])


def _create_envelope_tables() -> None:
    op.create_table(
        "interchanges",
        _id(),
        sa.Column("message_id", ID, sa.ForeignKey("messages.id"), nullable=False),
        sa.Column("partner", sa.String(64), nullable=True),
        sa.Column("syntax", sa.String(16), nullable=False),
        sa.Column("control_number", sa.String(35), nullable=False),
        sa.Column("sender", sa.String(64), nullable=False),
        sa.Column("receiver", sa.String(64), nullable=False),
        sa.Column("date", sa.Date, nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_interchanges_message_id", "interchanges", ["message_id"])
    op.create_index(
        "ix_interchanges_partner_control_number", "interchanges", ["partner", "control_number"]
    )
    op.create_table(
        "transactions",
        _id(),
        sa.Column("interchange_id", ID, sa.ForeignKey("interchanges.id"), nullable=False),
        sa.Column("group_control_number", sa.String(35), nullable=True),
        sa.Column("control_number", sa.String(35), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("segment_count", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_transactions_interchange_id", "transactions", ["interchange_id"])


def _create_outcome_tables() -> None:
    op.create_table(
        "documents",
        _id(),
        sa.Column("transaction_id", ID, sa.ForeignKey("transactions.id"), nullable=True),
        sa.Column("message_id", ID, sa.ForeignKey("messages.id"), nullable=False),
        sa.Column("partner", sa.String(64), nullable=False),
        sa.Column("doc_type", sa.String(32), nullable=False),
        sa.Column("doc_number", sa.String(64), nullable=False),
        sa.Column("doc_date", sa.Date, nullable=False),
        sa.Column("schema_version", sa.String(16), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint(
            "partner", "doc_type", "doc_number", "doc_date", name="uq_documents_natural_key"
        ),
    )
    op.create_index("ix_documents_transaction_id", "documents", ["transaction_id"])
    op.create_index("ix_documents_message_id", "documents", ["message_id"])
    op.create_table(
        "outbound",
        _id(),
        sa.Column("message_id", ID, sa.ForeignKey("messages.id"), nullable=True),
        sa.Column("partner", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("interchange_control_number", sa.String(35), nullable=False),
        sa.Column("group_control_number", sa.String(35), nullable=True),
        sa.Column("transaction_control_number", sa.String(35), nullable=True),
        sa.Column(
            "payload_sha256", sa.String(64), sa.ForeignKey("payloads.sha256"), nullable=False
        ),
        sa.Column("destination", sa.Text, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_outbound_message_id", "outbound", ["message_id"])
    op.create_index("ix_outbound_status", "outbound", ["status"])
    op.create_table(
        "dead_letters",
        _id(),
        sa.Column("message_id", ID, sa.ForeignKey("messages.id"), nullable=False),
        sa.Column("partner", sa.String(64), nullable=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("replay_of", ID, sa.ForeignKey("dead_letters.id"), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    for column in ("message_id", "partner", "code", "status", "created_at"):
        op.create_index(f"ix_dead_letters_{column}", "dead_letters", [column])


def _create_work_tables() -> None:
    op.create_table(
        "control_numbers",
        sa.Column("partner", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("last_value", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "work_items",
        _id(),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("message_id", ID, sa.ForeignKey("messages.id"), nullable=False),
        sa.Column("payload", sa.Text, nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("available_at", TS, nullable=False),
        sa.Column("leased_by", sa.String(128), nullable=True),
        sa.Column("lease_until", TS, nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_work_items_message_id", "work_items", ["message_id"])
    op.create_index("ix_work_items_state_available_at", "work_items", ["state", "available_at"])


def downgrade() -> None:
    for table in (
        "work_items",
        "control_numbers",
        "dead_letters",
        "outbound",
        "documents",
        "transactions",
        "interchanges",
        "events",
        "messages",
        "payloads",
    ):
        op.drop_table(table)
