"""The embedded work queue: rows in the store's ``work_items`` table, claimed by lease.

Nothing is lost when a worker dies, even by ``kill -9``: leasing an item only marks it
``leased`` until ``lease_until``; once that time passes, any worker may lease it again,
and the reclaim counts as a failed attempt (so a message that crashes its worker every
time still runs out of attempts). A finished item is deleted, which keeps the polled
index small; a failed one stays as ``failed`` with its last error.

Claiming is one ``UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING`` statement. On
PostgreSQL the inner SELECT takes ``FOR UPDATE SKIP LOCKED`` so concurrent workers get
disjoint items without waiting; on SQLite the engine begins every transaction with
``BEGIN IMMEDIATE``, which serialises claimers across processes.

Each call is its own transaction. The table is created by the store's migrations; this
module declares only the columns it uses, because adapter kinds do not import each other.
The statements polled all the time are built once and run with bound parameters, so
SQLAlchemy's statement cache serves them (see ``adapters/store/statements.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Executable,
    Integer,
    MetaData,
    RowMapping,
    ScalarSelect,
    String,
    Table,
    Text,
    Update,
    bindparam,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from b2bbridge.ports import Clock, JsonObject, NotFoundError, WorkItem

READY, LEASED, FAILED = "ready", "leased", "failed"

_metadata = MetaData()
work_items = Table(
    "work_items",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32)),
    Column("message_id", Integer),
    Column("payload", Text),
    Column("state", String(16)),
    Column("attempts", Integer),
    Column("available_at", DateTime(timezone=True)),
    Column("leased_by", String(128)),
    Column("lease_until", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True)),
)

_ENQUEUE = insert(work_items)
_COMPLETE = delete(work_items).where(work_items.c.id == bindparam("b_id"))
_COMPLETE_MANY = delete(work_items).where(work_items.c.id.in_(bindparam("b_ids", expanding=True)))


def _claim_statement(ids: ScalarSelect[int]) -> Update:
    """Lease the items ``ids`` selects: bound ``b_now``, ``b_worker``, ``b_until``."""
    return (
        update(work_items)
        .where(work_items.c.id.in_(ids))
        .values(
            attempts=work_items.c.attempts + case((work_items.c.state == LEASED, 1), else_=0),
            state=LEASED,
            leased_by=bindparam("b_worker"),
            lease_until=bindparam("b_until"),
        )
        .returning(*work_items.c)
    )


def _lease_statement(limit: int) -> Update:
    """Claim up to ``limit`` items due by ``b_due`` or with a lease run out by ``b_now``."""
    claimable = (
        select(work_items.c.id)
        .where(
            or_(
                (work_items.c.state == READY) & (work_items.c.available_at <= bindparam("b_due")),
                (work_items.c.state == LEASED) & (work_items.c.lease_until <= bindparam("b_now")),
            )
        )
        .order_by(work_items.c.available_at, work_items.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return _claim_statement(claimable.scalar_subquery())


class EmbeddedWorkQueue:
    """:class:`b2bbridge.ports.WorkQueue` kept in the store's database."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock
        self._naive = engine.dialect.name == "sqlite"
        self._leases: dict[int, Update] = {}

    def enqueue(
        self,
        kind: str,
        message_id: int,
        *,
        payload: Mapping[str, object] | None = None,
        delay_seconds: float = 0,
    ) -> int:
        now = self._clock.now()
        values = {
            "kind": kind,
            "message_id": message_id,
            "payload": None if payload is None else json.dumps(dict(payload), default=str),
            "state": READY,
            "attempts": 0,
            "available_at": self._stored(now + timedelta(seconds=delay_seconds)),
            "created_at": self._stored(now),
        }
        with self._engine.begin() as connection:
            key = connection.execute(_ENQUEUE, values).inserted_primary_key
        assert key is not None
        return int(key[0])

    def announce(self, item_id: int) -> None:
        """Nothing to do: workers poll the table the row is already in."""

    def lease(
        self, *, worker: str, limit: int, lease_seconds: float, overdue_seconds: float = 0
    ) -> list[WorkItem]:
        """Claim up to ``limit`` items that are due or whose lease has run out, oldest first.

        ``overdue_seconds`` limits ready items to those due at least that long ago: the
        AMQP queue uses it to recover only what the broker failed to deliver.
        """
        now = self._stored(self._clock.now())
        statement = self._leases.get(limit)
        if statement is None:
            statement = self._leases[limit] = _lease_statement(limit)
        params = {
            "b_due": now - timedelta(seconds=overdue_seconds),
            "b_now": now,
            "b_worker": worker,
            "b_until": now + timedelta(seconds=lease_seconds),
        }
        return self._run_claim(statement, params)

    def claim(self, item_id: int, *, worker: str, lease_seconds: float) -> WorkItem | None:
        """Lease one named item if it is claimable now; None if done, leased or not yet due."""
        now = self._stored(self._clock.now())
        claimable = select(work_items.c.id).where(
            work_items.c.id == item_id,
            or_(
                (work_items.c.state == READY) & (work_items.c.available_at <= now),
                (work_items.c.state == LEASED) & (work_items.c.lease_until <= now),
            ),
        )
        statement = _claim_statement(claimable.scalar_subquery())
        params = {"b_worker": worker, "b_until": now + timedelta(seconds=lease_seconds)}
        items = self._run_claim(statement, params)
        return items[0] if items else None

    def _run_claim(self, statement: Update, params: dict[str, object]) -> list[WorkItem]:
        with self._engine.begin() as connection:
            rows = connection.execute(statement, params).mappings().all()
        items = [self._to_item(row) for row in rows]
        return sorted(items, key=lambda item: item.id)

    def complete(self, item_id: int) -> None:
        self._change(_COMPLETE, item_id, {"b_id": item_id})

    def complete_many(self, item_ids: Sequence[int]) -> None:
        """One transaction for a batch's worth of finished items (see services/batch.py)."""
        if not item_ids:
            return
        with self._engine.begin() as connection:
            connection.execute(_COMPLETE_MANY, {"b_ids": list(item_ids)})

    def release_for_retry(self, item_id: int, *, delay_seconds: float, error: str) -> None:
        available = self._stored(self._clock.now() + timedelta(seconds=delay_seconds))
        statement = (
            update(work_items)
            .where(work_items.c.id == item_id)
            .values(
                state=READY,
                attempts=work_items.c.attempts + 1,
                available_at=available,
                leased_by=None,
                lease_until=None,
                last_error=error,
            )
        )
        self._change(statement, item_id)

    def fail(self, item_id: int, *, error: str) -> None:
        statement = (
            update(work_items)
            .where(work_items.c.id == item_id)
            .values(state=FAILED, leased_by=None, lease_until=None, last_error=error)
        )
        self._change(statement, item_id)

    def pending_count(self) -> int:
        """Items still to be done: ready (due or not) and leased."""
        query = select(func.count()).where(work_items.c.state.in_([READY, LEASED]))
        with self._engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def _change(
        self, statement: Executable, item_id: int, params: dict[str, object] | None = None
    ) -> None:
        with self._engine.begin() as connection:
            result = connection.execute(statement, params)
            if result.rowcount != 1:
                raise NotFoundError(f"no work item {item_id}", code="work_item_not_found")

    def _stored(self, moment: datetime) -> datetime:
        """UTC, and naive on SQLite, where times are stored as naive UTC text."""
        if moment.tzinfo is None:
            raise ValueError(f"naive datetime {moment!r} from the clock; it must be UTC")
        utc = moment.astimezone(UTC)
        return utc.replace(tzinfo=None) if self._naive else utc

    def _to_item(self, row: RowMapping) -> WorkItem:
        return WorkItem(
            id=row["id"],
            kind=row["kind"],
            message_id=row["message_id"],
            payload=_decode(row["payload"]),
            attempts=row["attempts"],
            leased_by=row["leased_by"],
            lease_until=_aware(row["lease_until"]),
        )


def _decode(text: str | None) -> JsonObject | None:
    if text is None:
        return None
    value = json.loads(text)
    if not isinstance(value, dict):
        raise TypeError(f"work item payload is not a JSON object: {text[:40]!r}")
    return value


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
