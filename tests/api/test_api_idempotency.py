"""Idempotency-Key kept in the store: shared by API instances, survives restarts, expires."""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from b2bbridge.api import create_api, routes
from b2bbridge.api import idempotency as api_idempotency
from b2bbridge.api import writer as writer_module
from b2bbridge.bootstrap import App
from b2bbridge.config import ApiSettings
from b2bbridge.services.idempotency import IdempotencyLedger, KeyPolicy, KeyRequest
from tests.api.conftest import bearer, deploy, order

X12 = (Path(__file__).parents[1] / "fixtures" / "x12" / "850_two_pos.edi").read_bytes()
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(params=["sqlite", "postgresql"])
def twin_apps(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[App, App]]:
    """Two deployments (as two API processes would be) on one database."""
    admin = None
    if request.param == "postgresql":
        admin = create_engine(POSTGRES_URL)
        schema = f"b2b_api_{secrets.token_hex(5)}"
        with admin.begin() as c:
            c.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp_path / 'shared.db'}"
    env = {"B2BBRIDGE_DATABASE_URL": url}
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
    first = deploy(tmp_path / "one", env=env)
    second = deploy(tmp_path / "two", env=env)
    try:
        yield first, second
    finally:
        first.close()
        second.close()
        if admin is not None:
            with admin.begin() as c:
                c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def _keyed(key: str) -> dict[str, str]:
    return {**bearer(), "Idempotency-Key": key}


def _message_count(app: App) -> int:
    with app.ctx.uow() as uow:
        return len(uow.messages.list())


def test_the_same_key_on_two_api_instances_gives_one_message_and_one_answer(
    twin_apps: tuple[App, App],
) -> None:
    one, two = twin_apps
    with TestClient(create_api(one.ctx)) as a, TestClient(create_api(two.ctx)) as b:
        first = a.post("/v1/orders", json=order("PO-TWIN"), headers=_keyed("twin-1"))
        again = b.post("/v1/orders", json=order("PO-TWIN"), headers=_keyed("twin-1"))
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert _message_count(one) == 1


def test_concurrent_requests_with_one_key_on_two_instances_store_one_message(
    twin_apps: tuple[App, App],
) -> None:
    one, two = twin_apps
    body = json.dumps(order("PO-RACE")).encode()
    start = threading.Barrier(4)
    answers: list[httpx.Response] = []
    with TestClient(create_api(one.ctx)) as a, TestClient(create_api(two.ctx)) as b:

        def post(client: TestClient) -> None:
            start.wait()
            headers = {**_keyed("race-1"), "Content-Type": "application/json"}
            answers.append(client.post("/v1/orders", content=body, headers=headers))

        threads = [threading.Thread(target=post, args=(c,)) for c in (a, b, a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    accepted = [r.json()["message_id"] for r in answers if r.status_code == 202]
    assert {r.status_code for r in answers} <= {202, 409}
    assert len(accepted) >= 1
    assert len(set(accepted)) == 1
    assert _message_count(one) == 1


def test_a_key_still_in_flight_elsewhere_is_answered_409_with_retry_after(
    client: TestClient, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = json.dumps(order("PO-FLIGHT")).encode()
    with app.ctx.uow() as uow:  # another process claimed the key and is storing
        uow.idempotency.claim("acme", "flight-1", hashlib.sha256(body).hexdigest())
        uow.commit()
    monkeypatch.setattr(api_idempotency, "WAIT_SECONDS", 0.0)
    headers = {**_keyed("flight-1"), "Content-Type": "application/json"}
    r = client.post("/v1/orders", content=body, headers=headers)
    assert (r.status_code, r.headers["retry-after"]) == (409, "1")
    assert r.json()["type"].endswith("/idempotency_key_in_flight")
    assert _message_count(app) == 0


def test_a_claim_abandoned_by_a_dead_process_is_taken_over_and_stored_once(app: App) -> None:
    body = json.dumps(order("PO-ORPHAN")).encode()
    with app.ctx.uow() as uow:
        uow.idempotency.claim("acme", "orphan-1", hashlib.sha256(body).hexdigest())
        uow.commit()
    settings = ApiSettings(idempotency_in_flight_seconds=1e-6)
    with TestClient(create_api(app.ctx, settings=settings)) as client:
        headers = {**_keyed("orphan-1"), "Content-Type": "application/json"}
        first = client.post("/v1/orders", content=body, headers=headers)
        again = client.post("/v1/orders", content=body, headers=headers)
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == first.json()
    assert _message_count(app) == 1


def test_a_process_that_died_after_storing_is_answered_with_its_message(
    client: TestClient, app: App
) -> None:
    body = json.dumps(order("PO-HALF")).encode()
    stored = client.post(
        "/v1/orders", content=body, headers={**bearer(), "Content-Type": "application/json"}
    ).json()
    with app.ctx.uow() as uow:  # its claim was made, its answer never recorded
        uow.idempotency.claim("acme", "half-1", hashlib.sha256(body).hexdigest())
        uow.commit()
    settings = ApiSettings(idempotency_in_flight_seconds=1e-6)
    with TestClient(create_api(app.ctx, settings=settings)) as retry:
        headers = {**_keyed("half-1"), "Content-Type": "application/json"}
        r = retry.post("/v1/orders", content=body, headers=headers)
    assert (r.status_code, r.json()["message_id"]) == (202, stored["message_id"])
    assert r.headers["idempotent-replayed"] == "true"
    assert _message_count(app) == 1


def test_an_order_that_failed_to_store_releases_its_key_for_the_retry(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_module, "receive_orders", _fails_once(writer_module.receive_orders))
    with TestClient(create_api(app.ctx), raise_server_exceptions=False) as client:
        failed = client.post("/v1/orders", json=order("PO-FAIL"), headers=_keyed("fail-1"))
        retried = client.post("/v1/orders", json=order("PO-FAIL"), headers=_keyed("fail-1"))
    assert (failed.status_code, retried.status_code) == (500, 202)
    assert "idempotent-replayed" not in retried.headers
    assert _message_count(app) == 1


def test_a_document_that_failed_to_store_releases_its_key_for_the_retry(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes, "receive_pushed", _fails_once(routes.receive_pushed))
    headers = {**_keyed("fail-2"), "Content-Type": "application/edi-x12"}
    with TestClient(create_api(app.ctx), raise_server_exceptions=False) as client:
        failed = client.post("/v1/documents", content=X12, headers=headers)
        retried = client.post("/v1/documents", content=X12, headers=headers)
        replayed = client.post("/v1/documents", content=X12, headers=headers)
    assert (failed.status_code, retried.status_code, replayed.status_code) == (500, 202, 202)
    assert replayed.json() == retried.json()
    assert _message_count(app) == 1


def _fails_once(real: Callable[..., Any]) -> Callable[..., Any]:
    calls = [0]

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == 1:
            raise OSError("disk full")
        return real(*args, **kwargs)

    return wrapped


def test_keys_older_than_the_retention_are_pruned_and_free_to_reuse(
    client: TestClient, app: App
) -> None:
    client.post("/v1/orders", json=order("PO-OLD"), headers=_keyed("old-1"))
    ledger = IdempotencyLedger(app.ctx, KeyPolicy(retention=timedelta(0)))
    assert ledger.prune() == 1
    r = client.post("/v1/orders", json=order("PO-NEW"), headers=_keyed("old-1"))
    assert r.status_code == 202
    assert "idempotent-replayed" not in r.headers


def test_keys_within_the_retention_are_kept(client: TestClient, app: App) -> None:
    client.post("/v1/orders", json=order("PO-KEEP"), headers=_keyed("keep-1"))
    assert IdempotencyLedger(app.ctx, KeyPolicy(retention=timedelta(hours=24))).prune() == 0
    r = client.post("/v1/orders", json=order("PO-OTHER"), headers=_keyed("keep-1"))
    assert r.status_code == 422


def test_a_batch_of_claims_answers_in_the_order_asked_whatever_order_it_inserts_in(
    app: App,
) -> None:
    ledger = IdempotencyLedger(app.ctx)
    assert ledger.claim("acme", "a", "1" * 64) is None
    b_first, a_again, b_again = ledger.claim_many(
        [
            KeyRequest("acme", "b", "2" * 64),
            KeyRequest("acme", "a", "1" * 64),
            KeyRequest("acme", "b", "3" * 64),
        ]
    )
    assert b_first is None
    assert a_again is not None
    assert (a_again.key, a_again.request_sha256) == ("a", "1" * 64)
    assert b_again is not None
    assert (b_again.key, b_again.request_sha256) == ("b", "2" * 64)
