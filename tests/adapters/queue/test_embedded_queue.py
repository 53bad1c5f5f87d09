"""The embedded work queue: leases, retries, failures and crash recovery."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Protocol

import pytest
from sqlalchemy import Engine

from b2bbridge.adapters.queue.embedded import EmbeddedWorkQueue
from b2bbridge.ports import NotFoundError


class FixedClock(Protocol):
    def now(self) -> datetime: ...
    def advance(self, seconds: float) -> None: ...


@pytest.fixture
def queue(engine: Engine, clock: FixedClock) -> EmbeddedWorkQueue:
    return EmbeddedWorkQueue(engine, clock)


def test_leased_item_carries_its_kind_message_and_payload(
    queue: EmbeddedWorkQueue, message_id: int, clock: FixedClock
) -> None:
    item_id = queue.enqueue("process", message_id, payload={"interchange": "000000123"})
    (item,) = queue.lease(worker="w1", limit=10, lease_seconds=30)
    assert (item.id, item.kind, item.message_id) == (item_id, "process", message_id)
    assert item.payload == {"interchange": "000000123"}
    assert (item.attempts, item.leased_by) == (0, "w1")
    assert item.lease_until == clock.now() + timedelta(seconds=30)


def test_leased_item_is_not_leased_again_while_the_lease_holds(
    queue: EmbeddedWorkQueue, message_id: int
) -> None:
    queue.enqueue("process", message_id)
    first = queue.lease(worker="w1", limit=10, lease_seconds=30)
    second = queue.lease(worker="w2", limit=10, lease_seconds=30)
    assert (len(first), second) == (1, [])


def test_lease_takes_at_most_the_limit_oldest_first(
    queue: EmbeddedWorkQueue, message_id: int
) -> None:
    ids = [queue.enqueue("process", message_id) for _ in range(5)]
    leased = queue.lease(worker="w1", limit=3, lease_seconds=30)
    rest = queue.lease(worker="w2", limit=10, lease_seconds=30)
    assert [item.id for item in leased] == ids[:3]
    assert [item.id for item in rest] == ids[3:]


def test_completed_item_is_no_longer_pending(queue: EmbeddedWorkQueue, message_id: int) -> None:
    queue.enqueue("process", message_id)
    queue.enqueue("acknowledge", message_id)
    (item, _) = queue.lease(worker="w1", limit=10, lease_seconds=30)
    queue.complete(item.id)
    assert queue.pending_count() == 1


def test_delayed_item_is_leased_only_when_due(
    queue: EmbeddedWorkQueue, message_id: int, clock: FixedClock
) -> None:
    item_id = queue.enqueue("send", message_id, delay_seconds=60)
    early = queue.lease(worker="w1", limit=10, lease_seconds=30)
    clock.advance(60)
    due = queue.lease(worker="w1", limit=10, lease_seconds=30)
    assert early == []
    assert [item.id for item in due] == [item_id]


def test_released_item_comes_back_after_its_delay_with_one_more_attempt(
    queue: EmbeddedWorkQueue, message_id: int, clock: FixedClock
) -> None:
    queue.enqueue("send", message_id)
    (item,) = queue.lease(worker="w1", limit=1, lease_seconds=30)
    queue.release_for_retry(item.id, delay_seconds=120, error="ConnectorError: refused")
    clock.advance(119)
    too_soon = queue.lease(worker="w1", limit=1, lease_seconds=30)
    clock.advance(1)
    (again,) = queue.lease(worker="w1", limit=1, lease_seconds=30)
    assert too_soon == []
    assert (again.id, again.attempts) == (item.id, 1)
    assert queue.pending_count() == 1


def test_expired_lease_is_taken_over_by_another_worker(
    queue: EmbeddedWorkQueue, message_id: int, clock: FixedClock
) -> None:
    queue.enqueue("process", message_id)
    (crashed,) = queue.lease(worker="w1", limit=1, lease_seconds=30)
    clock.advance(29)
    still_held = queue.lease(worker="w2", limit=1, lease_seconds=30)
    clock.advance(1)
    (recovered,) = queue.lease(worker="w2", limit=1, lease_seconds=30)
    assert still_held == []
    assert (recovered.id, recovered.leased_by, recovered.attempts) == (crashed.id, "w2", 1)


def test_failed_item_is_neither_pending_nor_leased_again(
    queue: EmbeddedWorkQueue, message_id: int, clock: FixedClock
) -> None:
    queue.enqueue("process", message_id)
    (item,) = queue.lease(worker="w1", limit=1, lease_seconds=30)
    queue.fail(item.id, error="MappingError: no rule for N1")
    clock.advance(3600)
    assert queue.pending_count() == 0
    assert queue.lease(worker="w1", limit=10, lease_seconds=30) == []


def test_completing_an_unknown_item_raises_not_found(queue: EmbeddedWorkQueue) -> None:
    with pytest.raises(NotFoundError) as raised:
        queue.complete(987654)
    assert raised.value.code == "work_item_not_found"


def test_pending_count_includes_delayed_and_leased_items(
    queue: EmbeddedWorkQueue, message_id: int
) -> None:
    queue.enqueue("process", message_id)
    queue.enqueue("process", message_id, delay_seconds=600)
    queue.lease(worker="w1", limit=10, lease_seconds=30)
    assert queue.pending_count() == 2


def test_workers_leasing_at_once_never_share_an_item(
    queue: EmbeddedWorkQueue, message_id: int
) -> None:
    ids = {queue.enqueue("process", message_id) for _ in range(40)}
    barrier = threading.Barrier(4)
    taken: list[int] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        barrier.wait()
        while batch := queue.lease(worker=name, limit=3, lease_seconds=300):
            with lock:
                taken.extend(item.id for item in batch)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == sorted(ids)
