"""The ports the services depend on: a clock, a unit of work over the store, a work queue.

Services never import an adapter; they take these Protocols and the frozen records below,
and the composition root picks the adapters. Records are plain values copied out of the
store, so holding one never keeps a transaction or a connection open.

Times are timezone-aware UTC on the way out of every port. JSON-like values (event
details, dead-letter locations, work-item payloads) go in as any mapping and come back
as fresh ``dict`` objects.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import BinaryIO, Protocol, Self, runtime_checkable

from b2bbridge.core.errors import B2BError
from b2bbridge.core.mapping.spec import MappingSpec

JsonObject = dict[str, object]
"""A decoded JSON object as the ports hand it out."""


class NotFoundError(B2BError, LookupError):
    """A record asked for by id (or by content hash) is not in the store."""

    default_code = "not_found"


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """One received or sent payload: a file, an HTTP body, a broker message."""

    id: int
    direction: str
    partner: str | None
    connector: str
    filename: str | None
    payload_sha256: str
    size: int
    correlation_id: str
    syntax: str | None
    status: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class InterchangeRecord:
    """One ISA/IEA or UNB/UNZ envelope found in a message."""

    id: int
    message_id: int
    partner: str | None
    syntax: str
    control_number: str
    sender: str
    receiver: str
    date: date | None
    status: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TransactionRecord:
    """One ST/SE or UNH/UNT transaction inside an interchange."""

    id: int
    interchange_id: int
    group_control_number: str | None
    control_number: str
    type: str
    status: str
    segment_count: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A canonical document; ``body`` is its JSON text, exactly as stored."""

    id: int
    transaction_id: int | None
    message_id: int
    partner: str
    doc_type: str
    doc_number: str
    doc_date: date | None
    schema_version: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NewTransaction:
    """A transaction row for :meth:`TransactionRepository.add_many` (the fields of ``add``)."""

    interchange_id: int
    group_control_number: str | None
    control_number: str
    type: str
    status: str
    segment_count: int


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A document row for :meth:`DocumentRepository.add_many` (the fields of ``add``)."""

    transaction_id: int | None
    message_id: int
    partner: str
    doc_type: str
    doc_number: str
    doc_date: date | None
    schema_version: str
    body: str


@dataclass(frozen=True, slots=True)
class OutboundRecord:
    """A document we send: an acknowledgement, an 855, an 856 ..."""

    id: int
    message_id: int | None
    partner: str
    kind: str
    interchange_control_number: str
    group_control_number: str | None
    transaction_control_number: str | None
    payload_sha256: str
    destination: str
    status: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One step in a message's history; events are only ever appended."""

    id: int
    message_id: int
    state: str
    component: str
    code: str | None
    detail: JsonObject | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DeadLetterRecord:
    """Work that could not be done, kept with its reason until replayed or discarded."""

    id: int
    message_id: int
    partner: str | None
    code: str
    reason: str
    location: JsonObject
    attempts: int
    last_error: str
    replay_of: int | None
    status: str
    note: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class AckExpectationRecord:
    """An acknowledgement we wait for: the outbound document it answers, and when it is due.

    ``status`` is ``waiting`` until an ack names the control numbers, then the ack's
    verdict (``accepted``, ``accepted_with_errors``, ``partially_accepted``, ``rejected``).
    """

    id: int
    outbound_id: int
    partner: str
    syntax: str
    interchange_control_number: str
    group_control_number: str | None
    due_at: datetime
    status: str
    ack_kind: str | None
    ack_message_id: int | None
    detail: JsonObject | None
    resolved_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    """The first request a partner sent under one ``Idempotency-Key``, and its answer.

    ``state`` is ``pending`` while the request that claimed the key is being stored, and
    ``done`` once ``status`` and ``answer`` hold what it was answered; a retry gets that
    answer back. ``request_sha256`` is the hash of the first body: the same key with
    another body is a client error, not a retry.
    """

    partner: str
    key: str
    request_sha256: str
    state: str
    status: int | None
    answer: JsonObject | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class InboundFile:
    """Something a connector can fetch: ``ref`` is the connector's own handle for it."""

    connector: str
    ref: str
    name: str
    size: int


@dataclass(frozen=True, slots=True)
class WorkItem:
    """A leased unit of work; ``lease_until`` is when another worker may take it over."""

    id: int
    kind: str
    message_id: int
    payload: JsonObject | None
    attempts: int
    leased_by: str | None
    lease_until: datetime | None


class Clock(Protocol):
    """The only source of the current time outside tests' control."""

    def now(self) -> datetime:
        """Timezone-aware UTC."""
        ...


class PayloadRepository(Protocol):
    def put(self, data: bytes) -> str: ...
    def put_chunks(self, chunks: Iterable[bytes]) -> tuple[str, int]:
        """Store a payload given in pieces; its sha256 and size. Only pieces are held."""
        ...

    def get(self, sha256: str) -> bytes: ...
    def open(self, sha256: str) -> io.BufferedReader:
        """A stream over the payload that holds only its compressed form in memory."""
        ...


class MessageRepository(Protocol):
    def add(
        self,
        *,
        direction: str,
        partner: str | None,
        connector: str,
        filename: str | None,
        payload_sha256: str,
        size: int,
        correlation_id: str,
        syntax: str | None,
    ) -> int: ...
    def get(self, id: int) -> MessageRecord: ...
    def set_status(
        self,
        id: int,
        status: str,
        *,
        component: str,
        code: str | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> None: ...
    def find_by_payload(self, sha256: str, *, partner: str | None) -> list[MessageRecord]: ...
    def set_partner(self, id: int, partner: str) -> None: ...
    def list_stranded(self, *, before: datetime, limit: int = 500) -> list[int]: ...
    def list(
        self,
        *,
        status: str | None = None,
        partner: str | None = None,
        since: datetime | None = None,
        limit: int = 100,
    ) -> list[MessageRecord]: ...


class InterchangeRepository(Protocol):
    def add(
        self,
        *,
        message_id: int,
        partner: str | None,
        syntax: str,
        control_number: str,
        sender: str,
        receiver: str,
        date: date | None,
        status: str,
    ) -> int: ...
    def find(
        self, *, partner: str, control_number: str, since: datetime | None
    ) -> list[InterchangeRecord]: ...
    def for_message(self, message_id: int) -> list[InterchangeRecord]: ...
    def get(self, id: int) -> InterchangeRecord: ...


class TransactionRepository(Protocol):
    def add(
        self,
        *,
        interchange_id: int,
        group_control_number: str | None,
        control_number: str,
        type: str,
        status: str,
        segment_count: int,
    ) -> int: ...
    def add_many(self, rows: Sequence[NewTransaction]) -> list[int]:
        """Insert the rows in order; their new ids, ascending, in the order of ``rows``."""
        ...

    def for_interchange(self, interchange_id: int) -> list[TransactionRecord]: ...
    def get(self, id: int) -> TransactionRecord: ...


class DocumentRepository(Protocol):
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
    ) -> tuple[int, bool]: ...
    def add_many(self, rows: Sequence[NewDocument]) -> list[tuple[int, bool]]:
        """What calling :meth:`add` for each row in order would return, in fewer statements.

        ``created`` is True only for the first row with a natural key that was not stored
        yet; a later row of the same batch with that key gets the same id and False.
        """
        ...

    def get(self, id: int) -> DocumentRecord: ...
    def for_message(self, message_id: int) -> list[DocumentRecord]: ...
    def list(
        self, *, partner: str | None = None, doc_type: str | None = None, limit: int = 100
    ) -> list[DocumentRecord]: ...


class OutboundRepository(Protocol):
    def add(
        self,
        *,
        message_id: int | None,
        partner: str,
        kind: str,
        interchange_control_number: str,
        group_control_number: str | None,
        transaction_control_number: str | None,
        payload_sha256: str,
        destination: str,
        status: str,
    ) -> int: ...
    def for_message(self, message_id: int) -> list[OutboundRecord]: ...
    def set_status(self, id: int, status: str) -> None: ...
    def set_status_many(self, ids: Sequence[int], status: str) -> None:
        """:meth:`set_status` for each id, in a statement per 500; all or ``NotFoundError``."""
        ...

    def get(self, id: int) -> OutboundRecord: ...
    def list_pending(self, *, before: datetime, limit: int = 100) -> list[OutboundRecord]: ...


class AckExpectationRepository(Protocol):
    def add(
        self,
        *,
        outbound_id: int,
        partner: str,
        syntax: str,
        interchange_control_number: str,
        group_control_number: str | None,
        due_at: datetime,
    ) -> int: ...
    def find(
        self,
        *,
        partner: str,
        interchange_control_number: str | None = None,
        group_control_number: str | None = None,
    ) -> list[AckExpectationRecord]: ...
    def resolve(
        self,
        id: int,
        *,
        status: str,
        ack_kind: str,
        ack_message_id: int,
        detail: Mapping[str, object] | None = None,
    ) -> None: ...
    def overdue(self, *, now: datetime, limit: int = 100) -> list[AckExpectationRecord]: ...
    def for_outbound(self, outbound_id: int) -> list[AckExpectationRecord]: ...


class EventRepository(Protocol):
    def append(
        self,
        message_id: int,
        state: str,
        *,
        component: str,
        code: str | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> int: ...
    def for_message(self, message_id: int) -> list[EventRecord]: ...


class DeadLetterRepository(Protocol):
    def add(
        self,
        *,
        message_id: int,
        partner: str | None,
        code: str,
        reason: str,
        location: Mapping[str, object],
        attempts: int,
        last_error: str,
        replay_of: int | None = None,
    ) -> int: ...
    def get(self, id: int) -> DeadLetterRecord: ...
    def for_message(self, message_id: int) -> list[DeadLetterRecord]: ...
    def list(
        self,
        *,
        message_id: int | None = None,
        partner: str | None = None,
        code: str | None = None,
        since: datetime | None = None,
        status: str | None = "open",
        limit: int = 100,
    ) -> list[DeadLetterRecord]: ...
    def set_status(self, id: int, status: str, *, note: str | None = None) -> None: ...


class ControlNumbers(Protocol):
    def allocate(self, partner: str, kind: str) -> int: ...
    def allocate_many(self, partner: str, kinds: Sequence[str]) -> list[int]:
        """What :meth:`allocate` gives for each kind in order; a repeated kind is a ValueError.

        An ack's numbers (ISA13, GS06, ST02) come at once, for one round trip, not three.
        """
        ...


class IdempotencyRepository(Protocol):
    """Idempotency keys per partner: one row per (partner, key), claimed before storing.

    :meth:`claim` inserts a ``pending`` row unless the key exists, and returns the
    existing row when it does; the unique (partner, key) constraint makes that atomic
    across processes, so of two concurrent requests only one stores.
    """

    def claim(self, partner: str, key: str, request_sha256: str) -> IdempotencyRecord | None: ...
    def take_over(self, partner: str, key: str, *, claimed_before: datetime) -> bool: ...
    def complete(self, partner: str, key: str, *, status: int, answer: JsonObject) -> None: ...
    def release(self, partner: str, key: str) -> None: ...
    def prune(self, *, before: datetime, limit: int = 1000) -> int: ...


class TransactionScope(Protocol):
    """One transaction: entered with ``with``, kept only by :meth:`commit`.

    Leaving the block without a commit, by an exception or not, rolls back everything
    done inside it. The unit of work and the sync state are both such scopes.
    """

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class WorkRepository(Protocol):
    """Work items added in a unit of work: queued if, and only if, it commits.

    After the commit, hand each new id to :meth:`WorkQueue.announce`.
    """

    def add(
        self, kind: str, message_id: int, *, payload: Mapping[str, object] | None = None
    ) -> int: ...


class UnitOfWork(TransactionScope, Protocol):
    """One transaction over the store: nothing is kept unless :meth:`commit` is called.

    Use it as ``with factory() as uow: ...; uow.commit()``. Leaving the block without a
    commit, by an exception or not, rolls everything back.
    """

    @property
    def payloads(self) -> PayloadRepository: ...
    @property
    def messages(self) -> MessageRepository: ...
    @property
    def interchanges(self) -> InterchangeRepository: ...
    @property
    def transactions(self) -> TransactionRepository: ...
    @property
    def documents(self) -> DocumentRepository: ...
    @property
    def outbound(self) -> OutboundRepository: ...
    @property
    def events(self) -> EventRepository: ...
    @property
    def dead_letters(self) -> DeadLetterRepository: ...
    @property
    def control_numbers(self) -> ControlNumbers: ...
    @property
    def ack_expectations(self) -> AckExpectationRepository: ...
    @property
    def idempotency(self) -> IdempotencyRepository: ...
    @property
    def work(self) -> WorkRepository: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


class BatchScope(TransactionScope, Protocol):
    """Group commit: one store transaction that many units of work join as savepoints.

    A worker opens one per leased batch: each item runs inside :meth:`item` with units of
    work from :meth:`unit_of_work`, and :meth:`commit` makes the whole batch durable at
    once. An item whose block raises is undone alone; leaving without a commit undoes all.
    """

    def unit_of_work(self) -> UnitOfWork: ...
    def item(self) -> AbstractContextManager[None]: ...


BatchScopeFactory = Callable[[], BatchScope]


class WorkQueue(Protocol):
    """Work for the pipeline's workers, leased so that a crashed worker loses nothing."""

    def enqueue(
        self,
        kind: str,
        message_id: int,
        *,
        payload: Mapping[str, object] | None = None,
        delay_seconds: float = 0,
    ) -> int: ...
    def lease(self, *, worker: str, limit: int, lease_seconds: float) -> list[WorkItem]: ...
    def announce(self, item_id: int) -> None:
        """A work item added through a unit of work has committed: let a worker know."""
        ...

    def complete(self, item_id: int) -> None: ...
    def complete_many(self, item_ids: Sequence[int]) -> None:
        """Complete several items at once; ids already gone are skipped, not an error."""
        ...

    def release_for_retry(self, item_id: int, *, delay_seconds: float, error: str) -> None: ...
    def fail(self, item_id: int, *, error: str) -> None: ...
    def pending_count(self) -> int: ...


class Connector(Protocol):
    """A way in and out for one partner or channel: a folder, an SFTP account, a queue.

    ``poll`` lists what is ready, ``fetch`` reads it, and ``confirm`` is called only once
    the payload is safely stored (``ok`` says whether it was accepted), so a crash in
    between means the item is polled again, never lost. ``send`` returns where it went.
    """

    name: str
    partner: str | None

    def poll(self) -> Iterator[InboundFile]: ...
    def fetch(self, item: InboundFile) -> bytes: ...
    def confirm(self, item: InboundFile, *, ok: bool) -> str | None: ...
    def send(self, name: str, data: bytes) -> str: ...
    def close(self) -> None: ...


@runtime_checkable
class StreamingConnector(Connector, Protocol):
    """A connector that can also hand a payload over as a stream (a local file, say).

    Receiving from a stream hashes and compresses it piece by piece, so a large file is
    never held whole in memory; connectors without ``open`` are read with ``fetch``.
    """

    def open(self, item: InboundFile) -> BinaryIO: ...


@runtime_checkable
class BatchSendingConnector(Connector, Protocol):
    """A connector that can make many sends durable together, cheaper than one by one.

    Sends inside ``sending_together()`` count only once the block has ended without an
    error; if it raises, none of them went, and the caller leaves them pending.
    """

    def sending_together(self) -> AbstractContextManager[None]: ...


class MappingCatalog(Protocol):
    """Mapping specifications by name, loaded and compiled by an adapter."""

    def get(self, name: str) -> MappingSpec: ...
    def names(self) -> list[str]: ...


# --- Sync ports (issue 8: synchronisation workers) -------------------------------------
# Appended as one block; the sync services take these, the store and the system adapters
# (b2bbridge/adapters/systems) provide them.


@dataclass(frozen=True, slots=True)
class SyncRecord:
    """One record as a system adapter reads or writes it, in canonical terms.

    ``key`` is the canonical key (``order:PO-1``, ``customer:acme``), ``external_id`` the
    system's own id when known, ``stamp`` the system's write time for change detection,
    and ``fields`` the canonical values (a canonical document's JSON, or a flat mapping).
    """

    entity: str
    key: str
    fields: JsonObject
    external_id: str | None = None
    stamp: datetime | None = None


@dataclass(frozen=True, slots=True)
class ChangeBatch:
    """What ``read_changes`` returns: records in stamp order and the stamps they carry."""

    records: list[SyncRecord]
    watermark: datetime | None


class SystemAdapter(Protocol):
    """An ERP, WMS, CRM or storefront behind one shape.

    ``read_changes`` returns the records of ``entity`` changed at or after ``since`` (None
    means all), oldest first, and the newest stamp seen. ``upsert`` writes records and
    returns their external ids in order; writing the same record twice (same
    ``external_id``) updates, never duplicates. Transport failures raise
    :class:`b2bbridge.core.errors.B2BError` subclasses whose disposition says whether a
    retry can help.
    """

    name: str

    def read_changes(self, entity: str, since: datetime | None) -> ChangeBatch: ...
    def upsert(self, entity: str, records: list[SyncRecord]) -> list[str]: ...
    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class IdMapRecord:
    """Canonical key ↔ external id in one system, and the record's last known values there.

    ``known_fields`` are the values b2bbridge last read from or wrote to that system;
    ``written_fingerprint`` is their :func:`~b2bbridge.core.sync.fingerprint`, which is how
    a read-back of b2bbridge's own write is recognised as an echo.
    """

    entity: str
    key: str
    system: str
    external_id: str
    written_fingerprint: str | None
    known_fields: JsonObject | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class WatermarkRecord:
    """Where a flow's next poll starts, and the versions already taken in its overlap."""

    flow: str
    since: datetime | None
    seen: list[tuple[str, datetime]]
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class SyncRunRecord:
    """One run of one flow: when, how many records moved, failed or conflicted."""

    id: int
    flow: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    read: int
    written: int
    skipped: int
    failed: int
    conflicts: int
    error: str | None


class IdMapRepository(Protocol):
    def get(self, entity: str, key: str, system: str) -> IdMapRecord | None: ...
    def find_key(self, entity: str, system: str, external_id: str) -> str | None: ...
    def put(
        self,
        entity: str,
        key: str,
        system: str,
        external_id: str,
        *,
        known_fields: Mapping[str, object] | None = None,
    ) -> None: ...


class WatermarkRepository(Protocol):
    def get(self, flow: str) -> WatermarkRecord | None: ...
    def put(self, flow: str, since: datetime | None, seen: list[tuple[str, datetime]]) -> None: ...
    def list(self) -> list[WatermarkRecord]: ...


class SyncRunRepository(Protocol):
    def start(self, flow: str) -> int: ...
    def finish(
        self,
        run_id: int,
        *,
        status: str,
        read: int,
        written: int,
        skipped: int,
        failed: int,
        conflicts: int,
        error: str | None = None,
    ) -> None: ...
    def last(self, flow: str) -> SyncRunRecord | None: ...


class SyncState(TransactionScope, Protocol):
    """One transaction over the sync tables; like :class:`UnitOfWork`, commit or lose it."""

    @property
    def id_map(self) -> IdMapRepository: ...
    @property
    def watermarks(self) -> WatermarkRepository: ...
    @property
    def runs(self) -> SyncRunRepository: ...


SyncStateFactory = Callable[[], SyncState]
