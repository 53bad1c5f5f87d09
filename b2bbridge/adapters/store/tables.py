"""The store's tables, as SQLAlchemy Core metadata that the repositories query.

The schema itself is created by the alembic migrations, never from this metadata; a
test compares the two so they cannot drift apart.

Choices that hold on both SQLite and PostgreSQL:

- every time is stored as UTC and read back timezone-aware (:class:`UtcDateTime`);
- payload blobs live in ``payloads`` alone, keyed by their sha256, so the tables that are
  polled and listed stay narrow;
- ``documents.doc_date`` is NOT NULL and a document without a date is stored with
  :data:`NO_DATE` (0001-01-01), because a unique constraint treats NULLs as distinct and
  would let the same undated document in twice;
- JSON values (event details, dead-letter locations, work payloads) are JSON text.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

NO_DATE = date(1, 1, 1)
"""Stands for "no document date" in ``documents.doc_date``; readers turn it back into None."""


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that refuses naive input and always comes back aware, in UTC.

    SQLite has no time zone type, so values are stored there as naive UTC text, which
    also keeps their lexical order the time order.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given to the store; pass UTC")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()
ID = BigInteger().with_variant(Integer(), "sqlite")  # SQLite rowid aliases need INTEGER

payloads = Table(
    "payloads",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("compressed", LargeBinary, nullable=False),  # empty when stored in pieces
    Column("created_at", UtcDateTime, nullable=False),
    Column("pieces", Integer, nullable=False, server_default="0"),
)

# A large payload's compressed form, in order. Written before the payload's hash is known
# (under a provisional key, renamed once it is), so there is no foreign key to payloads.
payload_pieces = Table(
    "payload_pieces",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

messages = Table(
    "messages",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("direction", String(3), nullable=False),
    Column("partner", String(64), nullable=True, index=True),
    Column("connector", String(128), nullable=False),
    Column("filename", Text, nullable=True),
    Column("payload_sha256", String(64), ForeignKey("payloads.sha256"), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("correlation_id", String(64), nullable=False),
    Column("syntax", String(16), nullable=True),
    Column("status", String(32), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_messages_payload_sha256", "payload_sha256"),
    Index("ix_messages_direction_status", "direction", "status"),
)

interchanges = Table(
    "interchanges",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("message_id", ID, ForeignKey("messages.id"), nullable=False, index=True),
    Column("partner", String(64), nullable=True),
    Column("syntax", String(16), nullable=False),
    Column("control_number", String(35), nullable=False),
    Column("sender", String(64), nullable=False),
    Column("receiver", String(64), nullable=False),
    Column("date", Date, nullable=True),
    Column("status", String(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_interchanges_partner_control_number", "partner", "control_number"),
)

transactions = Table(
    "transactions",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("interchange_id", ID, ForeignKey("interchanges.id"), nullable=False, index=True),
    Column("group_control_number", String(35), nullable=True),
    Column("control_number", String(35), nullable=False),
    Column("type", String(16), nullable=False),
    Column("status", String(32), nullable=False),
    Column("segment_count", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("transaction_id", ID, ForeignKey("transactions.id"), nullable=True, index=True),
    Column("message_id", ID, ForeignKey("messages.id"), nullable=False, index=True),
    Column("partner", String(64), nullable=False),
    Column("doc_type", String(32), nullable=False),
    Column("doc_number", String(64), nullable=False),
    Column("doc_date", Date, nullable=False),
    Column("schema_version", String(16), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint(
        "partner", "doc_type", "doc_number", "doc_date", name="uq_documents_natural_key"
    ),
)

outbound = Table(
    "outbound",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("message_id", ID, ForeignKey("messages.id"), nullable=True, index=True),
    Column("partner", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("interchange_control_number", String(35), nullable=False),
    Column("group_control_number", String(35), nullable=True),
    Column("transaction_control_number", String(35), nullable=True),
    Column("payload_sha256", String(64), ForeignKey("payloads.sha256"), nullable=False),
    Column("destination", Text, nullable=False),
    Column("status", String(32), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("message_id", ID, ForeignKey("messages.id"), nullable=False, index=True),
    Column("state", String(32), nullable=False),
    Column("component", String(64), nullable=False),
    Column("code", String(64), nullable=True),
    Column("detail", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

dead_letters = Table(
    "dead_letters",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("message_id", ID, ForeignKey("messages.id"), nullable=False, index=True),
    Column("partner", String(64), nullable=True, index=True),
    Column("code", String(64), nullable=False, index=True),
    Column("reason", Text, nullable=False),
    Column("location", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=False),
    Column("replay_of", ID, ForeignKey("dead_letters.id"), nullable=True),
    Column("status", String(16), nullable=False, index=True),
    Column("note", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

control_numbers = Table(
    "control_numbers",
    metadata,
    Column("partner", String(64), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("last_value", BigInteger, nullable=False),
)

work_items = Table(
    "work_items",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("message_id", ID, ForeignKey("messages.id"), nullable=False, index=True),
    Column("payload", Text, nullable=True),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("available_at", UtcDateTime, nullable=False),
    Column("leased_by", String(128), nullable=True),
    Column("lease_until", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_work_items_state_available_at", "state", "available_at"),
)

ack_expectations = Table(
    "ack_expectations",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("outbound_id", ID, ForeignKey("outbound.id"), nullable=False),
    Column("partner", String(64), nullable=False),
    Column("syntax", String(16), nullable=False),
    Column("interchange_control_number", String(35), nullable=False),
    Column("group_control_number", String(35), nullable=True),
    Column("due_at", UtcDateTime, nullable=False),
    Column("status", String(32), nullable=False),
    Column("ack_kind", String(16), nullable=True),
    Column("ack_message_id", ID, ForeignKey("messages.id"), nullable=True),
    Column("detail", Text, nullable=True),
    Column("resolved_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("outbound_id", name="uq_ack_expectations_outbound_id"),
    Index("ix_ack_expectations_status_due_at", "status", "due_at"),
    Index("ix_ack_expectations_partner_icn", "partner", "interchange_control_number"),
    Index("ix_ack_expectations_partner_gcn", "partner", "group_control_number"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("partner", String(64), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request_sha256", String(64), nullable=False),
    Column("state", String(16), nullable=False),
    Column("status", Integer, nullable=True),
    Column("answer", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("completed_at", UtcDateTime, nullable=True),
    Index("ix_idempotency_keys_created_at", "created_at"),
)
