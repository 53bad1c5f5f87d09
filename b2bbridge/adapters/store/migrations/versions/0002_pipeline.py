"""The durable pipeline: acknowledgements we expect back, and the indexes its sweeps poll.

An ack expectation is written when we send a document the partner must acknowledge; it
is resolved when their 997/999/TA1/CONTRL arrives and names our control numbers, and it
is overdue once ``due_at`` passes unresolved. The ``(direction, status)`` index on
messages serves the sweep that re-queues messages stranded in ``received``.

Revision ID: 0002_pipeline
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_pipeline"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "ack_expectations",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("outbound_id", ID, sa.ForeignKey("outbound.id"), nullable=False),
        sa.Column("partner", sa.String(64), nullable=False),
        sa.Column("syntax", sa.String(16), nullable=False),
        sa.Column("interchange_control_number", sa.String(35), nullable=False),
        sa.Column("group_control_number", sa.String(35), nullable=True),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("ack_kind", sa.String(16), nullable=True),
        sa.Column("ack_message_id", ID, sa.ForeignKey("messages.id"), nullable=True),
        sa.Column("detail", sa.Text, nullable=True),
        sa.Column("resolved_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("outbound_id", name="uq_ack_expectations_outbound_id"),
    )
    op.create_index("ix_ack_expectations_status_due_at", "ack_expectations", ["status", "due_at"])
    op.create_index(
        "ix_ack_expectations_partner_icn",
        "ack_expectations",
        ["partner", "interchange_control_number"],
    )
    op.create_index(
        "ix_ack_expectations_partner_gcn", "ack_expectations", ["partner", "group_control_number"]
    )
    op.create_index("ix_messages_direction_status", "messages", ["direction", "status"])


def downgrade() -> None:
    op.drop_index("ix_messages_direction_status", table_name="messages")
    op.drop_table("ack_expectations")
