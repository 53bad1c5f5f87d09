"""An EDI payload is processed from a stream that inflates as it is read, never whole."""

from __future__ import annotations

import pytest
from e2e_support import REPO, Deployment
from pipeline_support import order_850, receive

from b2bbridge.adapters.store.payloads import SqlPayloadRepository
from b2bbridge.bootstrap import App
from b2bbridge.services.worker import drain


def test_an_edi_message_is_processed_without_its_payload_read_whole(
    deployment: Deployment, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    receive(app, order_850(41, "PO-STREAM", lines=30))

    def whole(self: SqlPayloadRepository, sha256: str) -> bytes:
        raise AssertionError("the inbound pipeline read a payload whole")

    monkeypatch.setattr(SqlPayloadRepository, "get", whole)
    results = drain(app.ctx)

    assert [(r.documents, r.rejected) for r in results] == [(1, 0)]
    with app.ctx.uow() as uow:
        assert [d.doc_number for d in uow.documents.list()] == ["PO-STREAM"]


def test_a_json_payload_is_told_from_edi_by_its_head_and_mapped_whole(
    deployment: Deployment, app: App
) -> None:
    data = REPO.joinpath("tests", "fixtures", "mapping", "api_order.json").read_bytes()
    receive(app, data, "order.json")
    results = drain(app.ctx)
    with app.ctx.uow() as uow:
        stored = [(d.doc_type, d.partner) for d in uow.documents.list()]
    assert [(r.documents, r.rejected) for r in results] == [(1, 0)]
    assert stored == [("order", "acme")]
