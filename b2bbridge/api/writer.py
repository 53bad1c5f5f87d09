"""Group commit for pushed orders: one writer thread, many requests per transaction.

Each request hands its order to the writer and waits; the writer takes everything queued
(up to ``max_batch``) and stores it in one commit, then wakes every waiting request. A
request is answered only after the commit that holds its order, so a 202 still means
"durable", but one fsync now covers many orders, and threads no longer queue on SQLite's
write lock. If a batch fails, its orders are retried one by one so a single bad order
fails alone.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future

import structlog

from b2bbridge.services.context import ServiceContext
from b2bbridge.services.intake import OrderIntake, OrderSubmission, receive_orders

log = structlog.get_logger("b2bbridge.api")
Pending = tuple[OrderSubmission, "Future[OrderIntake]"]


class OrderWriter:
    def __init__(self, ctx: ServiceContext, *, max_batch: int = 256) -> None:
        self.ctx = ctx
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()
        self.batches = 0

    def submit(self, submission: OrderSubmission) -> OrderIntake:
        """Store one order; returns once it is committed (raises what the store raised)."""
        self._ensure_started()
        done: Future[OrderIntake] = Future()
        self._queue.put((submission, done))
        return done.result()

    def _ensure_started(self) -> None:
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
        try:
            results = receive_orders(self.ctx, [s for s, _ in batch])
        except Exception as exc:  # noqa: BLE001 - handed to the waiting request
            if len(batch) == 1:
                batch[0][1].set_exception(exc)
                return
            log.warning("order_batch_failed", size=len(batch), error=str(exc))
            for pending in batch:
                self._commit([pending])
            return
        for (_, done), result in zip(batch, results, strict=True):
            done.set_result(result)

    def close(self) -> None:
        """Finish what is queued, then stop the thread."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
