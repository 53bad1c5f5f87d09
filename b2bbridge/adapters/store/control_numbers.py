"""Control numbers per partner and kind (ISA13, GS06, UNB5 ...), gap-free and unique.

One statement, ``INSERT ... ON CONFLICT DO UPDATE SET last_value = last_value + 1
RETURNING last_value``, both creates the counter at 1 and bumps it. It runs inside the
caller's transaction and holds the counter's row lock until that transaction ends, so
concurrent allocators queue up behind each other, and a transaction that rolls back
gives its number back: the next allocation gets the same value.

Wrapping at a standard's limit (999999999 for ISA13) is the caller's concern.
"""

from __future__ import annotations

from sqlalchemy import Connection

from b2bbridge.adapters.store.statements import insert_for
from b2bbridge.adapters.store.tables import control_numbers


class SqlControlNumbers:
    """The ``control_numbers`` table behind :class:`b2bbridge.ports.ControlNumbers`."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def allocate(self, partner: str, kind: str) -> int:
        """The next number for (partner, kind), starting at 1."""
        table = control_numbers
        statement = (
            insert_for(self._connection, table)
            .values(partner=partner, kind=kind, last_value=1)
            .on_conflict_do_update(
                index_elements=[table.c.partner, table.c.kind],
                set_={"last_value": table.c.last_value + 1},
            )
            .returning(table.c.last_value)
        )
        return int(self._connection.execute(statement).scalar_one())
