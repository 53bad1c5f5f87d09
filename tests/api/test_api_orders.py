import json

from fastapi.testclient import TestClient

from b2bbridge.bootstrap import App
from tests.api.conftest import bearer, order, signed


def test_a_canonical_order_is_answered_202_with_the_message_id_once_stored(
    client: TestClient, app: App
) -> None:
    r = client.post("/v1/orders", json=order(), headers=bearer())
    assert r.status_code == 202
    body = r.json()
    assert body["status"] == "stored"
    assert r.headers["location"] == f"/v1/messages/{body['message_id']}"
    with app.ctx.uow() as uow:
        msg = uow.messages.get(body["message_id"])
        [doc] = uow.documents.for_message(msg.id)
        raw = uow.payloads.get(msg.payload_sha256)
    assert (msg.partner, msg.connector, msg.status) == ("acme", "acme-http", "stored")
    assert (doc.doc_type, doc.doc_number, [doc.id]) == ("order", "PO-1001", body["document_ids"])
    assert json.loads(raw)["number"] == "PO-1001"


def test_a_request_without_a_key_is_refused_with_401_problem_json(client: TestClient) -> None:
    r = client.post("/v1/orders", json=order())
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert r.json()["type"] == "https://b2bbridge.dev/problems/unauthenticated"


def test_a_wrong_api_key_is_refused(client: TestClient) -> None:
    r = client.post("/v1/orders", json=order(), headers={"Authorization": "Bearer nope"})
    assert (r.status_code, r.json()["detail"]) == (401, "the API key is not valid")


def test_a_correctly_signed_request_is_accepted(client: TestClient) -> None:
    data = json.dumps(order("PO-SIGNED")).encode()
    r = client.post("/v1/orders", content=data, headers=signed(data))
    assert (r.status_code, r.json()["status"]) == (202, "stored")


def test_a_wrong_hmac_signature_is_refused_and_nothing_is_stored(
    client: TestClient, app: App
) -> None:
    data = json.dumps(order("PO-FORGED")).encode()
    r = client.post("/v1/orders", content=data, headers=signed(data, secret="not-the-secret"))
    assert (r.status_code, r.json()["title"]) == (401, "The request signature does not match")
    with app.ctx.uow() as uow:
        assert uow.messages.list() == []


def test_a_body_over_the_size_limit_is_refused_with_413_before_storing(
    client: TestClient, app: App
) -> None:
    r = client.post("/v1/orders", json=order(lines=2000), headers=bearer())
    assert r.status_code == 413
    assert r.json()["type"].endswith("/payload_too_large")
    with app.ctx.uow() as uow:
        assert uow.messages.list() == []


def test_the_same_idempotency_key_twice_gives_one_message_and_the_same_answer(
    client: TestClient, app: App
) -> None:
    headers = {**bearer(), "Idempotency-Key": "req-42"}
    first = client.post("/v1/orders", json=order("PO-IDEM"), headers=headers)
    second = client.post("/v1/orders", json=order("PO-IDEM"), headers=headers)
    assert (first.status_code, second.status_code) == (202, 202)
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    with app.ctx.uow() as uow:
        assert len(uow.messages.list()) == 1


def test_an_idempotency_key_reused_with_another_body_is_refused(client: TestClient) -> None:
    headers = {**bearer(), "Idempotency-Key": "req-43"}
    client.post("/v1/orders", json=order("PO-A"), headers=headers)
    r = client.post("/v1/orders", json=order("PO-B"), headers=headers)
    assert (r.status_code, r.json()["type"]) == (
        422,
        "https://b2bbridge.dev/problems/idempotency_key_reused",
    )


def test_a_keyed_retry_after_a_restart_returns_the_stored_message(
    client: TestClient, app: App
) -> None:
    from b2bbridge.api import create_api

    headers = {**bearer(), "Idempotency-Key": "req-44"}
    first = client.post("/v1/orders", json=order("PO-R"), headers=headers).json()
    with TestClient(create_api(app.ctx)) as restarted:
        again = restarted.post("/v1/orders", json=order("PO-R"), headers=headers)
    assert again.json()["message_id"] == first["message_id"]
    with app.ctx.uow() as uow:
        assert len(uow.messages.list()) == 1


def test_a_bad_field_is_named_by_its_json_pointer(client: TestClient) -> None:
    bad = order()
    bad["lines"][1]["quantity"] = "lots"  # type: ignore[index]
    r = client.post("/v1/orders", json=bad, headers=bearer())
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["pointer"] == "#/lines/1/quantity"
    assert r.json()["detail"] == "invalid value at #/lines/1/quantity"


def test_an_order_naming_another_partner_is_refused(client: TestClient) -> None:
    r = client.post("/v1/orders", json={**order(), "partner": "globex"}, headers=bearer())
    assert (r.status_code, r.json()["errors"][0]["pointer"]) == (422, "#/partner")


def test_the_same_order_number_twice_without_a_key_stores_one_document(
    client: TestClient, app: App
) -> None:
    client.post("/v1/orders", json=order("PO-DUP"), headers=bearer())
    r = client.post("/v1/orders", json=order("PO-DUP"), headers=bearer())
    assert r.json()["status"] == "duplicate"
    with app.ctx.uow() as uow:
        assert len(uow.documents.list(partner="acme")) == 1


PARTNER_JSON = "application/vnd.b2bbridge.partner-order+json"


def test_a_partners_own_json_is_read_through_its_json_mapping(client: TestClient, app: App) -> None:
    body = {
        "po_number": "ACME-77",
        "order_date": "2026-03-02",
        "currency": "usd",
        "lines": [{"line": "1", "sku": "W-1", "quantity": 4, "unit": "EA", "unit_price": 2.5}],
    }
    r = client.post(
        "/v1/orders",
        content=json.dumps(body).encode(),
        headers={**bearer(), "Content-Type": PARTNER_JSON},
    )
    assert r.status_code == 202, r.text
    with app.ctx.uow() as uow:
        [doc] = uow.documents.for_message(r.json()["message_id"])
    stored = json.loads(doc.body)
    assert (doc.doc_number, stored["currency"]) == ("ACME-77", "USD")


def test_partner_json_that_its_mapping_cannot_read_names_the_rule(client: TestClient) -> None:
    r = client.post(
        "/v1/orders",
        content=b'{"order_date": "2026-03-02"}',
        headers={**bearer(), "Content-Type": PARTNER_JSON},
    )
    assert r.status_code == 422
    assert "number" in r.json()["detail"]


def test_an_order_in_another_media_type_is_refused_with_415(client: TestClient) -> None:
    r = client.post(
        "/v1/orders", content=b"<order/>", headers={**bearer(), "Content-Type": "text/xml"}
    )
    assert r.status_code == 415
