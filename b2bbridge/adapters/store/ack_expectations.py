"""Acknowledgements we wait for, matched by control numbers and listed when overdue.

One row per outbound document that asks for an ack. It is found again by the partner and
the interchange (ISA13, UNB5) or group (GS06) control number the ack names, never by a
file name. Resolving records the verdict, which ack message gave it and when; a second
ack for the same document overwrites the verdict, because the latest statement wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Connection, RowMapping, insert, select, update

from b2bbridge.adapters.store.statements import decode_json, encode_json
from b2bbridge.adapters.store.tables import ack_expectations
from b2bbridge.ports import AckExpectationRecord, Clock, NotFoundError

WAITING = "waiting"


class SqlAckExpectationRepository:
    """The ``ack_expectations`` table behind :class:`b2bbridge.ports.AckExpectationRepository`."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def add(
        self,
        *,
        outbound_id: int,
        partner: str,
        syntax: str,
        interchange_control_number: str,
        group_control_number: str | None,
        due_at: datetime,
    ) -> int:
        statement = insert(ack_expectations).values(
            outbound_id=outbound_id,
            partner=partner,
            syntax=syntax,
            interchange_control_number=interchange_control_number,
            group_control_number=group_control_number,
            due_at=due_at,
            status=WAITING,
            created_at=self._clock.now(),
        )
        key = self._connection.execute(statement).inserted_primary_key
        assert key is not None
        return int(key[0])

    def find(
        self,
        *,
        partner: str,
        interchange_control_number: str | None = None,
        group_control_number: str | None = None,
    ) -> list[AckExpectationRecord]:
        """Expectations of a partner by ICN and/or group number, oldest first."""
        table = ack_expectations
        query = select(table).where(table.c.partner == partner)
        if interchange_control_number is not None:
            query = query.where(table.c.interchange_control_number == interchange_control_number)
        if group_control_number is not None:
            query = query.where(table.c.group_control_number == group_control_number)
        rows = self._connection.execute(query.order_by(table.c.id)).mappings()
        return [_to_record(row) for row in rows]

    def resolve(
        self,
        id: int,
        *,
        status: str,
        ack_kind: str,
        ack_message_id: int,
        detail: Mapping[str, object] | None = None,
    ) -> None:
        statement = (
            update(ack_expectations)
            .where(ack_expectations.c.id == id)
            .values(
                status=status,
                ack_kind=ack_kind,
                ack_message_id=ack_message_id,
                detail=encode_json(detail),
                resolved_at=self._clock.now(),
            )
        )
        if self._connection.execute(statement).rowcount != 1:
            raise NotFoundError(f"no ack expectation {id}", code="ack_expectation_not_found")

    def overdue(self, *, now: datetime, limit: int = 100) -> list[AckExpectationRecord]:
        """Still waiting after their due time, the longest overdue first."""
        table = ack_expectations
        query = (
            select(table)
            .where(table.c.status == WAITING, table.c.due_at < now)
            .order_by(table.c.due_at, table.c.id)
            .limit(limit)
        )
        return [_to_record(row) for row in self._connection.execute(query).mappings()]

    def for_outbound(self, outbound_id: int) -> list[AckExpectationRecord]:
        query = select(ack_expectations).where(ack_expectations.c.outbound_id == outbound_id)
        return [_to_record(row) for row in self._connection.execute(query).mappings()]


def _to_record(values: RowMapping) -> AckExpectationRecord:
    fields = dict(values)
    fields["detail"] = decode_json(fields["detail"])
    return AckExpectationRecord(**fields)
