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

from b2bbridge.adapters.store.statements import Prepared, insert_on
from b2bbridge.adapters.store.tables import control_numbers

_ALLOCATE = Prepared(
    lambda dialect: (
        insert_on(dialect, control_numbers)
        .on_conflict_do_update(
            index_elements=[control_numbers.c.partner, control_numbers.c.kind],
            set_={"last_value": control_numbers.c.last_value + 1},
        )
        .returning(control_numbers.c.last_value)
    )
)


class SqlControlNumbers:
    """The ``control_numbers`` table behind :class:`b2bbridge.ports.ControlNumbers`."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def allocate(self, partner: str, kind: str) -> int:
        """The next number for (partner, kind), starting at 1."""
        values = {"partner": partner, "kind": kind, "last_value": 1}
        return int(self._connection.execute(_ALLOCATE.on(self._connection), values).scalar_one())
