"""Control numbers per partner and kind (ISA13, GS06, UNB5 ...), gap-free and unique.

One statement, ``INSERT ... ON CONFLICT DO UPDATE SET last_value = last_value + 1
RETURNING last_value``, both creates the counter at 1 and bumps it. It runs inside the
caller's transaction and holds the counter's row lock until that transaction ends, so
concurrent allocators queue up behind each other, and a transaction that rolls back
gives its number back: the next allocation gets the same value.

An ack needs several numbers at once (ISA13, GS06 and ST02 for a 997), so
:meth:`SqlControlNumbers.allocate_many` takes them in one multi-row form of the same
statement, with the same guarantees. Neither database promises the order of the rows
that ``RETURNING`` gives back, so each row carries its kind and is matched by it.

Wrapping at a standard's limit (999999999 for ISA13) is the caller's concern.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from b2bbridge.adapters.store.statements import Prepared, insert_on
from b2bbridge.adapters.store.tables import control_numbers

# Run with one parameter set per kind, SQLAlchemy renders this "executemany" with
# RETURNING as ONE multi-row ``INSERT ... VALUES (...), (...)`` on both SQLite and
# PostgreSQL (its "insertmanyvalues" mode, up to 1000 rows a statement), from this one
# cached statement; with one parameter set it is the single allocation. A statement built
# with a list of rows in ``.values()`` would say the same but is never cached, and
# compiling it on every call cost more than the two round trips it saved.
_ALLOCATE = Prepared(
    lambda dialect: (
        insert_on(dialect, control_numbers)
        .on_conflict_do_update(
            index_elements=[control_numbers.c.partner, control_numbers.c.kind],
            set_={"last_value": control_numbers.c.last_value + 1},
        )
        .returning(control_numbers.c.kind, control_numbers.c.last_value)
    )
)


class SqlControlNumbers:
    """The ``control_numbers`` table behind :class:`b2bbridge.ports.ControlNumbers`."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def allocate(self, partner: str, kind: str) -> int:
        """The next number for (partner, kind), starting at 1."""
        values = {"partner": partner, "kind": kind, "last_value": 1}
        return int(self._connection.execute(_ALLOCATE.on(self._connection), values).one()[1])

    def allocate_many(self, partner: str, kinds: Sequence[str]) -> list[int]:
        """The next number of each kind for the partner, in the order the kinds are given.

        A kind named twice is refused: PostgreSQL will not let one statement bump a counter
        twice, so a caller that needs two numbers of one kind makes two calls.
        """
        if isinstance(kinds, str):
            raise TypeError("kinds must be a sequence of kinds, not one kind as a string")
        if len(set(kinds)) != len(kinds):
            raise ValueError(f"each kind may be allocated once per call, got {list(kinds)}")
        if not kinds:
            return []
        # PostgreSQL locks the counters in the order of the VALUES rows. Two transactions
        # that took {isa, gs, st} in different orders could each hold a row the other
        # waits for, a deadlock; in sorted order the later one queues behind the first.
        rows = [{"partner": partner, "kind": kind, "last_value": 1} for kind in sorted(kinds)]
        result = self._connection.execute(_ALLOCATE.on(self._connection), rows)
        allocated = {str(kind): int(value) for kind, value in result.all()}
        return [allocated[kind] for kind in kinds]
