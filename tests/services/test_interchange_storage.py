"""Storing an interchange of many orders: transactions, documents and dead letters in order.

The interchange's transactions and documents are inserted in batches; what is stored and
counted is the same as storing them one by one, in message order, except that an order
repeating the natural key of an earlier order of the same interchange is a duplicate.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from e2e_support import make_deployment
from pipeline_support import open_app, receive

from b2bbridge.bootstrap import App
from b2bbridge.ports import DocumentRecord, TransactionRecord
from b2bbridge.services import interchange as interchange_module
from b2bbridge.services import spool
from b2bbridge.services.inbound import process_message

ISA = (
    "ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*B2BBRIDGE      "
    "*241104*0930*U*00401*{icn:09d}*0*P*>"
)
NO_NUMBER = ""  # an order without BEG03, which the mapping requires


def _orders_850(icn: int, numbers: list[str], *, day: str = "20241104") -> bytes:
    """One ACME interchange holding one 850 per number, in one functional group."""
    segments = [ISA.format(icn=icn), f"GS*PO*ACMEBUYER*B2BBRIDGE*20241104*0930*{icn}*X*004010"]
    for n, number in enumerate(numbers, start=1):
        body = [
            f"ST*850*{n:04d}",
            f"BEG*00*SA*{number}**{day}",
            "N1*ST*ACME DISTRIBUTION CENTER 4*92*0004",
            "PO1*1*2*EA*2.50**UP*012345678901*VN*SKU-0001",
            "CTT*1",
        ]
        segments += [*body, f"SE*{len(body) + 1}*{n:04d}"]
    segments += [f"GE*{len(numbers)}*{icn}", f"IEA*1*{icn:09d}"]
    return ("~\n".join(segments) + "~\n").encode("ascii")


def _stored(app: App, message_id: int) -> tuple[list[TransactionRecord], list[DocumentRecord]]:
    with app.ctx.uow() as uow:
        transactions = [
            t
            for icx in uow.interchanges.for_message(message_id)
            for t in uow.transactions.for_interchange(icx.id)
        ]
        return transactions, uow.documents.for_message(message_id)


def test_an_order_repeated_in_one_interchange_is_stored_once_and_counted_as_a_duplicate(
    app: App,
) -> None:
    message_id = receive(app, _orders_850(5001, ["PO-SAME", "PO-OTHER", "PO-SAME"]))

    result = process_message(app.ctx, message_id)

    transactions, documents = _stored(app, message_id)
    assert (result.documents, result.duplicates, result.rejected) == (2, 1, 0)
    assert [(d.doc_number, d.transaction_id) for d in documents] == [
        ("PO-SAME", transactions[0].id),
        ("PO-OTHER", transactions[1].id),
    ]
    # The repeat's transaction was accepted and acknowledged; only its document is not new.
    assert [t.status for t in transactions] == ["stored", "stored", "stored"]
    assert result.status == "acknowledged"


def test_two_orders_with_one_number_and_date_give_one_document_and_one_duplicate(
    app: App,
) -> None:
    message_id = receive(app, _orders_850(5002, ["PO-TWICE", "PO-TWICE"]))

    result = process_message(app.ctx, message_id)

    _, documents = _stored(app, message_id)
    assert (result.documents, result.duplicates) == (1, 1)
    assert [d.doc_number for d in documents] == ["PO-TWICE"]


def test_a_message_processed_again_redoes_its_own_documents_but_still_counts_its_repeats(
    app: App,
) -> None:
    """As after a crash between storing the interchange and recording the message's status."""
    message_id = receive(app, _orders_850(5003, ["PO-R1", "PO-R2", "PO-R1"]))
    first = process_message(app.ctx, message_id)

    again = process_message(app.ctx, message_id)

    _, documents = _stored(app, message_id)
    assert (first.documents, first.duplicates) == (2, 1)
    assert (again.documents, again.duplicates) == (2, 1)
    assert [d.doc_number for d in documents] == ["PO-R1", "PO-R2"]


def test_a_redone_message_counts_a_repeat_in_a_later_insert_batch_as_a_duplicate(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The redo's first PO-R1 is its own earlier document; the one two batches on is not."""
    monkeypatch.setattr(interchange_module, "TRANSACTIONS_PER_INSERT", 2)
    monkeypatch.setattr(interchange_module, "DOCUMENTS_PER_INSERT", 1)
    message_id = receive(app, _orders_850(5007, ["PO-R1", "PO-R2", "PO-R3", "PO-R4", "PO-R1"]))
    first = process_message(app.ctx, message_id)

    again = process_message(app.ctx, message_id)

    _, documents = _stored(app, message_id)
    assert (first.documents, first.duplicates) == (4, 1)
    assert (again.documents, again.duplicates) == (4, 1)
    assert [d.doc_number for d in documents] == ["PO-R1", "PO-R2", "PO-R3", "PO-R4"]


def test_an_order_repeated_in_a_later_interchange_of_the_same_message_is_a_duplicate(
    app: App,
) -> None:
    """Each interchange commits apart; the repeat is still this attempt's, not a redo."""
    two = _orders_850(5008, ["PO-A", "PO-B"]) + _orders_850(5009, ["PO-C", "PO-A"])
    message_id = receive(app, two)

    first = process_message(app.ctx, message_id)
    again = process_message(app.ctx, message_id)  # as after a crash before the status

    _, documents = _stored(app, message_id)
    assert (first.documents, first.duplicates) == (3, 1)
    assert (again.documents, again.duplicates) == (3, 1)
    assert [d.doc_number for d in documents] == ["PO-A", "PO-B", "PO-C"]


def test_orders_already_stored_by_another_message_are_duplicates(app: App) -> None:
    process_message(app.ctx, receive(app, _orders_850(5004, ["PO-OLD"]), name="first.x12"))
    message_id = receive(app, _orders_850(5005, ["PO-NEW", "PO-OLD"]), name="second.x12")

    result = process_message(app.ctx, message_id)

    _, documents = _stored(app, message_id)
    assert (result.documents, result.duplicates) == (1, 1)
    assert [d.doc_number for d in documents] == ["PO-NEW"]


def test_rows_keep_the_message_order_across_insert_batches(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(interchange_module, "TRANSACTIONS_PER_INSERT", 2)
    monkeypatch.setattr(interchange_module, "DOCUMENTS_PER_INSERT", 2)
    numbers = ["PO-1", "PO-2", NO_NUMBER, "PO-3", "PO-1", "PO-4", "PO-2"]
    message_id = receive(app, _orders_850(5006, numbers))

    result = process_message(app.ctx, message_id)

    transactions, documents = _stored(app, message_id)
    with app.ctx.uow() as uow:
        letters = uow.dead_letters.for_message(message_id)
    assert (result.documents, result.duplicates, result.rejected) == (4, 2, 1)
    assert [t.control_number for t in transactions] == [f"{n:04d}" for n in range(1, 8)]
    assert [t.status for t in transactions] == ["stored"] * 2 + ["rejected"] + ["stored"] * 4
    by_transaction = {t.id: t.control_number for t in transactions}
    assert [(d.doc_number, by_transaction[d.transaction_id or 0]) for d in documents] == [
        ("PO-1", "0001"),
        ("PO-2", "0002"),
        ("PO-3", "0004"),
        ("PO-4", "0006"),
    ]
    assert [dl.location["transaction"] for dl in letters] == ["0003"]


def _mixed_interchange(icn: int) -> bytes:
    """Two groups: orders, repeats, an unmappable and an invalid order, then a sunk group.

    The second group's GE01 miscounts its transactions, so the group and all of its
    transactions are rejected whatever each of them holds.
    """
    numbers = ["PO-M1", "PO-M2", NO_NUMBER, "PO-M1", "PO-M3", "BAD-QTY", "PO-M4", "PO-M2"]
    segments = [ISA.format(icn=icn), f"GS*PO*ACMEBUYER*B2BBRIDGE*20241104*0930*{icn}*X*004010"]
    for group, (first, last, trailer_count) in enumerate([(0, 8, 8), (8, 11, 2)], start=1):
        if group == 2:
            segments.append(f"GS*PO*ACMEBUYER*B2BBRIDGE*20241104*0930*{icn + 1}*X*004010")
        for n in range(first, last):
            number = numbers[n] if n < len(numbers) else f"PO-G{n}"
            quantity = "TWO" if number == "BAD-QTY" else "2"
            body = [
                f"ST*850*{n + 1:04d}",
                f"BEG*00*SA*{number}**20241104",
                "N1*ST*ACME DISTRIBUTION CENTER 4*92*0004",
                f"PO1*1*{quantity}*EA*2.50**UP*012345678901*VN*SKU-0001",
                "CTT*1",
            ]
            segments += [*body, f"SE*{len(body) + 1}*{n + 1:04d}"]
        segments.append(f"GE*{trailer_count}*{icn + group - 1}")
    segments.append(f"IEA*2*{icn:09d}")
    return ("~\n".join(segments) + "~\n").encode("ascii")


def _everything_stored(app: App, message_id: int) -> dict[str, object]:
    """What processing left in the store, without ids and times."""
    transactions, documents = _stored(app, message_id)
    with app.ctx.uow() as uow:
        letters = uow.dead_letters.for_message(message_id)
        acks = [
            uow.payloads.open(o.payload_sha256).read().decode("latin-1")
            for o in uow.outbound.for_message(message_id)
        ]
    return {
        "transactions": [
            (t.group_control_number, t.control_number, t.type, t.status, t.segment_count)
            for t in transactions
        ],
        "documents": [(d.doc_number, d.body) for d in documents],
        "dead_letters": [(dl.code, dl.reason, dl.location) for dl in letters],
        # The acks' envelopes carry the time they were made; what they say is in AK*.
        "acks": [[s for s in a.split("~") if s.strip().startswith("AK")] for a in acks],
    }


@pytest.mark.parametrize("chunk", [1, 2, 3])
def test_an_interchange_spilled_to_disk_is_stored_and_acknowledged_as_one_kept_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Spilling the units and outcomes changes nothing that is stored, counted or answered."""
    seen = []
    for name, spill_chunk in [("in_memory", spool.SPILL_CHUNK), ("spilled", chunk)]:
        monkeypatch.setattr(spool, "SPILL_CHUNK", spill_chunk)
        monkeypatch.setattr(spool, "SPILL_MEMORY_BYTES", 64)
        (tmp_path / name).mkdir()
        app = open_app(make_deployment(tmp_path / name))
        try:
            message_id = receive(app, _mixed_interchange(6001))
            result = process_message(app.ctx, message_id)
            counts = (result.documents, result.duplicates, result.rejected, result.acks)
            seen.append((counts, _everything_stored(app, message_id)))
        finally:
            app.close()

    (plain_counts, plain), (spilled_counts, spilled) = seen
    assert plain_counts == (4, 2, 5, 1)  # the reference itself, so that the test can fail
    assert spilled_counts == plain_counts
    assert spilled == plain


def test_a_message_record_handed_in_is_processed_as_if_it_was_looked_up(app: App) -> None:
    first = receive(app, _orders_850(5101, ["PO-HANDED"]))
    other = receive(app, _orders_850(5102, ["PO-OTHER-RECORD"]))
    with app.ctx.uow() as uow:
        record, other_record = uow.messages.get(first), uow.messages.get(other)

    with pytest.raises(ValueError, match=f"message {other} was given for message {first}"):
        process_message(app.ctx, first, message=other_record)
    result = process_message(app.ctx, first, message=record)

    _, documents = _stored(app, first)
    assert (result.documents, [d.doc_number for d in documents]) == (1, ["PO-HANDED"])
    assert _stored(app, other) == ([], [])  # the refused call stored nothing
