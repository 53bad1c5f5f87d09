"""Customers' contacts as Oscar web logins, through oscar-api's admin users endpoint.

Oscar (without django-oscar-accounts) has no customer account that groups users, no
payment terms, credit limits or per-customer prices: a customer reaches the storefront
as one user per contact that has an e-mail address, and nothing else of the account
can be held there. The user's ``username`` and ``email`` are the contact's e-mail, its
first and last name come from the contact's name; b2bbridge never sets a password,
since the storefront owns the web login. An existing user (same e-mail) gets its names
updated, so writing the same customer twice creates nothing new.

The shop must list the name fields in ``OSCARAPI_ADMIN_USER_FIELDS`` (oscar-api shows
only url, username, email and date_joined by default).
"""

from __future__ import annotations

from collections.abc import Mapping

from b2bbridge.adapters.systems.oscar_http import OscarHttp
from b2bbridge.ports import SyncRecord

NO_LOGIN = "-"


def upsert_customers(http: OscarHttp, records: list[SyncRecord]) -> list[str]:
    """For each customer, its users' ids joined by commas (``-`` when no contact has mail)."""
    users = http.api("GET", "/api/admin/users/")
    by_email = (
        {str(u["email"]).lower(): u for u in users if isinstance(u, Mapping)}
        if isinstance(users, list)
        else {}
    )
    return [_upsert_one(http, record, by_email) for record in records]


def _upsert_one(
    http: OscarHttp, record: SyncRecord, by_email: dict[str, Mapping[str, object]]
) -> str:
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
            created = http.api(
                "POST", "/api/admin/users/", json={"username": email[:150], "email": email, **names}
            )
            user = created if isinstance(created, Mapping) else {}
            by_email[email.lower()] = user
        elif any(user.get(key) != value for key, value in names.items()):
            http.api("PATCH", _path(str(user["url"])), json=names)
        ids.append(_path(str(user.get("url", ""))).rstrip("/").rsplit("/", 1)[-1])
    return ",".join(ids) or NO_LOGIN


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1]
