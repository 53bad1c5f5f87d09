"""Large payloads in pieces: a payload is no longer one blob that must be held whole.

A payload's compressed form used to be one ``payloads.compressed`` value, so receiving a
file and reading it back for processing each held all of it (for EDI about a tenth of
the text, tens of megabytes for a large day's file). Now a payload whose compressed form
outgrows one piece is written as numbered rows of ``payload_pieces`` as it is compressed,
and ``payloads.pieces`` says how many; ``compressed`` is then empty. Small payloads stay
inline (``pieces`` 0), as every payload stored before this revision is. Downgrading
drops the pieces, and with them every payload stored in pieces.

Revision ID: 0005_payload_pieces
Revises: 0004_idempotency
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_payload_pieces"
down_revision: str | None = "0004_idempotency"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("payloads", sa.Column("pieces", sa.Integer, nullable=False, server_default="0"))
    op.create_table(
        "payload_pieces",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("payload_pieces")
    op.drop_column("payloads", "pieces")
