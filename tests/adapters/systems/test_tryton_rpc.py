"""The Tryton JSON-RPC client against a mock transport: protocol, types and error mapping."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from b2bbridge.adapters.systems.errors import SystemRejectedError, SystemUnavailableError
from b2bbridge.adapters.systems.tryton_rpc import TrytonClient, decode_object, encode_value
from b2bbridge.core.errors import Disposition


class FakeTryton:
    """Answers login, preferences and one model method; records every request."""

    def __init__(self, result: object = None, status: int = 200) -> None:
        self.requests: list[tuple[str, dict[str, Any], str | None]] = []
        self.result, self.status = result, status
        self.expire_next_call = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.requests.append((body["method"], body, request.headers.get("Authorization")))
        if body["method"] == "common.db.login":
            return httpx.Response(200, json={"id": body["id"], "result": [7, "tok", None]})
        if body["method"] == "model.res.user.get_preferences":
            return httpx.Response(
                200, json={"id": body["id"], "result": {"company": 1, "language": "en"}}
            )
        if self.expire_next_call:
            self.expire_next_call = False
            return httpx.Response(401)
        return httpx.Response(self.status, json={"id": body["id"], "result": self.result})


def client_for(fake: FakeTryton) -> TrytonClient:
    return TrytonClient(
        "http://tryton.test", "erp", "admin", "pw", transport=httpx.MockTransport(fake)
    )


def test_calls_carry_a_session_header_built_from_login_uid_and_token() -> None:
    fake = FakeTryton(result=[])
    client_for(fake).model("sale.sale", "search", [], 0, None, None)

    method, _, auth = fake.requests[-1]
    assert method == "model.sale.sale.search"
    assert auth == "Session " + base64.b64encode(b"admin:7:tok").decode()


def test_the_user_context_is_always_the_last_parameter() -> None:
    fake = FakeTryton(result=[])
    client_for(fake).model("sale.sale", "read", [1], ["state"])

    assert fake.requests[-1][1]["params"] == [[1], ["state"], {"company": 1, "language": "en"}]


def test_extra_context_is_merged_into_the_last_parameter() -> None:
    fake = FakeTryton(result=[])
    client_for(fake).call("model.product.product.read", [1], ["quantity"], extra={"locations": [5]})

    assert fake.requests[-1][1]["params"][-1] == {"company": 1, "language": "en", "locations": [5]}


def test_logging_in_happens_once_for_many_calls() -> None:
    fake = FakeTryton(result=[])
    client = client_for(fake)
    for _ in range(3):
        client.model("sale.sale", "search", [], 0, None, None)

    assert [m for m, _, _ in fake.requests].count("common.db.login") == 1


def test_an_expired_session_is_renewed_once_and_the_call_repeated() -> None:
    fake = FakeTryton(result=[42])
    client = client_for(fake)
    client.login()
    fake.expire_next_call = True

    assert client.model("sale.sale", "search", [], 0, None, None) == [42]
    assert [m for m, _, _ in fake.requests].count("common.db.login") == 2


@pytest.mark.parametrize("status", [429, 500, 503])
def test_overload_and_server_errors_are_retryable(status: int) -> None:
    with pytest.raises(SystemUnavailableError) as caught:
        client_for(FakeTryton(status=status)).model("sale.sale", "search", [])
    assert caught.value.disposition is Disposition.RETRY


def test_a_refused_connection_is_retryable_and_names_the_database() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = TrytonClient(
        "http://tryton.test", "erp", "a", "b", transport=httpx.MockTransport(refuse)
    )
    with pytest.raises(SystemUnavailableError) as caught:
        client.login()
    assert caught.value.location.file == "tryton:erp"


@pytest.mark.parametrize("status", [403, 422])
def test_a_forbidden_or_malformed_call_is_rejected_not_retried(status: int) -> None:
    with pytest.raises(SystemRejectedError) as caught:
        client_for(FakeTryton(status=status)).model("sale.sale", "delete", [1])
    assert caught.value.disposition is Disposition.REJECT


def test_a_user_error_in_the_answer_is_rejected_with_its_text() -> None:
    def user_error(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body["method"] == "common.db.login":
            return httpx.Response(200, json={"id": 1, "result": [1, "t"]})
        return httpx.Response(200, json={"id": 2, "error": ["UserError", ["phone not valid"]]})

    client = TrytonClient(
        "http://t.test", "erp", "a", "b", transport=httpx.MockTransport(user_error)
    )
    with pytest.raises(SystemRejectedError, match="phone not valid"):
        client.model("party.party", "create", [{}])


def test_a_wrong_password_is_rejected() -> None:
    client = TrytonClient(
        "http://t.test",
        "erp",
        "a",
        "b",
        transport=httpx.MockTransport(lambda r: httpx.Response(401)),
    )
    with pytest.raises(SystemRejectedError, match="401"):
        client.login()


def test_decimal_date_and_aware_datetime_travel_as_tagged_objects() -> None:
    moment = datetime(2026, 11, 22, 10, 30, 5, 123, tzinfo=UTC)

    encoded = encode_value([Decimal("10.50"), date(2026, 1, 2), moment])

    assert encoded == [
        {"__class__": "Decimal", "decimal": "10.50"},
        {"__class__": "date", "year": 2026, "month": 1, "day": 2},
        {
            "__class__": "datetime",
            "year": 2026,
            "month": 11,
            "day": 22,
            "hour": 10,
            "minute": 30,
            "second": 5,
            "microsecond": 123,
        },
    ]
    decoded = json.loads(json.dumps(encoded), object_hook=decode_object)
    assert decoded == [Decimal("10.50"), date(2026, 1, 2), moment]


def test_tuples_in_domains_become_lists() -> None:
    assert encode_value([("write_date", ">=", date(2026, 1, 1))]) == [
        ["write_date", ">=", {"__class__": "date", "year": 2026, "month": 1, "day": 1}]
    ]
