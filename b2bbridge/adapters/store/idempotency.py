"""Idempotency keys: the API's first answer per (partner, key), kept for every API process.

A keyed request first *claims* its key with ``INSERT ... ON CONFLICT DO NOTHING``. The
(partner, key) primary key decides the race between two processes or threads: exactly
one insert succeeds, and the other sees the winner's row (on PostgreSQL it waits for the
winner's transaction to end first). The winner stores the payload, then *completes* the
row with the answer; if storing fails it *releases* the row so a retry can try again. A
row left ``pending`` by a process that died can be *taken over* once it is older than the
caller's in-flight limit. Rows older than the retention are pruned in small batches.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, select, tuple_, update

from b2bbridge.adapters.store.statements import decode_json, encode_json, insert_for
from b2bbridge.adapters.store.tables import idempotency_keys as keys
from b2bbridge.ports import Clock, IdempotencyRecord, JsonObject

PENDING = "pending"
DONE = "done"


class SqlIdempotencyRepository:
    """The ``idempotency_keys`` table behind :class:`b2bbridge.ports.IdempotencyRepository`."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def claim(self, partner: str, key: str, request_sha256: str) -> IdempotencyRecord | None:
        """None when this call now owns the key; else the row that was there first."""
        for _ in range(2):  # the row seen as a conflict may be pruned before it is read
            inserted = self._connection.execute(
                insert_for(self._connection, keys)
                .values(
                    partner=partner,
                    key=key,
                    request_sha256=request_sha256,
                    state=PENDING,
                    created_at=self._clock.now(),
                )
                .on_conflict_do_nothing(index_elements=["partner", "key"])
                .returning(keys.c.key)
            )
            if inserted.first() is not None:  # rowcount is not reliable here on psycopg
                return None
            found = self.get(partner, key)
            if found is not None:
                return found
        raise RuntimeError(f"idempotency key {key!r} of {partner!r} neither inserted nor found")

    def get(self, partner: str, key: str) -> IdempotencyRecord | None:
        row = self._connection.execute(
            select(keys).where(keys.c.partner == partner, keys.c.key == key)
        ).one_or_none()
        if row is None:
            return None
        return IdempotencyRecord(
            partner=row.partner,
            key=row.key,
            request_sha256=row.request_sha256,
            state=row.state,
            status=row.status,
            answer=decode_json(row.answer),
            created_at=row.created_at,
        )

    def take_over(self, partner: str, key: str, *, claimed_before: datetime) -> bool:
        """Re-claim a ``pending`` row older than ``claimed_before`` (its owner gave up)."""
        result = self._connection.execute(
            update(keys)
            .where(
                keys.c.partner == partner,
                keys.c.key == key,
                keys.c.state == PENDING,
                keys.c.created_at < claimed_before,
            )
            .values(created_at=self._clock.now())
        )
        return result.rowcount == 1

    def complete(self, partner: str, key: str, *, status: int, answer: JsonObject) -> None:
        self._connection.execute(
            update(keys)
            .where(keys.c.partner == partner, keys.c.key == key)
            .values(
                state=DONE,
                status=status,
                answer=encode_json(answer),
                completed_at=self._clock.now(),
            )
        )

    def release(self, partner: str, key: str) -> None:
        """Forget a claim whose request failed, so that a retry is not refused as in flight."""
        self._connection.execute(
            delete(keys).where(
                keys.c.partner == partner, keys.c.key == key, keys.c.state == PENDING
            )
        )

    def prune(self, *, before: datetime, limit: int = 1000) -> int:
        """Delete up to ``limit`` keys first used before ``before``; returns how many went."""
        oldest = (
            select(keys.c.partner, keys.c.key)
            .where(keys.c.created_at < before)
            .order_by(keys.c.created_at)
            .limit(limit)
        )
        result = self._connection.execute(
            delete(keys).where(tuple_(keys.c.partner, keys.c.key).in_(oldest))
        )
        return result.rowcount
