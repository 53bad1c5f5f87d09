"""Canonical documents, stored once per natural key (partner, type, number, date).

A document that arrives again (a resent order, a replayed message) is not stored twice:
the insert yields to the unique constraint and the id of the first copy comes back with
``created=False``. This holds under concurrency too: on PostgreSQL a second writer waits
on the first's uncommitted row and then sees it; on SQLite writers are serialised. A
document without a date is keyed with :data:`~b2bbridge.adapters.store.tables.NO_DATE`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, RowMapping, bindparam, select

from b2bbridge.adapters.store.statements import Prepared, insert_on
from b2bbridge.adapters.store.tables import NO_DATE, documents
from b2bbridge.ports import Clock, DocumentRecord, NotFoundError

_KEY = ("partner", "doc_type", "doc_number", "doc_date")
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
