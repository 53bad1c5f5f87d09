"""The idempotency-key table: one owner per (partner, key), answers kept, old keys pruned."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import Engine

from b2bbridge.adapters.store import unit_of_work_factory
from b2bbridge.ports import UnitOfWorkFactory
from tests.adapters.conftest import FixedClock

SHA = "a" * 64


def test_the_first_claim_owns_the_key_and_the_second_sees_it_pending(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        assert uow.idempotency.claim("acme", "k1", SHA) is None
        uow.commit()
    with uow_factory() as uow:
        seen = uow.idempotency.claim("acme", "k1", "b" * 64)
    assert seen is not None
    assert (seen.state, seen.request_sha256, seen.status, seen.answer) == (
        "pending",
        SHA,
        None,
        None,
    )


def test_the_same_key_of_another_partner_is_a_separate_claim(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        assert uow.idempotency.claim("acme", "k1", SHA) is None
        assert uow.idempotency.claim("globex", "k1", SHA) is None


def test_a_completed_key_returns_its_answer_to_the_next_claim(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.idempotency.claim("acme", "k1", SHA)
        uow.idempotency.complete("acme", "k1", status=202, answer={"message_id": 7})
        uow.commit()
    with uow_factory() as uow:
        seen = uow.idempotency.claim("acme", "k1", SHA)
    assert seen is not None
    assert (seen.state, seen.status, seen.answer) == ("done", 202, {"message_id": 7})


def test_a_released_claim_can_be_claimed_again(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.idempotency.claim("acme", "k1", SHA)
        uow.commit()
    with uow_factory() as uow:
        uow.idempotency.release("acme", "k1")
        uow.commit()
    with uow_factory() as uow:
        assert uow.idempotency.claim("acme", "k1", SHA) is None


def test_release_leaves_an_answered_key_alone(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.idempotency.claim("acme", "k1", SHA)
        uow.idempotency.complete("acme", "k1", status=202, answer={"message_id": 1})
        uow.idempotency.release("acme", "k1")
        seen = uow.idempotency.claim("acme", "k1", SHA)
    assert seen is not None
    assert seen.state == "done"


def test_only_a_pending_claim_older_than_the_cutoff_is_taken_over(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    with uow_factory() as uow:
        uow.idempotency.claim("acme", "old", SHA)
        uow.idempotency.claim("acme", "done", SHA)
        uow.idempotency.complete("acme", "done", status=202, answer={"message_id": 1})
        uow.commit()
    clock.advance(120)
    with uow_factory() as uow:
        cutoff = clock.now() - timedelta(seconds=60)
        assert uow.idempotency.take_over("acme", "old", claimed_before=cutoff)
        assert not uow.idempotency.take_over("acme", "done", claimed_before=cutoff)
        # taken over just now, so a second taker finds it fresh again
        assert not uow.idempotency.take_over("acme", "old", claimed_before=cutoff)


def test_prune_deletes_only_keys_older_than_the_cutoff(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    with uow_factory() as uow:
        for n in range(3):
            uow.idempotency.claim("acme", f"old-{n}", SHA)
        uow.commit()
    clock.advance(3600)
    with uow_factory() as uow:
        uow.idempotency.claim("acme", "new", SHA)
        uow.commit()
    with uow_factory() as uow:
        assert uow.idempotency.prune(before=clock.now() - timedelta(seconds=60), limit=2) == 2
        assert uow.idempotency.prune(before=clock.now() - timedelta(seconds=60)) == 1
        uow.commit()
    with uow_factory() as uow:
        assert uow.idempotency.claim("acme", "old-0", SHA) is None
        assert uow.idempotency.claim("acme", "new", SHA) is not None


def test_of_two_concurrent_claims_on_separate_connections_exactly_one_owns_the_key(
    engine: Engine, clock: FixedClock
) -> None:
    factory = unit_of_work_factory(engine, clock)
    start = threading.Barrier(2)
    owners: list[bool] = []

    def claim() -> None:
        with factory() as uow:
            start.wait()
            owners.append(uow.idempotency.claim("acme", "race", SHA) is None)
            uow.commit()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(owners) == [False, True]
