"""The AMQP work queue against the real RabbitMQ on 127.0.0.1:5672 (never skipped).

Each test declares queues of its own (random names) and deletes them afterwards, since
other test sessions share the broker.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime
from typing import Protocol

import pytest
from kombu.connection import Connection
from kombu.entity import Queue
from kombu.messaging import Producer
from sqlalchemy import Engine

from b2bbridge.adapters.queue.amqp import AmqpWorkQueue

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672//"
pytestmark = pytest.mark.integration


class FixedClock(Protocol):
    def now(self) -> datetime: ...
    def advance(self, seconds: float) -> None: ...


@pytest.fixture
def names() -> Iterator[tuple[str, str]]:
    work, dead = f"b2b.test.{secrets.token_hex(4)}", f"b2b.test.dead.{secrets.token_hex(4)}"
    yield work, dead
    with Connection(AMQP_URL) as connection:
        channel = connection.default_channel
        for name in (work, dead):
            channel.queue_delete(name)


def _queue(
    engine: Engine, clock: FixedClock, names: tuple[str, str], url: str = AMQP_URL
) -> AmqpWorkQueue:
    return AmqpWorkQueue(
        engine, clock, url, queue=names[0], dead_letter_queue=names[1], wait_seconds=1.0
    )


def _depth(name: str) -> int:
    with Connection(AMQP_URL) as connection:
        _name, count, _consumers = connection.default_channel.queue_declare(name, passive=True)
        return int(count)


def test_item_goes_through_the_broker_and_is_acked_after_completion(
    engine: Engine, clock: FixedClock, names: tuple[str, str], message_id: int
) -> None:
    queue = _queue(engine, clock, names)
    item_id = queue.enqueue("process", message_id)
    (item,) = queue.lease(worker="w1", limit=5, lease_seconds=30)
    assert (item.id, item.message_id, item.leased_by) == (item_id, message_id, "w1")
    queue.complete(item_id)
    queue.close()
    assert (queue.pending_count(), _depth(names[0])) == (0, 0)


def test_unacked_delivery_returns_to_the_broker_when_its_consumer_goes_away(
    engine: Engine, clock: FixedClock, names: tuple[str, str], message_id: int
) -> None:
    first = _queue(engine, clock, names)
    first.enqueue("process", message_id)
    assert len(first.lease(worker="w1", limit=5, lease_seconds=30)) == 1
    first.close()  # dies before completing: the message goes back to the queue
    assert _depth(names[0]) == 1


def test_failed_item_is_rejected_into_the_dead_letter_queue(
    engine: Engine, clock: FixedClock, names: tuple[str, str], message_id: int
) -> None:
    queue = _queue(engine, clock, names)
    item_id = queue.enqueue("process", message_id)
    queue.lease(worker="w1", limit=5, lease_seconds=30)
    queue.fail(item_id, error="poisoned")
    queue.close()
    assert (_depth(names[0]), _depth(names[1])) == (0, 1)


def test_poison_message_goes_to_the_dead_letter_queue_and_leases_nothing(
    engine: Engine, clock: FixedClock, names: tuple[str, str]
) -> None:
    queue = _queue(engine, clock, names)
    assert queue.lease(worker="w1", limit=5, lease_seconds=30) == []  # declares the queues
    with Connection(AMQP_URL) as connection:
        Producer(connection.default_channel).publish(
            {"not": "an id"}, exchange="", routing_key=names[0], serializer="json"
        )
    assert queue.lease(worker="w1", limit=5, lease_seconds=30) == []
    queue.close()
    assert _depth(names[1]) == 1


def test_item_published_while_the_broker_was_unreachable_is_recovered_from_the_store(
    engine: Engine, clock: FixedClock, names: tuple[str, str], message_id: int
) -> None:
    down = _queue(engine, clock, names, url="amqp://guest:guest@127.0.0.1:1//")
    item_id = down.enqueue("process", message_id)
    assert down.lease(worker="w1", limit=5, lease_seconds=30) == []
    clock.advance(11)
    (item,) = down.lease(worker="w1", limit=5, lease_seconds=30)
    assert item.id == item_id


def test_delivery_for_a_finished_item_is_acked_and_dropped(
    engine: Engine, clock: FixedClock, names: tuple[str, str], message_id: int
) -> None:
    queue = _queue(engine, clock, names)
    item_id = queue.enqueue("process", message_id)
    queue._rows.complete(item_id)  # done by another worker through the store
    assert queue.lease(worker="w1", limit=5, lease_seconds=30) == []
    queue.close()
    assert _depth(names[0]) == 0


def test_queue_is_declared_with_its_dead_letter_exchange(
    engine: Engine, clock: FixedClock, names: tuple[str, str]
) -> None:
    queue = _queue(engine, clock, names)
    queue.lease(worker="w1", limit=1, lease_seconds=30)
    queue.close()
    with Connection(AMQP_URL) as connection, pytest.raises(connection.channel_errors):
        Queue(names[0], durable=True, channel=connection.default_channel).declare()
