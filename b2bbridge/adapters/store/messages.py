"""Messages: one row per payload received or sent, with its current status.

The status column is what the operator filters on, so it is indexed; every change of
status also appends an event in the same transaction, so the history and the current
state can never disagree. A new message starts as ``received`` (inbound) or
``created`` (outbound), and that first state is recorded as an event too.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Connection, RowMapping, bindparam, exists, insert, select, update

from b2bbridge.adapters.store.events import SqlEventRepository
from b2bbridge.adapters.store.tables import messages, work_items
from b2bbridge.ports import Clock, MessageRecord, NotFoundError

FIRST_STATUS = {"in": "received", "out": "created"}
_ADD = insert(messages)
_GET = select(messages).where(messages.c.id == bindparam("b_id"))
_UPDATE = update(messages).where(messages.c.id == bindparam("b_id"))
_BY_PAYLOAD = select(messages).where(messages.c.payload_sha256 == bindparam("b_sha256"))
_BY_PAYLOAD_UNKNOWN = _BY_PAYLOAD.where(messages.c.partner.is_(None)).order_by(messages.c.id)
_BY_PAYLOAD_PARTNER = _BY_PAYLOAD.where(messages.c.partner == bindparam("b_partner")).order_by(
    messages.c.id
)


class SqlMessageRepository:
    """The ``messages`` table behind :class:`b2bbridge.ports.MessageRepository`."""

    def __init__(self, connection: Connection, clock: Clock, events: SqlEventRepository) -> None:
        self._connection = connection
        self._clock = clock
        self._events = events

    def add(
        self,
        *,
        direction: str,
        partner: str | None,
        connector: str,
        filename: str | None,
        payload_sha256: str,
        size: int,
        correlation_id: str,
        syntax: str | None,
    ) -> int:
        if direction not in FIRST_STATUS:
            raise ValueError(f"direction must be 'in' or 'out', not {direction!r}")
        now = self._clock.now()
        status = FIRST_STATUS[direction]
        values = {
            "direction": direction,
            "partner": partner,
            "connector": connector,
            "filename": filename,
            "payload_sha256": payload_sha256,
            "size": size,
            "correlation_id": correlation_id,
            "syntax": syntax,
            "status": status,
            "created_at": now,
            "updated_at": now,
        }
        key = self._connection.execute(_ADD, values).inserted_primary_key
        assert key is not None
        message_id = int(key[0])
        self._events.append(message_id, status, component=connector)
        return message_id

    def get(self, id: int) -> MessageRecord:
        row = self._connection.execute(_GET, {"b_id": id}).mappings().first()
        if row is None:
            raise NotFoundError(f"no message {id}", code="message_not_found")
        return _to_record(row)

    def set_status(
        self,
        id: int,
        status: str,
        *,
        component: str,
        code: str | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> None:
        self._update(id, status=status)
        self._events.append(id, status, component=component, code=code, detail=detail)

    def find_by_payload(self, sha256: str, *, partner: str | None) -> list[MessageRecord]:
        """Earlier messages with the same bytes; ``partner=None`` matches unknown partners."""
        if partner is None:
            rows = self._connection.execute(_BY_PAYLOAD_UNKNOWN, {"b_sha256": sha256}).mappings()
        else:
            params = {"b_sha256": sha256, "b_partner": partner}
            rows = self._connection.execute(_BY_PAYLOAD_PARTNER, params).mappings()
        return [_to_record(row) for row in rows]

    def set_partner(self, id: int, partner: str) -> None:
        self._update(id, partner=partner)

    def list_stranded(self, *, before: datetime, limit: int = 500) -> list[int]:
        """Inbound messages still ``received`` with no work item: the enqueue never happened.

        Receiving commits the message and then queues it; a crash in between leaves the
        message here. Only messages older than ``before`` count, so one being received
        right now is not taken for stranded. Oldest first.
        """
        queued = exists().where(work_items.c.message_id == messages.c.id)
        query = (
            select(messages.c.id)
            .where(
                messages.c.direction == "in",
                messages.c.status == "received",
                messages.c.created_at < before,
                ~queued,
            )
            .order_by(messages.c.id)
            .limit(limit)
        )
        return [int(v) for v in self._connection.execute(query).scalars()]

    def list(
        self,
        *,
        status: str | None = None,
        partner: str | None = None,
        since: datetime | None = None,
        limit: int = 100,
    ) -> list[MessageRecord]:
        """Newest first."""
        query = select(messages).order_by(messages.c.created_at.desc(), messages.c.id.desc())
        if status is not None:
            query = query.where(messages.c.status == status)
        if partner is not None:
            query = query.where(messages.c.partner == partner)
        if since is not None:
            query = query.where(messages.c.created_at >= since)
        return [_to_record(row) for row in self._connection.execute(query.limit(limit)).mappings()]

    def _update(self, id: int, **values: str) -> None:
        params = {"b_id": id, "updated_at": self._clock.now(), **values}
        if self._connection.execute(_UPDATE, params).rowcount != 1:
            raise NotFoundError(f"no message {id}", code="message_not_found")


def _to_record(values: RowMapping) -> MessageRecord:
    return MessageRecord(**values)
