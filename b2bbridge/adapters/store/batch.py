"""Group commit: many units of work inside one store transaction, each as a savepoint.

Committing is what costs on an embedded store: SQLite with ``synchronous=FULL`` syncs
its log on every commit, and a message used to need five of them. A worker that has
leased a batch of messages opens one :class:`SqlBatchScope`, runs each message inside its
own savepoint, and commits once for the batch; the services see ordinary units of work
(:meth:`SqlBatchScope.unit_of_work`) whose ``commit`` releases a savepoint instead of
ending the transaction.

Nothing becomes durable before the batch commits, so a crash part-way through a batch
redoes the whole batch, which the pipeline is built to do safely (leases expire, the
content hash and the natural keys stop second copies). A message whose processing fails
rolls back to its savepoint and leaves the rest of the batch untouched.

On SQLite the batch holds the database's write lock from its first statement to its
commit, so other writers (a connector receiving, the API storing) wait that long; the
lease size (``pipeline.batch_size``) bounds it. PostgreSQL writers do not wait on it.

Savepoints are plain SQL sent straight to the driver's cursor, under names numbered
within the batch. SQLAlchemy's own ``begin_nested`` compiles a new statement for every
savepoint (each has a new name) and cost about 120 µs a pair here, against 5 µs this
way; a message takes three pairs. SQLAlchemy never learns of these savepoints, so
nothing here may mix them with its nested transactions on the same connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self, cast

from sqlalchemy import Connection, Engine, Executable, RootTransaction

from b2bbridge.adapters.store.uow import SqlUnitOfWork
from b2bbridge.ports import Clock


class _Savepoints:
    """Savepoints on the batch connection, named ``b2b_1``, ``b2b_2``... in opening order."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._opened = 0

    def open(self) -> _Savepoint:
        self._opened += 1
        savepoint = _Savepoint(self.connection, f"b2b_{self._opened}")
        savepoint.send("SAVEPOINT")
        return savepoint


class _Savepoint:
    """One open savepoint; :meth:`release` keeps its writes, :meth:`rollback` undoes them."""

    def __init__(self, connection: Connection, name: str) -> None:
        self._connection = connection
        self.name = name
        self.is_active = True

    def release(self) -> None:
        self._close("RELEASE SAVEPOINT")

    def rollback(self) -> None:
        """Undo to the savepoint and drop it (a PostgreSQL error state is cleared too)."""
        if self.is_active:
            self.send("ROLLBACK TO SAVEPOINT")
        self._close("RELEASE SAVEPOINT")

    def _close(self, verb: str) -> None:
        if self.is_active:
            self.is_active = False
            self.send(verb)

    def send(self, verb: str) -> None:
        cursor = self._connection.connection.cursor()
        try:
            cursor.execute(f"{verb} {self.name}")
        finally:
            cursor.close()


class _LazySavepoint:
    """The batch connection as one unit of work's repositories see it.

    The savepoint is opened by the first statement that writes: a unit of work that only
    reads (most of them look a message up) costs no SAVEPOINT and ROLLBACK round trip.
    Repositories use nothing of a connection but ``execute`` and ``dialect``.
    """

    def __init__(self, savepoints: _Savepoints) -> None:
        self.connection = savepoints.connection
        self.dialect = self.connection.dialect
        self._savepoints = savepoints
        self.savepoint: _Savepoint | None = None

    def execute(self, statement: Executable, *args: Any, **kwargs: Any) -> Any:
        if self.savepoint is None and getattr(statement, "is_dml", False):
            self.savepoint = self._savepoints.open()
        return self.connection.execute(statement, *args, **kwargs)

    def end(self, *, keep: bool) -> None:
        """Release (keep) or roll back what was written since the last end."""
        savepoint, self.savepoint = self.savepoint, None
        if savepoint is None:
            return
        if keep:
            savepoint.release()
        else:
            savepoint.rollback()


class _SavepointUnitOfWork(SqlUnitOfWork):
    """A unit of work on the batch's connection: commit releases its savepoint."""

    def __init__(self, engine: Engine, clock: Clock, savepoints: _Savepoints) -> None:
        super().__init__(engine, clock)
        self._savepoints = savepoints
        self._lazy: _LazySavepoint | None = None

    def __enter__(self) -> Self:
        self._lazy = _LazySavepoint(self._savepoints)
        self._connection = self._savepoints.connection
        self._open_repositories(cast(Connection, self._lazy), self._clock)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        lazy, self._lazy = self._lazy, None
        self._connection = None
        if lazy is not None:
            lazy.end(keep=False)

    def commit(self) -> None:
        self._opened().end(keep=True)

    def rollback(self) -> None:
        self._opened().end(keep=False)

    def _opened(self) -> _LazySavepoint:
        if self._lazy is None:
            raise RuntimeError("the unit of work is used outside its 'with' block")
        return self._lazy


class SqlBatchScope:
    """:class:`b2bbridge.ports.BatchScope`: one transaction shared by many units of work."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock
        self._connection: Connection | None = None
        self._transaction: RootTransaction | None = None
        self._savepoints: _Savepoints | None = None

    def __enter__(self) -> Self:
        self._connection = self._engine.connect()
        self._transaction = self._connection.begin()
        self._savepoints = _Savepoints(self._connection)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        transaction, self._transaction = self._transaction, None
        self._savepoints = None
        if connection is None:
            return
        try:
            if transaction is not None and transaction.is_active:
                transaction.rollback()
        finally:
            connection.close()

    def unit_of_work(self) -> SqlUnitOfWork:
        """A unit of work inside the batch (a savepoint); usable as a UnitOfWorkFactory."""
        return _SavepointUnitOfWork(self._engine, self._clock, self._open())

    @contextmanager
    def item(self) -> Iterator[None]:
        """One item's share of the batch: kept if the block ends normally, undone if it raises."""
        savepoint = self._open().open()
        try:
            yield
        except BaseException:
            savepoint.rollback()
            raise
        savepoint.release()

    def commit(self) -> None:
        """Make the whole batch durable; the scope is finished afterwards."""
        self._finish().commit()

    def rollback(self) -> None:
        """Undo the whole batch; the scope is finished afterwards."""
        self._finish().rollback()

    def _finish(self) -> RootTransaction:
        transaction, self._transaction = self._transaction, None
        if transaction is None:
            raise RuntimeError("the batch is used outside its 'with' block")
        return transaction

    def _open(self) -> _Savepoints:
        if self._savepoints is None or self._transaction is None:
            raise RuntimeError("the batch is used outside its 'with' block")
        return self._savepoints
