# kombu ships without annotations on most functions; its calls are untyped by nature.
# mypy: disable-error-code="no-untyped-call"
"""The scale-out work queue: RabbitMQ distributes work, the store's rows stay the truth.

Features
    Every work item is first a row in the store's ``work_items`` table (see
    :mod:`embedded`), then a persistent message carrying only its id, published with
    publisher confirms. A worker consumes with a prefetch limit, claims the row (a lease,
    as in embedded mode), processes it, commits, and only then acks the message. A message
    whose row is gone (done), leased by a live worker, or not yet due is acked and
    dropped: the row, not the message, decides. A failed item is rejected without
    requeue, so it lands in the dead-letter exchange for inspection; a message that is
    not a work-item id (poison) goes the same way.

    Nothing depends on the broker for safety. Rows the broker never delivered (a publish
    lost while it was down, a retry whose delay has passed) and leases that ran out are
    claimed straight from the store once they are ``recover_after_seconds`` overdue, so a
    broker restart or a dropped connection delays work but loses none.

Connection
    ``amqp://guest:guest@127.0.0.1:5672//`` (kombu URL). Connection errors are caught,
    logged, and the connection is rebuilt on the next call; until then the store serves.

Options
    ``queue`` (``b2bbridge.work``), ``dead_letter_queue`` (``b2bbridge.work.dead``),
    ``recover_after_seconds`` (10), ``wait_seconds`` (how long one lease waits for
    deliveries, 0.2).
"""

from __future__ import annotations

import contextlib
import json
from collections import deque
from collections.abc import Mapping, Sequence

import structlog
from kombu.connection import Connection
from kombu.entity import Exchange, Queue
from kombu.exceptions import KombuError
from kombu.message import Message
from kombu.messaging import Consumer, Producer
from sqlalchemy import Engine

from b2bbridge.adapters.queue.embedded import EmbeddedWorkQueue
from b2bbridge.ports import Clock, WorkItem

log = structlog.get_logger("b2bbridge.queue.amqp")

DLX = "b2bbridge.dlx"


class AmqpWorkQueue:
    """:class:`b2bbridge.ports.WorkQueue` over RabbitMQ, backed by the store's rows."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        url: str,
        *,
        queue: str = "b2bbridge.work",
        dead_letter_queue: str = "b2bbridge.work.dead",
        recover_after_seconds: float = 10.0,
        wait_seconds: float = 0.2,
    ) -> None:
        self._rows = EmbeddedWorkQueue(engine, clock)
        self._url = url
        self._dlx = Exchange(DLX, type="direct", durable=True)
        self._dead = Queue(dead_letter_queue, self._dlx, routing_key=queue, durable=True)
        self._queue = Queue(
            queue,
            Exchange("", type="direct"),
            routing_key=queue,
            durable=True,
            queue_arguments={"x-dead-letter-exchange": DLX, "x-dead-letter-routing-key": queue},
        )
        self._recover_after = recover_after_seconds
        self._wait = wait_seconds
        self._connection: Connection | None = None
        self._consumer: Consumer | None = None
        self._prefetch = 0
        self._arrived: deque[Message] = deque()
        self._held: dict[int, Message] = {}

    # -- the WorkQueue port -------------------------------------------------------------

    def enqueue(
        self,
        kind: str,
        message_id: int,
        *,
        payload: Mapping[str, object] | None = None,
        delay_seconds: float = 0,
    ) -> int:
        """Write the row, then publish its id; a delayed item is left for recovery."""
        item_id = self._rows.enqueue(kind, message_id, payload=payload, delay_seconds=delay_seconds)
        if delay_seconds <= 0:
            self._publish(item_id)
        return item_id

    def lease(self, *, worker: str, limit: int, lease_seconds: float) -> list[WorkItem]:
        items = self._lease_delivered(worker, limit, lease_seconds)
        if len(items) < limit:
            items += self._rows.lease(
                worker=worker,
                limit=limit - len(items),
                lease_seconds=lease_seconds,
                overdue_seconds=self._recover_after,
            )
        return items

    def complete(self, item_id: int) -> None:
        self._rows.complete(item_id)
        self._settle(item_id, reject=False)

    def announce(self, item_id: int) -> None:
        """Publish a committed row's id; if that fails, recovery claims the row later."""
        self._publish(item_id)

    def complete_many(self, item_ids: Sequence[int]) -> None:
        self._rows.complete_many(item_ids)
        for item_id in item_ids:
            self._settle(item_id, reject=False)

    def release_for_retry(self, item_id: int, *, delay_seconds: float, error: str) -> None:
        self._rows.release_for_retry(item_id, delay_seconds=delay_seconds, error=error)
        self._settle(item_id, reject=False)

    def fail(self, item_id: int, *, error: str) -> None:
        self._rows.fail(item_id, error=error)
        self._settle(item_id, reject=True)

    def pending_count(self) -> int:
        return self._rows.pending_count()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.release()
        self._connection, self._consumer = None, None

    # -- the broker side ----------------------------------------------------------------

    def _connect(self, prefetch: int) -> Connection:
        if self._connection is None:
            connection = Connection(
                self._url, transport_options={"confirm_publish": True}, connect_timeout=5
            )
            connection.ensure_connection(max_retries=1)
            channel = connection.default_channel
            self._dead.bind(channel).declare()
            self._queue.bind(channel).declare()
            self._connection, self._consumer, self._prefetch = connection, None, 0
        if self._consumer is None or prefetch != self._prefetch:
            if self._consumer is not None:
                self._consumer.cancel()
            consumer = Consumer(
                self._connection.default_channel,
                queues=[self._queue],
                callbacks=[self._on_message],
                accept=["json"],
                no_ack=False,
            )
            consumer.qos(prefetch_count=prefetch)
            consumer.consume()
            self._consumer, self._prefetch = consumer, prefetch
        return self._connection

    def _publish(self, item_id: int) -> None:
        try:
            channel = self._connect(max(1, self._prefetch)).default_channel
            Producer(channel).publish(
                {"id": item_id},
                exchange="",
                routing_key=self._queue.name,
                serializer="json",
                delivery_mode=2,
                mandatory=True,
            )
        except _BROKER_ERRORS as exc:
            self._drop(exc, "publish", item_id=item_id)

    def _on_message(self, body: object, message: Message) -> None:
        self._arrived.append(message)

    def _lease_delivered(self, worker: str, limit: int, lease_seconds: float) -> list[WorkItem]:
        try:
            connection = self._connect(limit)
            while len(self._arrived) < limit:
                connection.drain_events(timeout=self._wait if not self._arrived else 0.01)
        except TimeoutError:
            pass
        except _BROKER_ERRORS as exc:
            self._drop(exc, "consume")
        items: list[WorkItem] = []
        while self._arrived:
            message = self._arrived.popleft()
            item = self._claim(message, worker, lease_seconds)
            if item is not None:
                items.append(item)
        return items

    def _claim(self, message: Message, worker: str, lease_seconds: float) -> WorkItem | None:
        item_id = _item_id(message)
        if item_id is None:
            log.error("work_message_poison", body=str(message.body)[:200])
            self._quietly(message.reject, requeue=False)
            return None
        item = self._rows.claim(item_id, worker=worker, lease_seconds=lease_seconds)
        if item is None:  # done, leased elsewhere, or waiting out a retry delay
            self._quietly(message.ack)
            return None
        self._held[item_id] = message
        return item

    def _settle(self, item_id: int, *, reject: bool) -> None:
        message = self._held.pop(item_id, None)
        if message is None:
            return  # claimed from the store, or the delivery died with a dropped connection
        if reject:
            self._quietly(message.reject, requeue=False)
        else:
            self._quietly(message.ack)

    def _quietly(self, action: object, **kwargs: bool) -> None:
        assert callable(action)
        try:
            action(**kwargs)
        except _BROKER_ERRORS as exc:
            self._drop(exc, "settle")

    def _drop(self, exc: BaseException, during: str, **context: object) -> None:
        """Forget the connection; unacked deliveries return to the broker on their own."""
        log.warning("broker_unavailable", during=during, error=str(exc), **context)
        connection, self._connection, self._consumer = self._connection, None, None
        self._arrived.clear()
        self._held.clear()
        if connection is not None:
            with contextlib.suppress(*_BROKER_ERRORS):
                connection.release()


def _item_id(message: Message) -> int | None:
    try:
        body = message.decode() if not isinstance(message.body, dict) else message.body
    except (ValueError, TypeError):
        return None
    if isinstance(body, (bytes, str)):
        try:
            body = json.loads(body)
        except ValueError:
            return None
    value = body.get("id") if isinstance(body, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


_BROKER_ERRORS: tuple[type[BaseException], ...] = (
    KombuError,
    *Connection().connection_errors,
    *Connection().channel_errors,
    OSError,
)
