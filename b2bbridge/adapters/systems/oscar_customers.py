"""Customers' contacts as Oscar web logins, through oscar-api's admin users endpoint.

Oscar (without django-oscar-accounts) has no customer account that groups users, no
payment terms, credit limits or per-customer prices: a customer reaches the storefront
as one user per contact that has an e-mail address, and nothing else of the account
can be held there. The user's ``email`` is the contact's e-mail and its first and last
name come from the contact's name; b2bbridge never sets a password, since the storefront
owns the web login. An existing user (same e-mail) gets its names updated, so writing
the same customer twice creates nothing new.

Oscar signs shoppers in by e-mail, so the ``username`` is free to say which account a
user belongs to: b2bbridge sets it to ``<account number>+<e-mail>`` (Django allows
letters, digits and ``@.+-_`` there, up to 150 characters). An account number outside
that alphabet, or too long, leaves the username as the e-mail: the login is written but
cannot be read back. A user who signed up in the shop before the CRM knew the contact is
linked the same way when the CRM's customer is first written.

Reading (``read_changes("customer", since)``) uses ``GET /api/admin/users/``, the only
user listing oscar-api has (the dashboard's user list is HTML and shows the same data).
It is unpaginated and unfilterable, and Django's users carry no modification time
(``date_joined`` and ``last_login`` do not move when a name or the active flag is
edited), so no request can ask for "users changed since": every poll reads all users
and returns every linked account, unstamped. That is correct rather than wasteful for
the sync service: a record whose values are what b2bbridge last read from or wrote to
the storefront is dropped as an echo, so only real edits travel, and the flow's
watermark is simply not moved by this source. A record holds:

- ``account_number``;
- ``contacts``: one per linked user, ``{name, email}`` (``name`` is first and last name),
  sorted as the CRM sorts them; the phone is not held by Oscar and is never compared;
- ``web_logins``: the sorted e-mails of the account's *active* users, the field the
  storefront owns (a login deactivated in the shop leaves the list).

A customer written with ``active`` false (a party deactivated in the CRM) gets no new
logins, and every login linked to it, or matching one of its contacts, is switched off
(``is_active``). ``active`` true switches nothing back on: the storefront owns its
logins, and one it switched off itself must stay off.

The shop must list ``first_name``, ``last_name`` and ``is_active`` in
``OSCARAPI_ADMIN_USER_FIELDS`` (oscar-api shows only url, username, email and
date_joined by default).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from b2bbridge.adapters.systems.oscar_http import OscarHttp
from b2bbridge.ports import ChangeBatch, SyncRecord

NO_LOGIN = "-"
_USERNAME = re.compile(r"^[\w.@+-]{1,150}\Z")


def linked_username(account: str, email: str) -> str:
    """The username that ties a login to its account, or the e-mail when it cannot."""
    name = f"{account}+{email}"
    return name if _USERNAME.match(name) else email[:150]


def account_of(user: Mapping[str, object]) -> str | None:
    """The account number a user's username names; None for a user b2bbridge did not link."""
    username, email = str(user.get("username") or ""), str(user.get("email") or "")
    suffix = f"+{email}"
    if not email or not username.endswith(suffix) or len(username) == len(suffix):
        return None
    return username[: -len(suffix)]


def read_customers(http: OscarHttp, since: datetime | None) -> ChangeBatch:
    """Every linked account, unstamped (see the module docstring for why ``since`` cannot help)."""
    accounts: dict[str, list[Mapping[str, object]]] = {}
    for user in _users(http):
        account = account_of(user)
        if account is not None:
            accounts.setdefault(account, []).append(user)
    records = [_record(account, users) for account, users in sorted(accounts.items())]
    return ChangeBatch(records=records, watermark=None)


def _record(account: str, users: list[Mapping[str, object]]) -> SyncRecord:
    contacts = sorted(
        ({"name": _full_name(user), "email": str(user["email"])} for user in users),
        key=lambda contact: (str(contact["name"]), str(contact["email"])),
    )
    logins = sorted(str(user["email"]) for user in users if user.get("is_active", True))
    ids = sorted((_user_id(user) for user in users), key=lambda i: (len(i), i))
    fields: dict[str, object] = {
        "account_number": account,
        "contacts": contacts,
        "web_logins": logins,
    }
    return SyncRecord("customer", account, fields, external_id=",".join(ids))


def _full_name(user: Mapping[str, object]) -> str | None:
    name = f"{user.get('first_name') or ''} {user.get('last_name') or ''}".strip()
    return name or None


def upsert_customers(http: OscarHttp, records: list[SyncRecord]) -> list[str]:
    """For each customer, its users' ids joined by commas (``-`` when no contact has mail)."""
    by_email = {str(u["email"]).lower(): u for u in _users(http)}
    return [_upsert_one(http, record, by_email) for record in records]


def _users(http: OscarHttp) -> list[Mapping[str, object]]:
    users = http.api("GET", "/api/admin/users/")
    if not isinstance(users, list):
        return []
    return [user for user in users if isinstance(user, Mapping) and user.get("email")]


def _upsert_one(
    http: OscarHttp, record: SyncRecord, by_email: dict[str, Mapping[str, object]]
) -> str:
    account = str(record.fields.get("account_number") or record.key)
    if record.fields.get("active") is False:
        return _deactivate(http, account, record, by_email)
    ids: list[str] = []
    contacts = record.fields.get("contacts")
    for contact in contacts if isinstance(contacts, list) else []:
        if not isinstance(contact, Mapping) or not contact.get("email"):
            continue
        email = str(contact["email"])
        first, _, last = str(contact.get("name") or "").partition(" ")
        names = {"first_name": first[:150], "last_name": last[:150]}
        user = by_email.get(email.lower())
        if user is None:
            wanted = {"username": linked_username(account, email), **names}
            created = http.api("POST", "/api/admin/users/", json={"email": email, **wanted})
            user = created if isinstance(created, Mapping) else {}
            by_email[email.lower()] = user
        else:  # linked under the e-mail as the shop holds it, which reading compares with
            wanted = {"username": linked_username(account, str(user["email"])), **names}
            changed = {key: value for key, value in wanted.items() if user.get(key) != value}
            if changed:
                http.api("PATCH", _path(str(user["url"])), json=changed)
        ids.append(_user_id(user))
    return ",".join(ids) or NO_LOGIN


def _deactivate(
    http: OscarHttp, account: str, record: SyncRecord, by_email: dict[str, Mapping[str, object]]
) -> str:
    """Switch off the account's logins; their ids, as for a write."""
    contacts = record.fields.get("contacts")
    emails = {
        str(c["email"]).lower()
        for c in (contacts if isinstance(contacts, list) else [])
        if isinstance(c, Mapping) and c.get("email")
    }
    users = [u for key, u in by_email.items() if key in emails or account_of(u) == account]
    for user in users:
        if user.get("is_active", True) is not False:
            http.api("PATCH", _path(str(user["url"])), json={"is_active": False})
    return ",".join(sorted((_user_id(u) for u in users), key=lambda i: (len(i), i))) or NO_LOGIN


def _user_id(user: Mapping[str, object]) -> str:
    return _path(str(user.get("url", ""))).rstrip("/").rsplit("/", 1)[-1]


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1]
