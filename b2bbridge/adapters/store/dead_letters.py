"""Dead letters: work that failed for good, kept with its reason until someone acts.

They never expire. A dead letter is ``open`` until it is ``replayed`` (a new attempt was
started; a new dead letter from that attempt points back with ``replay_of``) or
``discarded`` by an operator, with an optional note saying why.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Connection, RowMapping, insert, select, update

from b2bbridge.adapters.store.statements import decode_json, encode_json
from b2bbridge.adapters.store.tables import dead_letters
from b2bbridge.ports import Clock, DeadLetterRecord, NotFoundError

STATUSES = frozenset({"open", "replayed", "discarded"})


class SqlDeadLetterRepository:
    """The ``dead_letters`` table behind :class:`b2bbridge.ports.DeadLetterRepository`."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def add(
        self,
        *,
        message_id: int,
        partner: str | None,
        code: str,
        reason: str,
        location: Mapping[str, object],
        attempts: int,
        last_error: str,
        replay_of: int | None = None,
    ) -> int:
        now = self._clock.now()
        statement = insert(dead_letters).values(
            message_id=message_id,
            partner=partner,
            code=code,
            reason=reason,
            location=encode_json(location),
            attempts=attempts,
            last_error=last_error,
            replay_of=replay_of,
            status="open",
            created_at=now,
            updated_at=now,
        )
        key = self._connection.execute(statement).inserted_primary_key
        assert key is not None
        return int(key[0])

    def get(self, id: int) -> DeadLetterRecord:
        query = select(dead_letters).where(dead_letters.c.id == id)
        row = self._connection.execute(query).mappings().first()
        if row is None:
            raise NotFoundError(f"no dead letter {id}", code="dead_letter_not_found")
        return _to_record(row)

    def for_message(self, message_id: int) -> list[DeadLetterRecord]:
        """Every dead letter of a message, whatever its status, oldest first."""
        query = select(dead_letters).where(dead_letters.c.message_id == message_id)
        rows = self._connection.execute(query.order_by(dead_letters.c.id)).mappings()
        return [_to_record(row) for row in rows]

    def list(
        self,
        *,
        message_id: int | None = None,
        partner: str | None = None,
        code: str | None = None,
        since: datetime | None = None,
        status: str | None = "open",
        limit: int = 100,
    ) -> list[DeadLetterRecord]:
        """Newest first; ``status=None`` lists every status."""
        table = dead_letters
        query = select(table).order_by(table.c.created_at.desc(), table.c.id.desc())
        if message_id is not None:
            query = query.where(table.c.message_id == message_id)
        if partner is not None:
            query = query.where(table.c.partner == partner)
        if code is not None:
            query = query.where(table.c.code == code)
        if since is not None:
            query = query.where(table.c.created_at >= since)
        if status is not None:
            query = query.where(table.c.status == status)
        rows = self._connection.execute(query.limit(limit)).mappings()
        return [_to_record(row) for row in rows]

    def set_status(self, id: int, status: str, *, note: str | None = None) -> None:
        if status not in STATUSES:
            raise ValueError(f"dead-letter status must be one of {sorted(STATUSES)}: {status!r}")
        statement = (
            update(dead_letters)
            .where(dead_letters.c.id == id)
            .values(status=status, note=note, updated_at=self._clock.now())
        )
        if self._connection.execute(statement).rowcount != 1:
            raise NotFoundError(f"no dead letter {id}", code="dead_letter_not_found")


def _to_record(values: RowMapping) -> DeadLetterRecord:
    fields = dict(values)
    fields["location"] = decode_json(fields["location"]) or {}
    return DeadLetterRecord(**fields)
