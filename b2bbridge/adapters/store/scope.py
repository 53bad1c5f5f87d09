"""One connection, one transaction, rolled back unless committed: the store's scope.

Both the unit of work over the pipeline's tables and the sync state over the sync tables
are such scopes; they differ only in the repositories they open on the connection, which
each subclass does in :meth:`ConnectionScope._open_repositories`.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine

from b2bbridge.ports import Clock


class ConnectionScope:
    """Enter opens a connection; commit makes work durable; exit rolls back the rest."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock
        self._connection: Connection | None = None

    def _open_repositories(self, connection: Connection, clock: Clock) -> None:
        """Bind the scope's repositories to ``connection``; every subclass has its own."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        connection = self._engine.connect()
        self._connection = connection
        self._open_repositories(connection, self._clock)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.rollback()
        finally:
            connection.close()

    def commit(self) -> None:
        self._open().commit()

    def rollback(self) -> None:
        self._open().rollback()

    def _open(self) -> Connection:
        if self._connection is None:
            raise RuntimeError(f"{type(self).__name__} is used outside its 'with' block")
        return self._connection
