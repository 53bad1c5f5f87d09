"""The store's unit of work: one connection, one transaction, rolled back unless committed.

Entering opens a connection and the repositories on it; every repository call joins the
same transaction. :meth:`SqlUnitOfWork.commit` makes the work so far durable (a new
transaction begins on the next statement); leaving the ``with`` block rolls back whatever
was not committed and returns the connection to the pool. Repositories are only
available inside the block. Without a clock, rows are stamped with the wall-clock time.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, Engine

from b2bbridge.adapters.store.ack_expectations import SqlAckExpectationRepository
from b2bbridge.adapters.store.control_numbers import SqlControlNumbers
from b2bbridge.adapters.store.dead_letters import SqlDeadLetterRepository
from b2bbridge.adapters.store.documents import SqlDocumentRepository
from b2bbridge.adapters.store.envelopes import SqlInterchangeRepository, SqlTransactionRepository
from b2bbridge.adapters.store.events import SqlEventRepository
from b2bbridge.adapters.store.idempotency import SqlIdempotencyRepository
from b2bbridge.adapters.store.messages import SqlMessageRepository
from b2bbridge.adapters.store.outbound import SqlOutboundRepository
from b2bbridge.adapters.store.payloads import SqlPayloadRepository
from b2bbridge.adapters.store.scope import ConnectionScope
from b2bbridge.adapters.store.work import SqlWorkRepository
from b2bbridge.ports import Clock, UnitOfWorkFactory


class SqlUnitOfWork(ConnectionScope):
    """:class:`b2bbridge.ports.UnitOfWork` over a SQLAlchemy engine."""

    payloads: SqlPayloadRepository
    messages: SqlMessageRepository
    interchanges: SqlInterchangeRepository
    transactions: SqlTransactionRepository
    documents: SqlDocumentRepository
    outbound: SqlOutboundRepository
    events: SqlEventRepository
    dead_letters: SqlDeadLetterRepository
    control_numbers: SqlControlNumbers
    ack_expectations: SqlAckExpectationRepository
    work: SqlWorkRepository
    idempotency: SqlIdempotencyRepository

    def __init__(self, engine: Engine, clock: Clock | None = None) -> None:
        super().__init__(engine, clock or _WallClock())

    def _open_repositories(self, connection: Connection, clock: Clock) -> None:
        self.events = SqlEventRepository(connection, clock)
        self.payloads = SqlPayloadRepository(connection, clock)
        self.messages = SqlMessageRepository(connection, clock, self.events)
        self.interchanges = SqlInterchangeRepository(connection, clock)
        self.transactions = SqlTransactionRepository(connection, clock)
        self.documents = SqlDocumentRepository(connection, clock)
        self.outbound = SqlOutboundRepository(connection, clock)
        self.dead_letters = SqlDeadLetterRepository(connection, clock)
        self.control_numbers = SqlControlNumbers(connection)
        self.ack_expectations = SqlAckExpectationRepository(connection, clock)
        self.work = SqlWorkRepository(connection, clock)
        self.idempotency = SqlIdempotencyRepository(connection, clock)


class _WallClock:
    """UTC wall-clock time, for callers that do not pass a clock of their own."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def unit_of_work_factory(engine: Engine, clock: Clock) -> UnitOfWorkFactory:
    """What the composition root hands to the services: a fresh unit of work per call."""
    return lambda: SqlUnitOfWork(engine, clock)
