"""Batched inserts: ``transactions.add_many`` and ``documents.add_many``.

``add_many`` is what calling ``add`` once per row would do, in a few statements: rows are
stored in the order given, and a document yields to any stored document, or any earlier
row of the batch, with the same natural key (partner, type, number, date).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy import Engine, select

from b2bbridge.adapters.store import make_engine, unit_of_work_factory, upgrade_database
from b2bbridge.adapters.store.tables import NO_DATE, documents
from b2bbridge.ports import (
    Clock,
    NewDocument,
    NewTransaction,
    UnitOfWork,
    UnitOfWorkFactory,
)

FEB_28 = date(2026, 2, 28)
AddMessage = Callable[..., int]


def _interchange(uow: UnitOfWork, message_id: int) -> int:
    return uow.interchanges.add(
        message_id=message_id,
        partner="ACME",
        syntax="x12",
        control_number="000000001",
        sender="ACMEBUYER",
        receiver="B2BBRIDGE",
        date=FEB_28,
        status="received",
    )


def _transaction(interchange_id: int, number: int, status: str = "stored") -> NewTransaction:
    return NewTransaction(
        interchange_id=interchange_id,
        group_control_number="1",
        control_number=f"{number:04d}",
        type="850",
        status=status,
        segment_count=number + 4,
    )


def _order(
    message_id: int,
    number: str,
    *,
    day: date | None = FEB_28,
    body: str = "{}",
    transaction_id: int | None = None,
    doc_type: str = "order",
) -> NewDocument:
    return NewDocument(
        transaction_id=transaction_id,
        message_id=message_id,
        partner="ACME",
        doc_type=doc_type,
        doc_number=number,
        doc_date=day,
        schema_version="1",
        body=body,
    )


def _add_one(uow: UnitOfWork, row: NewDocument) -> tuple[int, bool]:
    return uow.documents.add(
        transaction_id=row.transaction_id,
        message_id=row.message_id,
        partner=row.partner,
        doc_type=row.doc_type,
        doc_number=row.doc_number,
        doc_date=row.doc_date,
        schema_version=row.schema_version,
        body=row.body,
    )


def _stored_documents(engine: Engine) -> list[tuple[object, ...]]:
    """Every document row in id order, without its id and timestamp."""
    columns = [c for c in documents.c if c.name not in ("id", "created_at")]
    with engine.connect() as connection:
        rows = connection.execute(select(*columns).order_by(documents.c.id))
        return [tuple(row) for row in rows]


# transactions.add_many


def test_transaction_ids_come_back_ascending_in_the_order_of_the_rows(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    count = 1234  # more than one statement's worth of rows
    with uow_factory() as uow:
        icx = _interchange(uow, message_id)
        ids = uow.transactions.add_many([_transaction(icx, n) for n in range(count)])
        uow.commit()
    with uow_factory() as uow:
        stored = uow.transactions.for_interchange(icx)
    assert ids == sorted(ids)
    assert len(set(ids)) == count
    assert [t.id for t in stored] == ids
    assert [t.control_number for t in stored] == [f"{n:04d}" for n in range(count)]
    assert [t.segment_count for t in stored] == [n + 4 for n in range(count)]


def test_each_transaction_id_reads_back_the_row_it_was_given_for(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    statuses = ["stored", "rejected", "reconciled", "duplicate", "stored"]
    with uow_factory() as uow:
        icx = _interchange(uow, message_id)
        rows = [_transaction(icx, n, status) for n, status in enumerate(statuses)]
        ids = uow.transactions.add_many(rows)
        uow.commit()
    with uow_factory() as uow:
        read = [uow.transactions.get(i) for i in ids]
    assert [(t.control_number, t.status) for t in read] == [
        (r.control_number, r.status) for r in rows
    ]


def test_batched_transactions_follow_single_ones_in_id_order(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        icx = _interchange(uow, message_id)
        first = uow.transactions.add(
            interchange_id=icx,
            group_control_number="1",
            control_number="0000",
            type="850",
            status="stored",
            segment_count=4,
        )
        middle = uow.transactions.add_many([_transaction(icx, 1), _transaction(icx, 2)])
        last = uow.transactions.add_many([_transaction(icx, 3)])
        uow.commit()
    assert [first, *middle, *last] == sorted([first, *middle, *last])


def test_adding_no_transactions_stores_nothing(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        icx = _interchange(uow, message_id)
        assert uow.transactions.add_many([]) == []
        assert uow.transactions.for_interchange(icx) == []


# documents.add_many


def test_new_documents_are_all_created_in_the_order_of_the_rows(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    numbers = [f"PO-{n}" for n in range(7)]
    with uow_factory() as uow:
        outcomes = uow.documents.add_many([_order(message_id, n, body=n) for n in numbers])
        uow.commit()
    ids = [doc_id for doc_id, _ in outcomes]
    assert [created for _, created in outcomes] == [True] * len(numbers)
    assert ids == sorted(set(ids))
    with uow_factory() as uow:
        stored = uow.documents.for_message(message_id)
        assert [uow.documents.get(i).doc_number for i in ids] == numbers
    assert [(d.id, d.body) for d in stored] == [(i, n) for i, n in zip(ids, numbers, strict=True)]


def test_documents_already_stored_get_their_existing_id_and_are_not_created(
    uow_factory: UnitOfWorkFactory, message_id: int, engine: Engine
) -> None:
    with uow_factory() as uow:
        old_a, _ = _add_one(uow, _order(message_id, "PO-A", body="first A"))
        old_b, _ = _add_one(uow, _order(message_id, "PO-B", body="first B"))
        uow.commit()
    with uow_factory() as uow:
        outcomes = uow.documents.add_many(
            [
                _order(message_id, "PO-B", body="again B"),
                _order(message_id, "PO-NEW", body="new"),
                _order(message_id, "PO-A", body="again A"),
            ]
        )
        uow.commit()
    (b, _), (new, _), (a, _) = outcomes
    assert [created for _, created in outcomes] == [False, True, False]
    assert (a, b) == (old_a, old_b)
    assert new > old_b
    assert [row[-1] for row in _stored_documents(engine)] == ["first A", "first B", "new"]


def test_a_key_twice_in_one_batch_is_created_once_and_keeps_the_first_rows_values(
    uow_factory: UnitOfWorkFactory, message_id: int, engine: Engine
) -> None:
    with uow_factory() as uow:
        icx = _interchange(uow, message_id)
        tx_first, tx_other, tx_second = uow.transactions.add_many(
            [_transaction(icx, 1), _transaction(icx, 2), _transaction(icx, 3)]
        )
        outcomes = uow.documents.add_many(
            [
                _order(message_id, "PO-7", body="first", transaction_id=tx_first),
                _order(message_id, "PO-8", body="other", transaction_id=tx_other),
                _order(message_id, "PO-7", body="second", transaction_id=tx_second),
            ]
        )
        uow.commit()
    (first, created_first), (_, created_other), (second, created_second) = outcomes
    assert (created_first, created_other, created_second) == (True, True, False)
    assert second == first
    with uow_factory() as uow:
        kept = uow.documents.get(first)
    assert (kept.transaction_id, kept.body) == (tx_first, "first")
    assert len(_stored_documents(engine)) == 2


def test_same_number_on_another_date_is_another_document(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        outcomes = uow.documents.add_many(
            [
                _order(message_id, "PO-1", day=FEB_28),
                _order(message_id, "PO-1", day=date(2026, 3, 1)),
                _order(message_id, "PO-1", day=None),
            ]
        )
        uow.commit()
    assert [created for _, created in outcomes] == [True, True, True]
    assert len({doc_id for doc_id, _ in outcomes}) == 3


def test_undated_documents_are_keyed_by_the_no_date_sentinel_and_read_back_undated(
    uow_factory: UnitOfWorkFactory, message_id: int, engine: Engine
) -> None:
    with uow_factory() as uow:
        single, _ = _add_one(uow, _order(message_id, "PO-SINGLE", day=None))
        outcomes = uow.documents.add_many(
            [
                _order(message_id, "PO-SINGLE", day=None),
                _order(message_id, "PO-BATCH", day=None),
                _order(message_id, "PO-BATCH", day=None),
            ]
        )
        uow.commit()
    (again, again_created), (batched, batched_created), (twice, twice_created) = outcomes
    assert (again, again_created) == (single, False)
    assert (batched_created, twice, twice_created) == (True, batched, False)
    with engine.connect() as connection:
        raw_dates = connection.execute(select(documents.c.doc_date)).scalars().all()
    assert raw_dates == [NO_DATE, NO_DATE]
    with uow_factory() as uow:
        assert uow.documents.get(batched).doc_date is None


def test_many_keys_already_stored_are_all_found(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    numbers = [f"PO-{n:04d}" for n in range(1100)]  # more keys than one lookup takes
    with uow_factory() as uow:
        first = uow.documents.add_many([_order(message_id, n) for n in numbers])
        uow.commit()
    with uow_factory() as uow:
        again = uow.documents.add_many([_order(message_id, n) for n in reversed(numbers)])
    assert again == [(doc_id, False) for doc_id, _ in reversed(first)]


def test_adding_no_documents_stores_nothing(
    uow_factory: UnitOfWorkFactory, message_id: int, engine: Engine
) -> None:
    with uow_factory() as uow:
        assert uow.documents.add_many([]) == []
        uow.commit()
    assert _stored_documents(engine) == []


# add_many against add, row by row


def _random_batch(seed: int, message_id: int) -> tuple[list[NewDocument], list[NewDocument]]:
    """Documents stored before, then a batch that repeats some of them and itself."""
    rng = random.Random(seed)
    keys = [
        (f"PO-{n}", rng.choice([FEB_28, date(2026, 3, 1), None]), rng.choice(["order", "invoice"]))
        for n in range(12)
    ]

    def row(index: int, tag: str) -> NewDocument:
        number, day, doc_type = keys[index]
        return _order(message_id, number, day=day, doc_type=doc_type, body=f"{tag} {number}")

    before = [row(i, "before") for i in rng.sample(range(len(keys)), 4)]
    batch = [row(rng.randrange(len(keys)), f"batch {n}") for n in range(40)]
    return before, batch


def _id_pattern(outcomes: Sequence[tuple[int, bool]]) -> list[int]:
    """Which rows share an id, as the index of the first row with each id."""
    first_seen: dict[int, int] = {}
    return [first_seen.setdefault(doc_id, n) for n, (doc_id, _) in enumerate(outcomes)]


def _new_store(
    database_factory: Callable[[], str], clock: Clock
) -> tuple[Engine, UnitOfWorkFactory]:
    url = database_factory()
    upgrade_database(url)
    engine = make_engine(url)
    return engine, unit_of_work_factory(engine, clock)


def test_add_many_gives_the_same_outcomes_and_rows_as_adding_one_row_at_a_time(
    add_message: AddMessage, database_factory: Callable[[], str], clock: Clock
) -> None:
    single_engine, single_store = _new_store(database_factory, clock)
    batch_engine, batch_store = _new_store(database_factory, clock)
    try:
        for seed in (1, 2, 3):
            with single_store() as one_by_one, batch_store() as batched:
                message = add_message(one_by_one, data=f"seed {seed}".encode())
                assert add_message(batched, data=f"seed {seed}".encode()) == message
                before, batch = _random_batch(seed, message)
                for row in before:
                    _add_one(one_by_one, row)
                    _add_one(batched, row)
                singles = [_add_one(one_by_one, row) for row in batch]
                many = batched.documents.add_many(batch)
                one_by_one.commit()
                batched.commit()
            assert [created for _, created in many] == [created for _, created in singles]
            assert _id_pattern(many) == _id_pattern(singles)
            assert _stored_documents(batch_engine) == _stored_documents(single_engine)
    finally:
        single_engine.dispose()
        batch_engine.dispose()
