from pathlib import Path

from fastapi.testclient import TestClient

from b2bbridge.bootstrap import App
from b2bbridge.services.worker import drain
from tests.api.conftest import bearer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
X12 = (FIXTURES / "x12" / "850_two_pos.edi").read_bytes()


def _post(client: TestClient, data: bytes, content_type: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/v1/documents",
        content=data,
        headers={**bearer(), "Content-Type": content_type, **headers},
        params={"filename": "po.edi"},
    )


def test_an_x12_document_is_stored_queued_and_answered_202(client: TestClient, app: App) -> None:
    r = _post(client, X12, "application/edi-x12")
    assert (r.status_code, r.json()["status"]) == (202, "queued")
    with app.ctx.uow() as uow:
        msg = uow.messages.get(r.json()["message_id"])
    assert (msg.filename, msg.syntax, msg.size) == ("po.edi", "x12", len(X12))
    assert app.ctx.queue.pending_count() == 1


def test_the_message_view_shows_status_lineage_and_acks_after_processing(
    client: TestClient, app: App
) -> None:
    message_id = _post(client, X12, "application/edi-x12").json()["message_id"]
    drain(app.ctx)
    view = client.get(f"/v1/messages/{message_id}", headers=bearer()).json()
    assert view["status"] == "acknowledged"
    [interchange] = view["interchanges"]
    assert interchange["control_number"] == "000000123"
    assert [t["control_number"] for t in interchange["transactions"]] == ["0001", "0002"]
    assert sorted(d["number"] for d in view["documents"]) == ["PO-1001", "PO-1002"]
    assert [a["kind"] for a in view["acks"]] == ["997"]


def test_a_document_with_a_bad_se_count_is_refused_naming_the_segment(
    client: TestClient, app: App
) -> None:
    bad = (FIXTURES / "x12" / "850_bad_se_count.edi").read_bytes()
    r = _post(client, bad, "application/edi-x12")
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert error["segment"] == "SE"
    assert "SE" in r.json()["detail"]
    with app.ctx.uow() as uow:
        assert uow.messages.list() == []


def test_a_body_that_contradicts_its_content_type_is_refused(client: TestClient) -> None:
    r = _post(client, X12, "application/edifact")
    assert r.status_code == 422
    assert r.json()["detail"] == "the content type says edifact, but the body reads as x12"


def test_an_unsupported_content_type_is_refused_with_415(client: TestClient) -> None:
    r = _post(client, X12, "application/pdf")
    assert (r.status_code, r.json()["type"]) == (
        415,
        "https://b2bbridge.dev/problems/unsupported_media_type",
    )


def test_the_same_document_twice_with_one_idempotency_key_is_one_message(
    client: TestClient, app: App
) -> None:
    first = _post(client, X12, "application/edi-x12", **{"Idempotency-Key": "doc-1"})
    second = _post(client, X12, "application/edi-x12", **{"Idempotency-Key": "doc-1"})
    assert second.json()["message_id"] == first.json()["message_id"]
    with app.ctx.uow() as uow:
        assert len(uow.messages.list()) == 1


def test_another_partners_message_is_not_found(client: TestClient, app: App) -> None:
    from b2bbridge.services.receive import receive_payload

    other = receive_payload(app.ctx, connector="x", partner="globex", filename=None, data=X12)
    r = client.get(f"/v1/messages/{other.message_id}", headers=bearer())
    assert (r.status_code, r.json()["title"]) == (404, "No such resource")
