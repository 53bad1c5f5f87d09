"""Tryton parties and their contact mechanisms as the CRM's (or ERP's) customers.

A customer's ``account_number`` is the party's ``code``. Contacts are Tryton contact
mechanisms: each canonical contact becomes an ``email`` and/or ``phone`` mechanism
carrying the contact's name. An edit to a mechanism does not touch the party's own
``write_date``, so changes are polled on both models and merged per party.

Fields read and written: ``account_number``, ``name``, ``contacts`` (name, email,
phone, sorted so that order never looks like a change) and ``payment_terms``
(``description`` = the customer payment term's name, read only). Tryton without the
credit-limit module has no ``credit_limit``; it is not synced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from b2bbridge.adapters.systems.tryton_rpc import TrytonClient
from b2bbridge.adapters.systems.tryton_wms import ORDER, _rows, _stamp
from b2bbridge.ports import ChangeBatch, SyncRecord

PARTY_FIELDS = ["code", "name", "write_date", "contact_mechanisms", "customer_payment_term.name"]
MECHANISM_FIELDS = ["type", "value", "name", "write_date"]


def read_customers(client: TrytonClient, since: datetime | None) -> ChangeBatch:
    """Parties with a code whose party row or contact mechanisms changed since ``since``."""
    after: list[object] = [] if since is None else [("write_date", ">=", since)]
    parties = _rows(
        client.model(
            "party.party",
            "search_read",
            [("code", "!=", None), *after],
            0,
            None,
            ORDER,
            ["write_date"],
        )
    )
    mechanisms = _rows(
        client.model(
            "party.contact_mechanism", "search_read", after, 0, None, ORDER, ["party", "write_date"]
        )
    )
    stamps: dict[int, datetime] = {}
    for row in [*parties, *mechanisms]:
        party = int(str(row.get("party", row["id"])))
        stamps[party] = max(stamps.get(party, _stamp(row)), _stamp(row))
    rows = _rows(client.model("party.party", "read", list(stamps), PARTY_FIELDS))
    records = [
        _customer(client, row, stamps[int(str(row["id"]))]) for row in rows if row.get("code")
    ]
    records.sort(key=lambda record: (record.stamp, record.key))
    return ChangeBatch(records=records, watermark=max(stamps.values(), default=None))


def _customer(client: TrytonClient, row: Mapping[str, object], stamp: datetime) -> SyncRecord:
    ids = row.get("contact_mechanisms") or []
    mechanisms = _rows(client.model("party.contact_mechanism", "read", ids, MECHANISM_FIELDS))
    term = row.get("customer_payment_term.")
    fields: dict[str, object] = {
        "account_number": row["code"],
        "name": row["name"],
        "contacts": contacts_from_mechanisms(mechanisms),
    }
    if isinstance(term, Mapping):
        fields["payment_terms"] = {"description": term.get("name")}
    return SyncRecord("customer", str(row["code"]), fields, external_id=str(row["id"]), stamp=stamp)


def contacts_from_mechanisms(mechanisms: Sequence[Mapping[str, object]]) -> list[dict[str, object]]:
    """Canonical contacts, one per mechanism name, with its email and phone."""
    contacts: dict[str, dict[str, object]] = {}
    for mechanism in mechanisms:
        kind = mechanism.get("type")
        if kind not in ("email", "phone", "mobile"):
            continue
        name = str(mechanism.get("name") or "")
        contact = contacts.setdefault(name, {"name": name or None, "email": None, "phone": None})
        contact["email" if kind == "email" else "phone"] = mechanism.get("value")
    return sorted(
        contacts.values(), key=lambda contact: (str(contact["name"]), str(contact["email"]))
    )


def upsert_customers(client: TrytonClient, records: Sequence[SyncRecord]) -> list[str]:
    """Party ids for ``records``: created by code when new, else name and contacts rewritten."""
    codes = [str(record.fields.get("account_number") or record.key) for record in records]
    found = _rows(
        client.model(
            "party.party",
            "search_read",
            [("code", "in", codes)],
            0,
            None,
            None,
            ["code", "contact_mechanisms"],
        )
    )
    by_code = {str(row["code"]): row for row in found}
    ids: list[str] = []
    for code, record in zip(codes, records, strict=True):
        row = by_code.get(code)
        ids.append(str(_write_party(client, code, record.fields, row)))
    return ids


def _write_party(
    client: TrytonClient, code: str, fields: Mapping[str, object], row: Mapping[str, object] | None
) -> int:
    values: dict[str, object] = {}
    if fields.get("name"):
        values["name"] = fields["name"]
    if "contacts" in fields:
        old = list(row.get("contact_mechanisms") or []) if row else []  # type: ignore[call-overload]
        values["contact_mechanisms"] = [
            *([("delete", old)] if old else []),
            ("create", _mechanisms(fields["contacts"])),
        ]
    if row is None:
        created = client.model("party.party", "create", [{"code": code, "name": code, **values}])
        return int(str(created[0])) if isinstance(created, list) else 0
    if values:
        client.model("party.party", "write", [int(str(row["id"]))], values)
    return int(str(row["id"]))


def _mechanisms(contacts: object) -> list[dict[str, object]]:
    values: list[dict[str, object]] = []
    for contact in contacts if isinstance(contacts, list) else []:
        if not isinstance(contact, Mapping):
            continue
        for kind in ("email", "phone"):
            if contact.get(kind):
                values.append({"type": kind, "value": contact[kind], "name": contact.get("name")})
    return values
