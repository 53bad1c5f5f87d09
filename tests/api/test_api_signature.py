"""Signed requests: the signature covers X-B2B-Timestamp, and a stale one is refused."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from b2bbridge.adapters.connectors.http import sign
from b2bbridge.api import create_api
from b2bbridge.bootstrap import App
from b2bbridge.config import ApiSettings
from tests.api.conftest import HMAC_SECRET, bearer, order, signed

NOW = 1_767_225_600  # 2026-01-01T00:00:00Z, the server's clock in these tests


class StoppedClock:
    def now(self) -> datetime:
        return datetime.fromtimestamp(NOW, UTC)


@pytest.fixture
def stopped(app: App) -> Iterator[TestClient]:
    """The API with its clock stopped at NOW and the default 300 s window."""
    ctx = dataclasses.replace(app.ctx, clock=StoppedClock())
    with TestClient(create_api(ctx)) as c:
        yield c


def _body(number: str) -> bytes:
    return json.dumps(order(number)).encode()


def _count(app: App) -> int:
    with app.ctx.uow() as uow:
        return len(uow.messages.list())


def test_a_request_signed_within_the_window_is_accepted(stopped: TestClient) -> None:
    data = _body("PO-FRESH")
    r = stopped.post("/v1/orders", content=data, headers=signed(data, timestamp=NOW - 299))
    assert (r.status_code, r.json()["status"]) == (202, "stored")


def test_a_wrong_hmac_is_refused_as_signature_invalid(stopped: TestClient, app: App) -> None:
    data = _body("PO-WRONG")
    headers = signed(data, timestamp=NOW, secret="not-the-secret")
    r = stopped.post("/v1/orders", content=data, headers=headers)
    assert (r.status_code, r.json()["type"]) == (
        401,
        "https://b2bbridge.dev/problems/signature_invalid",
    )
    assert _count(app) == 0


def test_a_signature_of_the_body_alone_no_longer_verifies(stopped: TestClient) -> None:
    data = _body("PO-OLDSTYLE")
    headers = signed(data, timestamp=NOW)
    body_only = hmac.new(HMAC_SECRET.encode(), data, hashlib.sha256).hexdigest()
    headers["X-B2B-Signature"] = f"sha256={body_only}"
    r = stopped.post("/v1/orders", content=data, headers=headers)
    assert r.json()["type"].endswith("/signature_invalid")


def test_a_captured_request_replayed_with_a_new_timestamp_fails_its_signature(
    stopped: TestClient,
) -> None:
    data = _body("PO-REPLAY")
    headers = signed(data, timestamp=NOW - 3600)
    headers["X-B2B-Timestamp"] = str(NOW)
    r = stopped.post("/v1/orders", content=data, headers=headers)
    assert r.json()["type"].endswith("/signature_invalid")


@pytest.mark.parametrize("offset", [-301, 301, -86_400])
def test_a_timestamp_outside_the_window_is_refused_naming_the_header(
    stopped: TestClient, app: App, offset: int
) -> None:
    data = _body("PO-STALE")
    r = stopped.post("/v1/orders", content=data, headers=signed(data, timestamp=NOW + offset))
    problem = r.json()
    assert (r.status_code, problem["type"]) == (
        401,
        "https://b2bbridge.dev/problems/timestamp_invalid",
    )
    assert problem["detail"] == (
        f"X-B2B-Timestamp is {abs(offset)} s from the server's clock; at most 300 s is accepted"
    )
    assert problem["errors"][0]["header"] == "X-B2B-Timestamp"
    assert _count(app) == 0


def test_a_signed_request_without_a_timestamp_is_refused_naming_the_header(
    stopped: TestClient,
) -> None:
    data = _body("PO-NOTS")
    headers = signed(data, timestamp=NOW)
    del headers["X-B2B-Timestamp"]
    r = stopped.post("/v1/orders", content=data, headers=headers)
    assert (r.status_code, r.json()["type"]) == (
        401,
        "https://b2bbridge.dev/problems/timestamp_missing",
    )
    assert r.json()["errors"] == [
        {
            "header": "X-B2B-Timestamp",
            "detail": "a signed request sends X-B2B-Timestamp: <unix seconds>, and signs it",
        }
    ]


@pytest.mark.parametrize("value", ["2026-01-01T00:00:00Z", "1767225600.5", "-5"])
def test_a_timestamp_that_is_not_whole_unix_seconds_is_refused(
    stopped: TestClient, value: str
) -> None:
    data = _body("PO-BADTS")
    headers = {**signed(data, timestamp=NOW), "X-B2B-Timestamp": value}
    headers["X-B2B-Signature"] = sign(HMAC_SECRET, data, value)
    r = stopped.post("/v1/orders", content=data, headers=headers)
    assert (r.status_code, r.json()["type"]) == (
        401,
        "https://b2bbridge.dev/problems/timestamp_invalid",
    )


def test_the_window_is_a_setting(app: App) -> None:
    ctx = dataclasses.replace(app.ctx, clock=StoppedClock())
    narrow = ApiSettings(signature_max_skew_seconds=10)
    data = _body("PO-NARROW")
    with TestClient(create_api(ctx, settings=narrow)) as c:
        late = c.post("/v1/orders", content=data, headers=signed(data, timestamp=NOW - 11))
        fresh = c.post("/v1/orders", content=data, headers=signed(data, timestamp=NOW - 10))
    assert (late.status_code, fresh.status_code) == (401, 202)


def test_the_api_key_path_needs_no_timestamp(stopped: TestClient) -> None:
    r = stopped.post("/v1/orders", json=order("PO-KEYED"), headers=bearer())
    assert r.status_code == 202
