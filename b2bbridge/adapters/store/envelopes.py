"""Interchanges and their transactions: the envelope lineage of each message.

Interchanges are looked up by partner and control number (ISA13 / UNB5) to refuse an
interchange already received within the duplicate window.

Transactions are stored one interchange at a time, thousands in one go, so
:meth:`SqlTransactionRepository.add_many` hands SQLAlchemy's "insertmanyvalues" a whole
list: multi-row INSERTs whose RETURNING gives the new ids in the order of the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import Connection, Insert, bindparam, insert, select

from b2bbridge.adapters.store.statements import Prepared
from b2bbridge.adapters.store.tables import interchanges, transactions
from b2bbridge.ports import (
    Clock,
    InterchangeRecord,
    NewTransaction,
    NotFoundError,
    TransactionRecord,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # "since the beginning": no window
_ADD_INTERCHANGE = insert(interchanges)
_BY_CONTROL_NUMBER = (
    select(interchanges)
    .where(
        interchanges.c.partner == bindparam("b_partner"),
        interchanges.c.control_number == bindparam("b_control_number"),
        interchanges.c.created_at >= bindparam("b_since"),
    )
    .order_by(interchanges.c.id)
)
_ADD_TRANSACTION = insert(transactions)


def _add_transactions(dialect: str) -> Insert:
    # PostgreSQL: SQLAlchemy batches the rows as INSERT ... SELECT ... ORDER BY and sorts
    # what RETURNING gives back by the new ids. SQLite has no such form, and asking it for
    # ordered rows makes SQLAlchemy send one INSERT per row; the batch is sent unordered and
    # sorted by id instead (see add_many).
    if dialect == "sqlite":
        return insert(transactions).returning(transactions.c.id)
    return insert(transactions).returning(transactions.c.id, sort_by_parameter_order=True)


_ADD_TRANSACTIONS = Prepared(_add_transactions)


class SqlInterchangeRepository:
    """The ``interchanges`` table behind :class:`b2bbridge.ports.InterchangeRepository`."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def add(
        self,
        *,
        message_id: int,
        partner: str | None,
        syntax: str,
        control_number: str,
        sender: str,
        receiver: str,
        date: date | None,
        status: str,
    ) -> int:
        values = {
            "message_id": message_id,
            "partner": partner,
            "syntax": syntax,
            "control_number": control_number,
            "sender": sender,
            "receiver": receiver,
            "date": date,
            "status": status,
            "created_at": self._clock.now(),
        }
        key = self._connection.execute(_ADD_INTERCHANGE, values).inserted_primary_key
        assert key is not None
        return int(key[0])

    def find(
        self, *, partner: str, control_number: str, since: datetime | None
    ) -> list[InterchangeRecord]:
        """Interchanges with this control number stored at or after ``since``, oldest first."""
        params = {
            "b_partner": partner,
            "b_control_number": control_number,
            "b_since": since if since is not None else _EPOCH,
        }
        rows = self._connection.execute(_BY_CONTROL_NUMBER, params).mappings()
        return [InterchangeRecord(**row) for row in rows]

    def for_message(self, message_id: int) -> list[InterchangeRecord]:
        query = select(interchanges).where(interchanges.c.message_id == message_id)
        rows = self._connection.execute(query.order_by(interchanges.c.id)).mappings()
        return [InterchangeRecord(**row) for row in rows]

    def get(self, id: int) -> InterchangeRecord:
        query = select(interchanges).where(interchanges.c.id == id)
        row = self._connection.execute(query).mappings().first()
        if row is None:
            raise NotFoundError(f"no interchange {id}", code="interchange_not_found")
        return InterchangeRecord(**row)


class SqlTransactionRepository:
    """The ``transactions`` table behind :class:`b2bbridge.ports.TransactionRepository`."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def add(
        self,
        *,
        interchange_id: int,
        group_control_number: str | None,
        control_number: str,
        type: str,
        status: str,
        segment_count: int,
    ) -> int:
        values = {
            "interchange_id": interchange_id,
            "group_control_number": group_control_number,
            "control_number": control_number,
            "type": type,
            "status": status,
            "segment_count": segment_count,
            "created_at": self._clock.now(),
        }
        key = self._connection.execute(_ADD_TRANSACTION, values).inserted_primary_key
        assert key is not None
        return int(key[0])

    def add_many(self, rows: Sequence[NewTransaction]) -> list[int]:
        """Insert the rows in order; their ids, ascending, in the order of ``rows``.

        On SQLite the ids come back sorted rather than in RETURNING's order, which SQLite
        leaves unspecified: a multi-row INSERT stores its rows in the order given, each
        with a rowid above every rowid in the table, and the batches follow each other in
        one write transaction, which SQLite lets no other writer interleave with.
        """
        if not rows:
            return []
        now = self._clock.now()
        values = [
            {
                "interchange_id": row.interchange_id,
                "group_control_number": row.group_control_number,
                "control_number": row.control_number,
                "type": row.type,
                "status": row.status,
                "segment_count": row.segment_count,
                "created_at": now,
            }
            for row in rows
        ]
        statement = _ADD_TRANSACTIONS.on(self._connection)
        ids = [int(i) for i in self._connection.execute(statement, values).scalars()]
        if self._connection.dialect.name == "sqlite":
            ids.sort()
        if len(ids) != len(rows):
            raise RuntimeError(f"inserted {len(rows)} transactions but got {len(ids)} ids back")
        return ids

    def for_interchange(self, interchange_id: int) -> list[TransactionRecord]:
        query = select(transactions).where(transactions.c.interchange_id == interchange_id)
        rows = self._connection.execute(query.order_by(transactions.c.id)).mappings()
        return [TransactionRecord(**row) for row in rows]

    def get(self, id: int) -> TransactionRecord:
        query = select(transactions).where(transactions.c.id == id)
        row = self._connection.execute(query).mappings().first()
        if row is None:
            raise NotFoundError(f"no transaction {id}", code="transaction_not_found")
        return TransactionRecord(**row)
