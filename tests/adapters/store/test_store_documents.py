"""Canonical documents: one row per natural key, even when writers race."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import Engine, func, select

from b2bbridge.adapters.store.tables import documents
from b2bbridge.ports import UnitOfWork, UnitOfWorkFactory

BODY = '{"number":"PO-1001","lines":[{"sku":"A1","qty":10}]}'


def _add_order(
    uow: UnitOfWork, message_id: int, number: str = "PO-1001", day: date | None = None
) -> tuple[int, bool]:
    return uow.documents.add(
        transaction_id=None,
        message_id=message_id,
        partner="ACME",
        doc_type="order",
        doc_number=number,
        doc_date=date(2026, 2, 28) if day is None else day,
        schema_version="1",
        body=BODY,
    )


def _count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(documents)).scalar_one())


def test_document_with_an_existing_natural_key_returns_the_first_id(
    uow_factory: UnitOfWorkFactory, message_id: int, engine: Engine
) -> None:
    with uow_factory() as uow:
        first = _add_order(uow, message_id)
        uow.commit()
    with uow_factory() as uow:
        second = _add_order(uow, message_id)
        uow.commit()
    assert first == (first[0], True)
    assert second == (first[0], False)
    assert _count(engine) == 1


def test_documents_differing_only_in_date_are_both_stored(
    uow_factory: UnitOfWorkFactory, message_id: int, engine: Engine
) -> None:
    with uow_factory() as uow:
        _add_order(uow, message_id, day=date(2026, 2, 28))
        _, created = _add_order(uow, message_id, day=date(2026, 3, 1))
        uow.commit()
    assert created is True
    assert _count(engine) == 2


def test_undated_document_is_stored_once_and_reads_back_without_a_date(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        first, _ = uow.documents.add(
            transaction_id=None,
            message_id=message_id,
            partner="ACME",
            doc_type="order",
            doc_number="PO-9",
            doc_date=None,
            schema_version="1",
            body=BODY,
        )
        again = uow.documents.add(
            transaction_id=None,
            message_id=message_id,
            partner="ACME",
            doc_type="order",
            doc_number="PO-9",
            doc_date=None,
            schema_version="1",
            body=BODY,
        )
        uow.commit()
    with uow_factory() as uow:
        record = uow.documents.get(first)
    assert again == (first, False)
    assert (record.doc_number, record.doc_date, record.body) == ("PO-9", None, BODY)


def test_concurrent_inserts_of_one_natural_key_give_one_row(
    uow_factory: UnitOfWorkFactory, message_id: int, engine: Engine
) -> None:
    writers = 6
    barrier = threading.Barrier(writers)
    results: list[tuple[int, bool]] = []
    lock = threading.Lock()

    def write() -> None:
        with uow_factory() as uow:
            barrier.wait()
            outcome = _add_order(uow, message_id, number="PO-RACE")
            uow.commit()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == writers
    assert sorted(created for _, created in results) == [False] * (writers - 1) + [True]
    assert len({document_id for document_id, _ in results}) == 1
    assert _count(engine) == 1


def test_list_and_for_message_filter_documents(
    uow_factory: UnitOfWorkFactory, message_id: int
) -> None:
    with uow_factory() as uow:
        order_a, _ = _add_order(uow, message_id, number="PO-A")
        order_b, _ = _add_order(uow, message_id, number="PO-B")
        uow.commit()
    with uow_factory() as uow:
        listed = [d.id for d in uow.documents.list(partner="ACME", doc_type="order")]
        invoices = uow.documents.list(doc_type="invoice")
        of_message = [d.id for d in uow.documents.for_message(message_id)]
    assert listed == [order_b, order_a]
    assert invoices == []
    assert of_message == [order_a, order_b]
