"""Group commit for pushed orders: one writer thread, many requests per transaction.

Each request hands its order to the writer and waits; the writer takes everything queued
(up to ``max_batch``) and stores it in one commit, then wakes every waiting request. A
request is answered only after the commit that holds its order, so a 202 still means
"durable", but one fsync now covers many orders, and threads no longer queue on SQLite's
write lock. If a batch fails, its orders are retried one by one so a single bad order
fails alone.

Keyed orders (``Idempotency-Key``) are claimed, and afterwards answered, a whole batch at
a time too (:class:`~b2bbridge.services.idempotency.IdempotencyLedger`), so a keyed order
costs two more commits per batch rather than per request. An order whose key is already
taken is not stored: its request gets the key's row back and decides what to answer.
"""

from __future__ import annotations

import asyncio
import hashlib
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import structlog

from b2bbridge.ports import IdempotencyRecord
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.idempotency import IdempotencyLedger, KeyRequest
from b2bbridge.services.intake import OrderIntake, OrderSubmission, receive_orders

log = structlog.get_logger("b2bbridge.api")
Outcome = OrderIntake | IdempotencyRecord


def order_answer(got: OrderIntake) -> dict[str, Any]:
    """The 202 body for a stored order (and what a keyed retry gets back)."""
    return {
        "message_id": got.message_id,
        "document_ids": list(got.document_ids),
        "status": got.status,
    }


@dataclass(eq=False)
class Pending:
    submission: OrderSubmission
    key: KeyRequest | None
    done: Future[Outcome] = field(default_factory=Future)


class OrderWriter:
    def __init__(
        self, ctx: ServiceContext, ledger: IdempotencyLedger | None = None, *, max_batch: int = 256
    ) -> None:
        self.ctx = ctx
        self.ledger = ledger or IdempotencyLedger(ctx)
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()
        self.batches = 0

    def submit(self, submission: OrderSubmission, key: str | None = None) -> Outcome:
        """Store one order once committed; with a key already taken, that key's row instead.

        Blocks the calling thread until the commit. Raises what the store raised.
        """
        return self.enqueue(submission, key).result()

    async def stored(self, submission: OrderSubmission) -> OrderIntake:
        """Store one unkeyed order, awaiting its commit without holding a thread.

        The event loop only waits on a future the writer resolves, so a request does not
        need a worker thread of its own while its batch commits (measured here, handing
        each request to a thread pool cost the event loop about a third of its time).
        Raises what the store raised.
        """
        got = await asyncio.wrap_future(self.enqueue(submission, None))
        assert isinstance(got, OrderIntake)  # only a keyed order can meet a claimed key
        return got

    def enqueue(self, submission: OrderSubmission, key: str | None = None) -> Future[Outcome]:
        """Queue one order for the next batch; the future resolves once it is committed."""
        self._ensure_started()
        claim = None
        if key is not None:
            sha = hashlib.sha256(submission.data).hexdigest()
            claim = KeyRequest(submission.partner, key, sha)
        pending = Pending(submission, claim)
        self._queue.put(pending)
        return pending.done

    def _ensure_started(self) -> None:
        if self._thread is not None:
            return
        with self._start:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="order-writer", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while len(batch) < self.max_batch:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    stop = True
                    break
                batch.append(nxt)
            self._commit(batch)
            if stop:
                return

    def _commit(self, batch: list[Pending]) -> None:
        self.batches += 1
        owned = self._claim(batch)
        stored: list[tuple[Pending, OrderIntake]] = []
        failed: list[tuple[Pending, BaseException]] = []
        self._store(owned, stored, failed)
        self._settle(stored, failed)
        for pending, got in stored:
            pending.done.set_result(got)
        for pending, exc in failed:
            pending.done.set_exception(exc)

    def _claim(self, batch: list[Pending]) -> list[Pending]:
        """The orders to store: unkeyed ones, and keyed ones whose key this batch now owns."""
        keyed = [p for p in batch if p.key is not None]
        if not keyed:
            return batch
        try:
            seen = self.ledger.claim_many([p.key for p in keyed if p.key is not None])
        except Exception as exc:  # noqa: BLE001 - handed to the waiting requests
            for p in keyed:
                p.done.set_exception(exc)
            return [p for p in batch if p.key is None]
        for p, record in zip(keyed, seen, strict=True):
            if record is not None:
                p.done.set_result(record)
        return [p for p in batch if not p.done.done()]

    def _store(
        self,
        owned: list[Pending],
        stored: list[tuple[Pending, OrderIntake]],
        failed: list[tuple[Pending, BaseException]],
    ) -> None:
        if not owned:
            return
        try:
            results = receive_orders(self.ctx, [p.submission for p in owned])
        except Exception as exc:  # noqa: BLE001 - handed to the waiting request
            if len(owned) == 1:
                failed.append((owned[0], exc))
                return
            log.warning("order_batch_failed", size=len(owned), error=str(exc))
            for pending in owned:
                self._store([pending], stored, failed)
            return
        stored.extend(zip(owned, results, strict=True))

    def _settle(
        self, stored: list[tuple[Pending, OrderIntake]], failed: list[tuple[Pending, BaseException]]
    ) -> None:
        """Answer the keys of stored orders; free the keys of failed ones for their retry."""
        answered = [(p.key, 202, order_answer(got)) for p, got in stored if p.key is not None]
        released = [p.key for p, _ in failed if p.key is not None]
        if not answered and not released:
            return
        try:
            self.ledger.settle(answered, released)
        except Exception as exc:  # noqa: BLE001 - the orders are stored; a retry finds them
            log.warning(
                "idempotency_settle_failed", keys=len(answered) + len(released), error=str(exc)
            )

    def close(self) -> None:
        """Finish what is queued, then stop the thread."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
