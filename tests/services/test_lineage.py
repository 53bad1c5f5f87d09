"""Lineage both ways: a file down to documents, acks and dead letters; a document back up."""

from __future__ import annotations

from pathlib import Path

from e2e_support import REPO
from pipeline_support import receive

from b2bbridge.bootstrap import App
from b2bbridge.services.lineage import trace_document, trace_message
from b2bbridge.services.worker import drain

EXAMPLE = REPO / "examples" / "inbox" / "acme_850_20241104.x12"
BAD_SE = REPO / "tests" / "fixtures" / "inbound" / "acme_850_bad_se_count.x12"


def _processed(app: App, path: Path) -> int:
    message_id = receive(app, path.read_bytes(), path.name)
    drain(app.ctx)
    return message_id


def test_message_lineage_reaches_interchange_transactions_documents_and_ack(app: App) -> None:
    found = trace_message(app.ctx, _processed(app, EXAMPLE))
    (icx,) = found.interchanges
    assert (icx.record.control_number, icx.record.sender) == ("000000101", "ACMEBUYER")
    assert [(t.record.control_number, t.record.status) for t in icx.transactions] == [
        ("0001", "stored"),
        ("0002", "stored"),
    ]
    assert [[d.doc_number for d in t.documents] for t in icx.transactions] == [
        ["4500012345"],
        ["4500012346"],
    ]
    assert [o.record.kind for o in found.outbound] == ["997"]
    assert found.dead_letters == ()


def test_message_lineage_shows_the_dead_letter_of_a_rejected_transaction(app: App) -> None:
    found = trace_message(app.ctx, _processed(app, BAD_SE))
    statuses = [
        (t.record.control_number, t.record.status)
        for i in found.interchanges
        for t in i.transactions
    ]
    assert statuses == [("0001", "stored"), ("0002", "rejected")]
    (dead,) = found.dead_letters
    assert (dead.code, dead.location["transaction"], dead.location["line"]) == (
        "segment_count_mismatch",
        "0002",
        46,
    )


def test_document_trail_leads_back_to_the_file(app: App) -> None:
    message_id = _processed(app, EXAMPLE)
    doc = trace_message(app.ctx, message_id).documents[1]
    trail = trace_document(app.ctx, doc.id)
    assert trail.document.doc_number == "4500012346"
    assert trail.transaction is not None
    assert trail.transaction.control_number == "0002"
    assert trail.interchange is not None
    assert trail.interchange.control_number == "000000101"
    assert (trail.message.id, trail.message.filename) == (message_id, "acme_850_20241104.x12")
