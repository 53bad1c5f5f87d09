"""Orders into Tryton sales against a mock server: found by reference and buyer, not duplicated."""

from __future__ import annotations

import json
from typing import Any

import httpx

from b2bbridge.adapters.systems.tryton_rpc import TrytonClient
from b2bbridge.adapters.systems.tryton_sales import upsert_orders
from b2bbridge.ports import SyncRecord


class SalesServer:
    def __init__(self, sales: list[dict[str, Any]]) -> None:
        self.sales = sales
        self.calls: list[tuple[str, list[Any]]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        method, params = body["method"], body["params"]
        if method == "common.db.login":
            return httpx.Response(200, json={"id": 1, "result": [1, "t"]})
        if method == "model.res.user.get_preferences":
            return httpx.Response(200, json={"id": 1, "result": {"company": 1}})
        self.calls.append((method, params[:-1]))
        answers: dict[str, Any] = {
            "model.sale.sale.search_read": self.sales,
            "model.party.party.search_read": [{"id": 5, "addresses": [8]}],
            "model.company.company.read": [{"id": 1, "currency": 1}],
            "model.sale.sale.create": [10],
        }
        return httpx.Response(200, json={"id": 1, "result": answers.get(method)})


def order(number: str, buyer: str) -> SyncRecord:
    fields: dict[str, object] = {
        "number": number,
        "parties": [{"role": "buyer", "id": buyer}],
        "lines": [],
    }
    return SyncRecord("order", number, fields)


def client(server: SalesServer) -> TrytonClient:
    return TrytonClient("http://t.test", "erp", "a", "b", transport=httpx.MockTransport(server))


def test_a_sale_left_in_draft_by_a_crash_is_confirmed_not_created_again() -> None:
    server = SalesServer(
        [{"id": 41, "reference": "PO-1", "party.": {"code": "ACME"}, "state": "draft"}]
    )

    ids = upsert_orders(client(server), [order("PO-1", "ACME")], confirm=True)

    assert ids == ["41"]
    assert [m for m, _ in server.calls] == [
        "model.sale.sale.search_read",
        "model.sale.sale.quote",
        "model.sale.sale.confirm",
    ]
    assert server.calls[-1][1] == [[41]]


def test_an_already_confirmed_sale_is_left_alone() -> None:
    server = SalesServer(
        [{"id": 7, "reference": "PO-2", "party.": {"code": "ACME"}, "state": "processing"}]
    )

    assert upsert_orders(client(server), [order("PO-2", "ACME")], confirm=True) == ["7"]
    assert [m for m, _ in server.calls] == ["model.sale.sale.search_read"]


def test_another_buyers_sale_with_the_same_number_is_not_taken_for_ours() -> None:
    theirs = {"id": 9, "reference": "PO-3", "party.": {"code": "GLOBEX"}, "state": "draft"}
    server = SalesServer([theirs])

    ids = upsert_orders(client(server), [order("PO-3", "ACME")], confirm=True)

    assert ids == ["10"]
    created = next(params for method, params in server.calls if method == "model.sale.sale.create")
    assert (created[0][0]["reference"], created[0][0]["party"]) == ("PO-3", 5)
    assert ("model.sale.sale.quote", [[10]]) in server.calls
    assert ("model.sale.sale.quote", [[9]]) not in server.calls
