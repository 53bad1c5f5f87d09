"""Intake: batched receive of large inboxes, and canonical orders stored in one commit."""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog

from b2bbridge.bootstrap import App, build_app
from b2bbridge.config import load_settings
from b2bbridge.core.model.order import Order
from b2bbridge.logs import configure_logging
from b2bbridge.services.intake import (
    message_lineage,
    receive_in_batches,
    receive_order,
)
from b2bbridge.services.run import SummaryRow
from tests.e2e_support import make_deployment

SOURCE = (Path(__file__).resolve().parents[1] / "fixtures" / "x12" / "850_two_pos.edi").read_bytes()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    make_deployment(tmp_path)
    built = build_app(load_settings(tmp_path / "b2bbridge.toml", env={}))
    yield built
    built.close()


def _fill(app: App, n: int) -> Path:
    inbox = app.settings.home / "var" / "partners" / "acme" / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    past = time.time() - 120
    for i in range(n):
        data = SOURCE.replace(b"000000123", f"{i + 1:09d}".encode()).replace(
            b"PO-100", f"PO{i:05d}-".encode()
        )
        path = inbox / f"po{i:05d}.edi"
        path.write_bytes(data)
        os.utime(path, (past, past))
    return inbox


@pytest.fixture
def quiet_logs() -> Iterator[None]:
    """Error-level logs only (10 lines per file would dominate), restored afterwards."""
    saved = structlog.get_config()
    configure_logging(level="error", fmt="json")
    yield
    structlog.configure(**saved)


@pytest.mark.usefixtures("quiet_logs")
def test_a_large_inbox_is_processed_in_batches_with_progress_and_flat_memory(app: App) -> None:
    inbox = _fill(app, 120)
    seen: list[int] = []
    memory: list[int] = []

    def progress(done: int, row: SummaryRow) -> None:
        seen.append(done)
        if done % 20 == 0:
            memory.append(tracemalloc.get_traced_memory()[0])

    tracemalloc.start()
    try:
        counts = receive_in_batches(
            app.ctx, [app.connectors["acme-folder"]], batch=20, progress=progress
        )
    finally:
        tracemalloc.stop()
    assert counts == {"acknowledged": 120}
    assert seen == list(range(1, 121))
    assert list(inbox.iterdir()) == []
    assert len(list((inbox.parent / "archive").iterdir())) == 120
    growth = memory[-1] - memory[0]
    assert growth < 2 * 2**20, f"memory grew by {growth} bytes over 6 batches"


def _rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.usefixtures("quiet_logs")
def test_ten_thousand_files_in_an_inbox_are_all_processed_with_flat_memory(app: App) -> None:
    """The issue's case at full size: every file stored, acknowledged and archived.

    Memory is the process's resident set at each tenth of the run (tracemalloc would
    double the run time at this size): after the first tenth it must not keep growing,
    which a leak of even a few kilobytes per file would break.
    """
    inbox = _fill(app, 10_000)
    marks: list[float] = []
    last_seen = 0

    def progress(done: int, row: SummaryRow) -> None:
        nonlocal last_seen
        assert done == last_seen + 1
        last_seen = done
        if done % 1_000 == 0:
            marks.append(_rss_mib())

    counts = receive_in_batches(
        app.ctx, [app.connectors["acme-folder"]], batch=500, progress=progress
    )
    assert counts == {"acknowledged": 10_000}
    assert last_seen == 10_000
    assert list(inbox.iterdir()) == []
    assert len(list((inbox.parent / "archive").iterdir())) == 10_000
    with app.ctx.uow() as uow:
        assert len(uow.documents.list(limit=30_000)) == 20_000  # two orders per file
    growth = max(marks[1:]) - marks[0]
    assert growth < 24, f"resident memory grew by {growth:.1f} MiB after the first tenth"


def test_an_order_is_stored_with_its_raw_payload_in_one_commit(app: App) -> None:
    data = b'{"number": "PO-9", "lines": [{"quantity": "2"}]}'
    order = Order.model_validate_json(data)
    got = receive_order(app.ctx, connector="api", partner="acme", data=data, order=order)
    view = message_lineage(app.ctx, got.message_id)
    assert (view["status"], view["syntax"]) == ("stored", "json")
    assert view["documents"] == [
        {"id": got.document_ids[0], "type": "order", "number": "PO-9", "transaction_id": None}
    ]


def test_a_repeated_order_number_is_a_new_message_but_not_a_new_document(app: App) -> None:
    data = b'{"number": "PO-10", "order_date": "2026-01-02"}'
    order = Order.model_validate_json(data)
    first = receive_order(app.ctx, connector="api", partner="acme", data=data, order=order)
    again = receive_order(app.ctx, connector="api", partner="acme", data=data + b" ", order=order)
    assert (first.new_documents, again.new_documents) == (1, 0)
    assert again.document_ids == first.document_ids
    assert message_lineage(app.ctx, again.message_id)["status"] == "duplicate"
