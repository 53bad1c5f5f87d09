from collections.abc import Iterator

from fastapi.testclient import TestClient

from b2bbridge.bootstrap import App
from tests.api.conftest import bearer


def _chunks(total: int, size: int = 4096) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b" " * min(size, total - sent)
        sent += size


def test_a_chunked_body_without_a_length_is_cut_off_at_the_limit(
    client: TestClient, app: App
) -> None:
    r = client.post(
        "/v1/orders",
        content=_chunks(200_000),
        headers={**bearer(), "Content-Type": "application/json"},
    )
    assert r.status_code == 413
    assert r.json()["detail"] == "the body is larger than 65536 bytes"
    with app.ctx.uow() as uow:
        assert uow.messages.list() == []


def test_a_declared_length_over_the_limit_is_refused_before_authentication(
    client: TestClient,
) -> None:
    r = client.post("/v1/orders", content=b"{" + b" " * 70_000 + b"}")
    assert r.status_code == 413
