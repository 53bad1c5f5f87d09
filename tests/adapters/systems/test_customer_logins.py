"""Storefront logins linked to their account, read back as customers; web logins in Tryton."""

from __future__ import annotations

import json

import httpx

from b2bbridge.adapters.systems.oscar import OscarSystem
from b2bbridge.adapters.systems.oscar_customers import account_of, linked_username
from b2bbridge.adapters.systems.oscar_http import OscarHttp
from b2bbridge.adapters.systems.tryton_crm import upsert_customers, web_logins_from_mechanisms
from b2bbridge.ports import SyncRecord

BASE = "http://shop.test"


class FakeUsers:
    """oscar-api's admin users endpoint over a dict of users by id."""

    def __init__(self, *users: dict[str, object]) -> None:
        self.users = {
            n: {**u, "url": f"{BASE}/api/admin/users/{n}/"} for n, u in enumerate(users, 1)
        }
        self.calls: list[tuple[str, str, object]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.calls.append((request.method, request.url.path, body))
        if request.url.path == "/api/admin/users/" and request.method == "GET":
            return httpx.Response(200, json=list(self.users.values()))
        if request.url.path == "/api/admin/users/" and request.method == "POST":
            n = len(self.users) + 1
            self.users[n] = {"is_active": True, **body, "url": f"{BASE}/api/admin/users/{n}/"}
            return httpx.Response(201, json=self.users[n])
        n = int(request.url.path.rstrip("/").rsplit("/", 1)[-1])
        self.users[n].update(body)
        return httpx.Response(200, json=self.users[n])


def shop(fake: FakeUsers) -> OscarSystem:
    return OscarSystem("storefront", OscarHttp(BASE, "a", "b", transport=httpx.MockTransport(fake)))


def user(
    username: str, email: str, first: str, last: str, active: bool = True
) -> dict[str, object]:
    return {
        "username": username,
        "email": email,
        "first_name": first,
        "last_name": last,
        "is_active": active,
    }


def test_a_login_is_linked_to_its_account_through_its_username() -> None:
    assert linked_username("ACME-AP", "ann+shop@x.test") == "ACME-AP+ann+shop@x.test"
    assert account_of({"username": "ACME-AP+ann+shop@x.test", "email": "ann+shop@x.test"}) == (
        "ACME-AP"
    )


def test_an_account_number_django_cannot_hold_in_a_username_leaves_the_login_unlinked() -> None:
    assert linked_username("ACME AP/1", "ann@x.test") == "ann@x.test"
    assert account_of({"username": "ann@x.test", "email": "ann@x.test"}) is None


def test_users_are_read_back_per_account_with_names_and_only_active_logins() -> None:
    fake = FakeUsers(
        user("C-1+zed@x.test", "zed@x.test", "Zed", "Zulu", active=False),
        user("C-1+amy@x.test", "amy@x.test", "Amy", "Alpha"),
        user("walk-in", "shopper@x.test", "Sam", ""),
        user("C-2+bob@x.test", "bob@x.test", "", ""),
    )

    batch = shop(fake).read_changes("customer", None)

    assert [(r.key, r.external_id, r.stamp) for r in batch.records] == [
        ("C-1", "1,2", None),
        ("C-2", "4", None),
    ]
    assert batch.records[0].fields == {
        "account_number": "C-1",
        "contacts": [
            {"name": "Amy Alpha", "email": "amy@x.test"},
            {"name": "Zed Zulu", "email": "zed@x.test"},
        ],
        "web_logins": ["amy@x.test"],
    }
    assert batch.records[1].fields["contacts"] == [{"name": None, "email": "bob@x.test"}]
    assert batch.watermark is None


def test_writing_a_customer_links_an_existing_shop_user_and_creates_the_missing_one() -> None:
    fake = FakeUsers(user("signed-up-1", "ann@x.test", "Ann", "Buyer"))
    contacts = [
        {"name": "Ann Buyer", "email": "ann@x.test", "phone": "+32 1"},
        {"name": "Bob Lee", "email": "bob@x.test", "phone": None},
        {"name": "Desk", "email": None, "phone": "+32 2"},
    ]
    record = SyncRecord("customer", "C-9", {"account_number": "C-9", "contacts": contacts})

    ids = shop(fake).upsert("customer", [record])
    again = shop(fake).read_changes("customer", None).records

    writes = [(method, body) for method, _path, body in fake.calls if method != "GET"]
    assert ids == ["1,2"]
    assert writes == [
        ("PATCH", {"username": "C-9+ann@x.test"}),
        (
            "POST",
            {
                "email": "bob@x.test",
                "username": "C-9+bob@x.test",
                "first_name": "Bob",
                "last_name": "Lee",
            },
        ),
    ]
    assert [c["name"] for c in again[0].fields["contacts"]] == ["Ann Buyer", "Bob Lee"]


class FakeTryton:
    """A Tryton client holding one party and its mechanisms; records what is written."""

    def __init__(self, mechanisms: list[dict[str, object]], *, active: bool = True) -> None:
        self.mechanisms = {n: {"id": n, **m} for n, m in enumerate(mechanisms, 10)}
        self.active = active
        self.writes: list[tuple[str, str, object]] = []
        self.contexts: list[dict[str, object]] = []

    def call(self, method: str, *args: object, extra: dict[str, object] | None = None) -> object:
        self.contexts.append(extra or {})
        name, _, action = method.removeprefix("model.").rpartition(".")
        return self.model(name, action, *args)

    def model(self, name: str, method: str, *args: object) -> object:
        if (name, method) == ("party.party", "search_read"):
            party = {"id": 1, "code": "C-1", "name": "Co", "active": int(self.active)}
            return [{**party, "contact_mechanisms": list(self.mechanisms)}]
        if (name, method) == ("party.contact_mechanism", "read"):
            return [self.mechanisms[i] for i in args[0]]  # type: ignore[attr-defined]
        self.writes.append((name, method, args[-1]))
        return None


HELD = [
    {"type": "email", "value": "ann@x.test", "name": "Ann"},
    {"type": "website", "value": "https://x.test", "name": ""},
    {"type": "other", "value": "ann@x.test", "name": "web login"},
]


def test_web_logins_are_the_web_login_mechanisms_and_nothing_else() -> None:
    assert web_logins_from_mechanisms(HELD) == ["ann@x.test"]


def test_writing_web_logins_replaces_only_the_web_login_mechanisms() -> None:
    client = FakeTryton(HELD)

    upsert_customers(client, [SyncRecord("customer", "C-1", {"web_logins": ["bob@x.test"]})])  # type: ignore[arg-type]

    assert client.writes == [
        (
            "party.party",
            "write",
            {
                "contact_mechanisms": [
                    ("delete", [12]),
                    ("create", [{"type": "other", "name": "web login", "value": "bob@x.test"}]),
                ]
            },
        )
    ]


def test_writing_contacts_keeps_web_logins_and_hand_entered_websites() -> None:
    client = FakeTryton(HELD)
    contacts = [{"name": "Ann", "email": "ann@y.test", "phone": None}]

    upsert_customers(client, [SyncRecord("customer", "C-1", {"contacts": contacts})])  # type: ignore[arg-type]

    assert client.writes == [
        (
            "party.party",
            "write",
            {
                "contact_mechanisms": [
                    ("delete", [10]),
                    ("create", [{"type": "email", "value": "ann@y.test", "name": "Ann"}]),
                ]
            },
        )
    ]


def test_a_deactivated_party_is_found_and_written_with_inactive_parties_included() -> None:
    client = FakeTryton(HELD)

    upsert_customers(client, [SyncRecord("customer", "C-1", {"active": False})])  # type: ignore[arg-type]

    assert client.writes == [("party.party", "write", {"active": False})]
    assert client.contexts == [{"active_test": False}]


def test_a_party_that_stays_deactivated_gets_its_mechanisms_on_their_own_model() -> None:
    client = FakeTryton(HELD, active=False)
    fields = {"name": "Co", "active": False, "web_logins": []}

    upsert_customers(client, [SyncRecord("customer", "C-1", fields)])  # type: ignore[arg-type]

    assert client.writes == [("party.contact_mechanism", "delete", [12])]


def test_a_reactivated_party_is_switched_on_before_its_name_changes() -> None:
    client = FakeTryton([], active=False)

    upsert_customers(
        client,  # type: ignore[arg-type]
        [SyncRecord("customer", "C-1", {"name": "New Co", "active": True})],
    )

    assert client.writes == [
        ("party.party", "write", {"active": True}),
        ("party.party", "write", {"name": "New Co"}),
    ]


def test_a_customer_deactivated_in_the_crm_switches_its_logins_off_and_creates_none() -> None:
    fake = FakeUsers(
        user("C-1+amy@x.test", "amy@x.test", "Amy", "Alpha"),
        user("C-1+old@x.test", "old@x.test", "Old", "Contact"),
        user("C-2+bob@x.test", "bob@x.test", "Bob", "Lee"),
    )
    contacts = [
        {"name": "Amy Alpha", "email": "amy@x.test"},
        {"name": "New Person", "email": "new@x.test"},
    ]
    record = SyncRecord(
        "customer", "C-1", {"account_number": "C-1", "contacts": contacts, "active": False}
    )

    ids = shop(fake).upsert("customer", [record])

    writes = [(method, path, body) for method, path, body in fake.calls if method != "GET"]
    assert ids == ["1,2"]
    assert writes == [
        ("PATCH", "/api/admin/users/1/", {"is_active": False}),
        ("PATCH", "/api/admin/users/2/", {"is_active": False}),
    ]


def test_reactivating_a_customer_does_not_switch_a_login_back_on() -> None:
    fake = FakeUsers(user("C-1+amy@x.test", "amy@x.test", "Amy", "Alpha", active=False))
    contacts = [{"name": "Amy Alpha", "email": "amy@x.test"}]
    record = SyncRecord(
        "customer", "C-1", {"account_number": "C-1", "contacts": contacts, "active": True}
    )

    shop(fake).upsert("customer", [record])

    assert fake.users[1]["is_active"] is False
