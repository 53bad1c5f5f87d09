"""Documents we send (acknowledgements, 855s, 856s ...), each pointing at its payload."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select, update

from b2bbridge.adapters.store.tables import outbound
from b2bbridge.ports import Clock, NotFoundError, OutboundRecord

_ADD = insert(outbound)
_SET_STATUS = update(outbound).where(outbound.c.id == bindparam("b_id"))
_SET_STATUS_MANY = update(outbound).where(outbound.c.id.in_(bindparam("b_ids", expanding=True)))
# Ids per UPDATE: well under every database's limit on bound parameters.
STATUS_CHUNK = 500


class SqlOutboundRepository:
    """The ``outbound`` table behind :class:`b2bbridge.ports.OutboundRepository`."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def add(
        self,
        *,
        message_id: int | None,
        partner: str,
        kind: str,
        interchange_control_number: str,
        group_control_number: str | None,
        transaction_control_number: str | None,
        payload_sha256: str,
        destination: str,
        status: str,
    ) -> int:
        now = self._clock.now()
        values = {
            "message_id": message_id,
            "partner": partner,
            "kind": kind,
            "interchange_control_number": interchange_control_number,
            "group_control_number": group_control_number,
            "transaction_control_number": transaction_control_number,
            "payload_sha256": payload_sha256,
            "destination": destination,
            "status": status,
            "created_at": now,
            "updated_at": now,
        }
        key = self._connection.execute(_ADD, values).inserted_primary_key
        assert key is not None
        return int(key[0])

    def for_message(self, message_id: int) -> list[OutboundRecord]:
        query = select(outbound).where(outbound.c.message_id == message_id)
        rows = self._connection.execute(query.order_by(outbound.c.id)).mappings()
        return [OutboundRecord(**row) for row in rows]

    def set_status(self, id: int, status: str) -> None:
        params = {"b_id": id, "status": status, "updated_at": self._clock.now()}
        if self._connection.execute(_SET_STATUS, params).rowcount != 1:
            raise NotFoundError(f"no outbound document {id}", code="outbound_not_found")

    def set_status_many(self, ids: Sequence[int], status: str) -> None:
        """One status for many documents (a batch's acks once sent), 500 ids a statement.

        An id named twice counts once. A missing id raises after the updates, naming the
        missing ones; the caller's unit of work, not committed, then undoes them all.
        """
        distinct = sorted(set(ids))
        now = self._clock.now()
        missing: list[int] = []
        for start in range(0, len(distinct), STATUS_CHUNK):
            chunk = distinct[start : start + STATUS_CHUNK]
            params = {"b_ids": chunk, "status": status, "updated_at": now}
            if self._connection.execute(_SET_STATUS_MANY, params).rowcount != len(chunk):
                found = select(outbound.c.id).where(outbound.c.id.in_(chunk))
                missing += sorted(set(chunk) - set(self._connection.execute(found).scalars()))
        if missing:
            names = ", ".join(map(str, missing))
            raise NotFoundError(f"no outbound document {names}", code="outbound_not_found")

    def get(self, id: int) -> OutboundRecord:
        row = self._connection.execute(select(outbound).where(outbound.c.id == id)).mappings()
        found = row.first()
        if found is None:
            raise NotFoundError(f"no outbound document {id}", code="outbound_not_found")
        return OutboundRecord(**found)

    def list_pending(self, *, before: datetime, limit: int = 100) -> list[OutboundRecord]:
        """Documents still ``pending`` (never sent) created before ``before``, oldest first."""
        query = (
            select(outbound)
            .where(outbound.c.status == "pending", outbound.c.created_at < before)
            .order_by(outbound.c.id)
            .limit(limit)
        )
        return [OutboundRecord(**row) for row in self._connection.execute(query).mappings()]
