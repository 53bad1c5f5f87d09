from fastapi.testclient import TestClient

from tests.api.conftest import bearer, order


def test_healthz_answers_ok_with_the_queue_depth(client: TestClient) -> None:
    r = client.get("/v1/healthz")
    assert (r.status_code, r.json()) == (200, {"status": "ok", "queue_pending": 0})


def test_metrics_count_requests_by_route_and_status(client: TestClient) -> None:
    client.post("/v1/orders", json=order(), headers=bearer())
    client.post("/v1/orders", json=order())
    text = client.get("/metrics").text
    assert 'b2bbridge_api_requests_total{route="/v1/orders",status="202"} 1.0' in text
    assert 'b2bbridge_api_requests_total{route="/v1/orders",status="401"} 1.0' in text
    assert 'b2bbridge_api_stored_bytes_total{partner="acme"}' in text


def test_the_openapi_document_publishes_the_order_schema_and_the_problem_responses(
    client: TestClient,
) -> None:
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/v1/orders"]["post"]
    assert "Order" in spec["components"]["schemas"]
    assert {"202", "401", "413", "422"} <= set(post["responses"])
    assert "application/edi-x12" in spec["paths"]["/v1/documents"]["post"]["requestBody"]["content"]


def test_an_unknown_path_is_a_problem_document(client: TestClient) -> None:
    r = client.get("/v2/nothing")
    assert (r.status_code, r.headers["content-type"]) == (404, "application/problem+json")
