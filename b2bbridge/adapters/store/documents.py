"""Canonical documents, stored once per natural key (partner, type, number, date).

A document that arrives again (a resent order, a replayed message) is not stored twice:
the insert yields to the unique constraint and the id of the first copy comes back with
``created=False``. This holds under concurrency too: on PostgreSQL a second writer waits
on the first's uncommitted row and then sees it; on SQLite writers are serialised. A
document without a date is keyed with :data:`~b2bbridge.adapters.store.tables.NO_DATE`.

:meth:`SqlDocumentRepository.add_many` stores an interchange's documents in a few
statements: one batched INSERT ... ON CONFLICT DO NOTHING whose RETURNING names each new
row's natural key (rows that yielded return nothing, so rows are matched by key, never by
position), then one SELECT for the keys that were already stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Connection, RowMapping, bindparam, select, tuple_

from b2bbridge.adapters.store.statements import Prepared, insert_on
from b2bbridge.adapters.store.tables import NO_DATE, documents
from b2bbridge.ports import Clock, DocumentRecord, NewDocument, NotFoundError

KEYS_PER_LOOKUP = 500
"""Natural keys per SELECT when :meth:`SqlDocumentRepository.add_many` looks up stored ones."""

_KEY = ("partner", "doc_type", "doc_number", "doc_date")
_KEY_COLUMNS = tuple(documents.c[name] for name in _KEY)
NaturalKey = tuple[str, str, str, date]
_ADD = Prepared(
    lambda dialect: (
        insert_on(dialect, documents)
        .on_conflict_do_nothing(index_elements=list(_KEY))
        .returning(documents.c.id)
    )
)
_EXISTING = select(documents.c.id).where(
    *(documents.c[name] == bindparam(f"b_{name}") for name in _KEY)
)
_ADD_MANY = Prepared(
    lambda dialect: (
        insert_on(dialect, documents)
        .on_conflict_do_nothing(index_elements=list(_KEY))
        .returning(documents.c.id, *_KEY_COLUMNS)
    )
)
_EXISTING_MANY = select(documents.c.id, *_KEY_COLUMNS).where(
    tuple_(*_KEY_COLUMNS).in_(bindparam("b_keys", expanding=True))
)


class SqlDocumentRepository:
    """The ``documents`` table behind :class:`b2bbridge.ports.DocumentRepository`."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def add(
        self,
        *,
        transaction_id: int | None,
        message_id: int,
        partner: str,
        doc_type: str,
        doc_number: str,
        doc_date: date | None,
        schema_version: str,
        body: str,
    ) -> tuple[int, bool]:
        key = {
            "partner": partner,
            "doc_type": doc_type,
            "doc_number": doc_number,
            "doc_date": doc_date or NO_DATE,
        }
        values = {
            "transaction_id": transaction_id,
            "message_id": message_id,
            "schema_version": schema_version,
            "body": body,
            "created_at": self._clock.now(),
            **key,
        }
        new_id = self._connection.execute(_ADD.on(self._connection), values).scalar_one_or_none()
        if new_id is not None:
            return int(new_id), True
        params = {f"b_{name}": value for name, value in key.items()}
        return int(self._connection.execute(_EXISTING, params).scalar_one()), False

    def add_many(self, rows: Sequence[NewDocument]) -> list[tuple[int, bool]]:
        """What :meth:`add` would return for each row in turn, from one batched INSERT.

        The batch's rows are inserted in order, so of two rows with one natural key the
        first is stored (``created=True``) and the second yields to it, exactly as two
        calls to :meth:`add` would; it and keys stored before get the stored id and False.
        """
        if not rows:
            return []
        now = self._clock.now()
        keys: list[NaturalKey] = [
            (row.partner, row.doc_type, row.doc_number, row.doc_date or NO_DATE) for row in rows
        ]
        values = [
            {
                "transaction_id": row.transaction_id,
                "message_id": row.message_id,
                "partner": key[0],
                "doc_type": key[1],
                "doc_number": key[2],
                "doc_date": key[3],
                "schema_version": row.schema_version,
                "body": row.body,
                "created_at": now,
            }
            for row, key in zip(rows, keys, strict=True)
        ]
        result = self._connection.execute(_ADD_MANY.on(self._connection), values)
        inserted = {(p, t, n, d): int(i) for i, p, t, n, d in result}
        del values
        stored = self._stored_ids([key for key in dict.fromkeys(keys) if key not in inserted])
        outcomes: list[tuple[int, bool]] = []
        for key in keys:
            new_id = inserted.pop(key, None)
            if new_id is not None:  # the first row with this key: the one that was stored
                stored[key] = new_id
                outcomes.append((new_id, True))
            else:
                outcomes.append((stored[key], False))
        return outcomes

    def _stored_ids(self, keys: Sequence[NaturalKey]) -> dict[NaturalKey, int]:
        """The ids of documents already stored under these natural keys (every one must be)."""
        found: dict[NaturalKey, int] = {}
        for start in range(0, len(keys), KEYS_PER_LOOKUP):
            chunk = keys[start : start + KEYS_PER_LOOKUP]
            rows = self._connection.execute(_EXISTING_MANY, {"b_keys": chunk})
            found.update(((p, t, n, d), int(i)) for i, p, t, n, d in rows)
        lost = [key for key in keys if key not in found]
        if lost:
            raise NotFoundError(
                f"no document with natural key {lost[0]} after the insert yielded to it",
                code="document_not_found",
            )
        return found

    def get(self, id: int) -> DocumentRecord:
        query = select(documents).where(documents.c.id == id)
        row = self._connection.execute(query).mappings().first()
        if row is None:
            raise NotFoundError(f"no document {id}", code="document_not_found")
        return _to_record(row)

    def for_message(self, message_id: int) -> list[DocumentRecord]:
        query = select(documents).where(documents.c.message_id == message_id)
        rows = self._connection.execute(query.order_by(documents.c.id)).mappings()
        return [_to_record(row) for row in rows]

    def list(
        self, *, partner: str | None = None, doc_type: str | None = None, limit: int = 100
    ) -> list[DocumentRecord]:
        """Newest first."""
        query = select(documents).order_by(documents.c.id.desc()).limit(limit)
        if partner is not None:
            query = query.where(documents.c.partner == partner)
        if doc_type is not None:
            query = query.where(documents.c.doc_type == doc_type)
        return [_to_record(row) for row in self._connection.execute(query).mappings()]


def _to_record(values: RowMapping) -> DocumentRecord:
    fields = dict(values)
    if fields["doc_date"] == NO_DATE:
        fields["doc_date"] = None
    return DocumentRecord(**fields)
