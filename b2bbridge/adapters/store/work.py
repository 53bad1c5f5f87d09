"""Work items written inside a unit of work, so that storing and queueing commit together.

Receiving a payload used to commit the message and then queue its work in a second
transaction: two synced writes per file, and a window in which a crash left a message
with no work (the stranded-message sweep picks those up). Adding the ``work_items`` row in
the same transaction as the message closes the window and halves the syncs. The queue
adapter is told afterwards (:meth:`b2bbridge.ports.WorkQueue.announce`), which on RabbitMQ
publishes the id; the row is the truth either way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlalchemy import Connection, insert

from b2bbridge.adapters.store.tables import work_items
from b2bbridge.ports import Clock

_ADD = insert(work_items)


class SqlWorkRepository:
    """The ``work_items`` table behind :class:`b2bbridge.ports.WorkRepository`."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def add(
        self, kind: str, message_id: int, *, payload: Mapping[str, object] | None = None
    ) -> int:
        """A work item, ready now, that exists only if the unit of work commits."""
        now = self._clock.now()
        values = {
            "kind": kind,
            "message_id": message_id,
            "payload": None if payload is None else json.dumps(dict(payload), default=str),
            "state": "ready",
            "attempts": 0,
            "available_at": now,
            "created_at": now,
        }
        key = self._connection.execute(_ADD, values).inserted_primary_key
        assert key is not None
        return int(key[0])
