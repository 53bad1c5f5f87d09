"""The append-only history of each message: one row per state it passed through."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection, RowMapping, insert, select

from b2bbridge.adapters.store.statements import decode_json, encode_json
from b2bbridge.adapters.store.tables import events
from b2bbridge.ports import Clock, EventRecord

_APPEND = insert(events)


class SqlEventRepository:
    """The ``events`` table behind :class:`b2bbridge.ports.EventRepository`."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def append(
        self,
        message_id: int,
        state: str,
        *,
        component: str,
        code: str | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> int:
        values = {
            "message_id": message_id,
            "state": state,
            "component": component,
            "code": code,
            "detail": encode_json(detail),
            "created_at": self._clock.now(),
        }
        key = self._connection.execute(_APPEND, values).inserted_primary_key
        assert key is not None
        return int(key[0])

    def for_message(self, message_id: int) -> list[EventRecord]:
        """Oldest first: the order the message went through its states."""
        query = select(events).where(events.c.message_id == message_id).order_by(events.c.id)
        return [_to_record(row) for row in self._connection.execute(query).mappings()]


def _to_record(values: RowMapping) -> EventRecord:
    return EventRecord(
        id=values["id"],
        message_id=values["message_id"],
        state=values["state"],
        component=values["component"],
        code=values["code"],
        detail=decode_json(values["detail"]),
        created_at=values["created_at"],
    )
