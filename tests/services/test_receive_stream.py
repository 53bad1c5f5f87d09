"""Receiving from a stream: hashed and compressed piece by piece, stored byte for byte."""

from __future__ import annotations

import io
import random

import pytest
from e2e_support import Deployment
from pipeline_support import order_850

from b2bbridge.adapters.connectors.folder import FolderConnector
from b2bbridge.bootstrap import App
from b2bbridge.ports import InboundFile
from b2bbridge.services.receive import receive_item, receive_stream


def _big_payload() -> bytes:
    noise = random.Random(7).randbytes(3 * 1024 * 1024)  # more than one piece, hardly compressible
    return order_850(51, "PO-BIG") + noise


def test_a_streamed_payload_is_stored_whole_and_sniffed_from_its_head(
    deployment: Deployment, app: App
) -> None:
    data = _big_payload()
    got = receive_stream(
        app.ctx,
        connector="acme-folder",
        partner="acme",
        filename="big.x12",
        source=io.BytesIO(data),
    )
    with app.ctx.uow() as uow:
        msg = uow.messages.get(got.message_id)
        stored = uow.payloads.get(msg.payload_sha256)
    assert (stored == data, msg.size, msg.syntax) == (True, len(data), "x12")


def test_the_same_bytes_streamed_twice_are_a_duplicate_of_the_first(
    deployment: Deployment, app: App
) -> None:
    data = _big_payload()
    first, second = (
        receive_stream(
            app.ctx, connector="acme-folder", partner="acme", filename=n, source=io.BytesIO(data)
        )
        for n in ("a.x12", "b.x12")
    )
    assert (first.duplicate_of, second.duplicate_of) == (None, first.message_id)


def test_a_folder_file_is_received_through_its_stream_not_fetched_whole(
    deployment: Deployment, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = app.ctx.connectors["acme-folder"]
    assert isinstance(folder, FolderConnector)
    inbox = folder.options.inbox
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / "po.x12").write_bytes(order_850(52, "PO-STREAMED"))

    def whole(self: FolderConnector, item: InboundFile) -> bytes:
        raise AssertionError("fetched whole")

    monkeypatch.setattr(FolderConnector, "fetch", whole)
    item = InboundFile("acme-folder", "po.x12", "po.x12", 0)
    got = receive_item(app.ctx, folder, item)
    with app.ctx.uow() as uow:
        msg = uow.messages.get(got.message_id)
    assert (msg.filename, msg.size) == ("po.x12", len(order_850(52, "PO-STREAMED")))
