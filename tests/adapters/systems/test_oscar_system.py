"""The Oscar adapter against a mock shop: stock records, order status via the dashboard."""

from __future__ import annotations

import json

import httpx
import pytest

from b2bbridge.adapters.systems.errors import SystemRejectedError, SystemUnavailableError
from b2bbridge.adapters.systems.oscar import OscarSystem
from b2bbridge.adapters.systems.oscar_http import OscarHttp
from b2bbridge.ports import SyncRecord

BASE = "http://shop.test"


class FakeShop:
    def __init__(self) -> None:
        self.patches: list[tuple[str, object]] = []
        self.posts: list[tuple[str, dict[str, str]]] = []
        self.status = "Pending"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        if path == "/api/admin/products/":
            return httpx.Response(200, json=[{"url": f"{BASE}/api/admin/products/1/"}])
        if path == "/api/admin/products/1/":
            stock = {"partner_sku": "W-1", "url": f"{BASE}/api/admin/stockrecords/9/"}
            return httpx.Response(200, json={"stockrecords": [stock]})
        if path == "/api/admin/stockrecords/9/" and method == "PATCH":
            self.patches.append((path, json.loads(request.content)))
            return httpx.Response(200, json={})
        if path == "/api/admin/orders/":
            return httpx.Response(200, json=[{"number": "100001", "status": self.status}])
        if path == "/accounts/login/":
            return httpx.Response(
                302 if method == "POST" else 200, headers={"set-cookie": "csrftoken=abc; Path=/"}
            )
        if path.startswith("/dashboard/orders/"):
            if method == "POST":
                form = dict(httpx.QueryParams(request.content.decode()))
                self.posts.append((path, form))
                self.status = form["new_status"]
            return httpx.Response(200)
        return httpx.Response(404)


def shop(fake: FakeShop) -> OscarSystem:
    http = OscarHttp(
        BASE, "admin", "pw", email="admin@example.com", transport=httpx.MockTransport(fake)
    )
    return OscarSystem("storefront", http)


def test_stock_sets_num_in_stock_to_whole_units_on_hand() -> None:
    fake = FakeShop()

    ids = shop(fake).upsert(
        "stock", [SyncRecord("stock", "W-1", {"sku": "W-1", "on_hand": "41.0"})]
    )

    assert ids == ["9"]
    assert fake.patches == [("/api/admin/stockrecords/9/", {"num_in_stock": 41})]


def test_negative_stock_is_sent_as_zero() -> None:
    fake = FakeShop()

    shop(fake).upsert("stock", [SyncRecord("stock", "W-1", {"sku": "W-1", "on_hand": "-3"})])

    assert fake.patches[0][1] == {"num_in_stock": 0}


def test_an_unknown_sku_is_rejected() -> None:
    with pytest.raises(SystemRejectedError, match="'NOPE'"):
        shop(FakeShop()).upsert(
            "stock", [SyncRecord("stock", "NOPE", {"sku": "NOPE", "on_hand": "1"})]
        )


def test_a_shipped_sale_walks_the_order_through_confirmed_to_shipped_on_the_dashboard() -> None:
    fake = FakeShop()
    record = SyncRecord(
        "order_status", "WEB-100001", {"state": "processing", "shipment_state": "sent"}
    )

    assert shop(fake).upsert("order_status", [record]) == ["100001"]
    assert [form["new_status"] for _, form in fake.posts] == ["Confirmed", "Shipped"]
    assert all(form["csrfmiddlewaretoken"] == "abc" for _, form in fake.posts)
    assert {form["order_action"] for _, form in fake.posts} == {"change_order_status"}


def test_an_order_already_in_the_wanted_status_is_not_posted() -> None:
    fake = FakeShop()
    fake.status = "Confirmed"

    shop(fake).upsert(
        "order_status", [SyncRecord("order_status", "WEB-100001", {"state": "confirmed"})]
    )

    assert fake.posts == []


def test_a_sale_that_is_not_a_storefront_order_is_answered_with_a_dash() -> None:
    fake = FakeShop()

    assert shop(fake).upsert(
        "order_status", [SyncRecord("order_status", "PO-1", {"state": "done"})]
    ) == ["-"]
    assert fake.posts == []


def test_a_shop_that_is_down_is_retryable() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    system = OscarSystem(
        "storefront", OscarHttp(BASE, "a", "b", transport=httpx.MockTransport(down))
    )
    with pytest.raises(SystemUnavailableError):
        system.upsert("stock", [SyncRecord("stock", "W-1", {"sku": "W-1", "on_hand": "1"})])


def test_reading_stock_from_the_storefront_is_refused() -> None:
    with pytest.raises(SystemRejectedError, match="cannot read 'stock'"):
        shop(FakeShop()).read_changes("stock", None)


class FakeUsers:
    def __init__(self) -> None:
        self.users = [
            {
                "url": f"{BASE}/api/admin/users/4/",
                "email": "old@x.test",
                "first_name": "Old",
                "last_name": "Name",
            }
        ]
        self.calls: list[tuple[str, str, object]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.calls.append((request.method, request.url.path, body))
        if request.method == "GET":
            return httpx.Response(200, json=self.users)
        if request.method == "POST":
            return httpx.Response(201, json={"url": f"{BASE}/api/admin/users/9/", **(body or {})})
        return httpx.Response(200, json={})


def test_a_contact_with_mail_becomes_a_web_login_and_a_known_one_is_renamed() -> None:
    fake = FakeUsers()
    system = OscarSystem(
        "storefront", OscarHttp(BASE, "a", "b", transport=httpx.MockTransport(fake))
    )
    contacts = [
        {"name": "Ann Buyer", "email": "ann@x.test"},
        {"name": "New Name", "email": "OLD@x.test"},
        {"name": "No Mail"},
    ]

    ids = system.upsert("customer", [SyncRecord("customer", "C1", {"contacts": contacts})])

    assert ids == ["9,4"]
    assert fake.calls[1:] == [
        (
            "POST",
            "/api/admin/users/",
            {
                "username": "C1+ann@x.test",
                "email": "ann@x.test",
                "first_name": "Ann",
                "last_name": "Buyer",
            },
        ),
        (
            "PATCH",
            "/api/admin/users/4/",
            {"username": "C1+old@x.test", "first_name": "New"},  # only what differs
        ),
    ]


def test_a_customer_without_any_mail_has_no_login() -> None:
    system = OscarSystem(
        "storefront", OscarHttp(BASE, "a", "b", transport=httpx.MockTransport(FakeUsers()))
    )

    assert system.upsert(
        "customer", [SyncRecord("customer", "C2", {"contacts": [{"name": "Phone Only"}]})]
    ) == ["-"]
