"""Tryton parties and their contact mechanisms as the CRM's (or ERP's) customers.

A customer's ``account_number`` is the party's ``code``. Contacts are Tryton contact
mechanisms: each canonical contact becomes an ``email`` and/or ``phone`` mechanism
carrying the contact's name. An edit to a mechanism does not touch the party's own
``write_date``, so changes are polled on both models and merged per party.

Fields read and written: ``account_number``, ``name``, ``contacts`` (name, email,
phone, sorted so that order never looks like a change), ``web_logins`` and
``payment_terms`` (``description`` = the customer payment term's name, read only).
Tryton without the credit-limit module has no ``credit_limit``; it is not synced.

``web_logins`` are the e-mails with an active storefront login, a field the storefront
owns. Tryton has no place made for them, so each is a contact mechanism of type
``other`` named ``web login``: it shows on the party's form, and it is not a contact.
Writing ``contacts`` replaces only the e-mail and phone mechanisms, and writing
``web_logins`` only the web-login ones, so neither wipes the other (nor a website or fax
entered by hand).

``active`` is the party's own flag. Deactivated parties are read and written too (the
searches run with ``active_test`` off), so that a party deactivated in the CRM is a
change the flows carry: the ERP's party is deactivated, and the storefront's logins for
the account are switched off. Tryton makes a deactivated party's own fields read-only
(writing even an unchanged name is refused), so a party row is written only with what
differs, reactivated before and deactivated after its other changes; the contact
mechanisms of a party that stays deactivated are written on their own model, which
Tryton allows. A name
change to a party that stays deactivated is refused by Tryton, and that refusal is the
record's dead letter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from b2bbridge.adapters.systems.tryton_rpc import TrytonClient
from b2bbridge.adapters.systems.tryton_wms import ORDER, _rows, _stamp
from b2bbridge.ports import ChangeBatch, SyncRecord

PARTY_FIELDS = [
    "code",
    "name",
    "active",
    "write_date",
    "contact_mechanisms",
    "customer_payment_term.name",
]
ALL_PARTIES = {"active_test": False}
MECHANISM_FIELDS = ["type", "value", "name", "write_date"]
CONTACT_KINDS = ("email", "phone", "mobile")
WEB_LOGIN = ("other", "web login")


def read_customers(client: TrytonClient, since: datetime | None) -> ChangeBatch:
    """Parties with a code whose party row or contact mechanisms changed since ``since``."""
    after: list[object] = [] if since is None else [("write_date", ">=", since)]
    parties = _rows(
        client.call(
            "model.party.party.search_read",
            [("code", "!=", None), *after],
            0,
            None,
            ORDER,
            ["write_date"],
            extra=ALL_PARTIES,
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
    rows = _rows(
        client.call("model.party.party.read", list(stamps), PARTY_FIELDS, extra=ALL_PARTIES)
    )
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
        "web_logins": web_logins_from_mechanisms(mechanisms),
        "active": row.get("active") is None or bool(row.get("active")),  # SQLite gives 0/1
    }
    if isinstance(term, Mapping):
        fields["payment_terms"] = {"description": term.get("name")}
    return SyncRecord("customer", str(row["code"]), fields, external_id=str(row["id"]), stamp=stamp)


def contacts_from_mechanisms(mechanisms: Sequence[Mapping[str, object]]) -> list[dict[str, object]]:
    """Canonical contacts, one per mechanism name, with its email and phone."""
    contacts: dict[str, dict[str, object]] = {}
    for mechanism in mechanisms:
        kind = mechanism.get("type")
        if kind not in CONTACT_KINDS:
            continue
        name = str(mechanism.get("name") or "")
        contact = contacts.setdefault(name, {"name": name or None, "email": None, "phone": None})
        contact["email" if kind == "email" else "phone"] = mechanism.get("value")
    return sorted(
        contacts.values(), key=lambda contact: (str(contact["name"]), str(contact["email"]))
    )


def web_logins_from_mechanisms(mechanisms: Sequence[Mapping[str, object]]) -> list[str]:
    """The sorted e-mails of the party's web-login mechanisms."""
    return sorted(str(m.get("value")) for m in mechanisms if _is_web_login(m))


def _is_web_login(mechanism: Mapping[str, object]) -> bool:
    return (mechanism.get("type"), mechanism.get("name")) == WEB_LOGIN


def upsert_customers(client: TrytonClient, records: Sequence[SyncRecord]) -> list[str]:
    """Party ids for ``records``: created by code when new, else name and contacts rewritten."""
    codes = [str(record.fields.get("account_number") or record.key) for record in records]
    found = _rows(
        client.call(
            "model.party.party.search_read",
            [("code", "in", codes)],
            0,
            None,
            None,
            ["code", "name", "active", "contact_mechanisms"],
            extra=ALL_PARTIES,
        )
    )
    by_code = {str(row["code"]): row for row in found}
    held = _held_mechanisms(client, found)
    ids: list[str] = []
    for code, record in zip(codes, records, strict=True):
        row = by_code.get(code)
        ids.append(str(_write_party(client, code, record.fields, row, held)))
    return ids


def _held_mechanisms(
    client: TrytonClient, parties: Sequence[Mapping[str, object]]
) -> dict[int, Mapping[str, object]]:
    """The existing contact mechanisms of ``parties`` by id, with their type and name."""
    ids = [i for row in parties for i in _ids(row.get("contact_mechanisms"))]
    if not ids:
        return {}
    rows = _rows(client.model("party.contact_mechanism", "read", ids, ["type", "name"]))
    return {int(str(row["id"])): row for row in rows}


def _write_party(
    client: TrytonClient,
    code: str,
    fields: Mapping[str, object],
    row: Mapping[str, object] | None,
    held: Mapping[int, Mapping[str, object]],
) -> int:
    changes = _mechanism_changes(fields, row, held)
    if row is None:
        return _create_party(client, code, fields, changes)
    party = int(str(row["id"]))
    was_active = row.get("active") is None or bool(row.get("active"))
    active = fields.get("active")
    wanted = active if isinstance(active, bool) else was_active
    name = fields.get("name")
    values: dict[str, object] = {"name": name} if name and name != row.get("name") else {}
    if wanted and not was_active:
        client.model("party.party", "write", [party], {"active": True})
    if was_active or wanted:  # one write, mechanisms included, in one transaction
        values.update({"contact_mechanisms": changes} if changes else {})
        changes = []
    if values:  # a name change to a party that stays deactivated: Tryton refuses it
        client.model("party.party", "write", [party], values)
    _apply_mechanisms(client, party, changes)
    if was_active and not wanted:
        client.model("party.party", "write", [party], {"active": False})
    return party


def _create_party(
    client: TrytonClient, code: str, fields: Mapping[str, object], changes: list[tuple[str, object]]
) -> int:
    values: dict[str, object] = {"code": code, "name": fields.get("name") or code}
    if isinstance(fields.get("active"), bool):
        values["active"] = fields["active"]
    if changes:
        values["contact_mechanisms"] = changes
    created = client.model("party.party", "create", [values])
    return int(str(created[0])) if isinstance(created, list) else 0


def _apply_mechanisms(client: TrytonClient, party: int, changes: list[tuple[str, object]]) -> None:
    """The changes on ``party.contact_mechanism`` itself, open to deactivated parties too."""
    for action, payload in changes:
        if action == "delete":
            client.model("party.contact_mechanism", "delete", payload)
        elif isinstance(payload, list) and payload:
            client.model(
                "party.contact_mechanism", "create", [{"party": party, **m} for m in payload]
            )


def _mechanism_changes(
    fields: Mapping[str, object],
    row: Mapping[str, object] | None,
    held: Mapping[int, Mapping[str, object]],
) -> list[tuple[str, object]]:
    """Delete the mechanisms of the kinds ``fields`` carry, and create them anew."""
    replaced: list[int] = []
    created: list[dict[str, object]] = []
    old = _ids(row.get("contact_mechanisms")) if row else []
    if "contacts" in fields:
        replaced += [i for i in old if held.get(i, {}).get("type") in CONTACT_KINDS]
        created += _mechanisms(fields["contacts"])
    if "web_logins" in fields:
        replaced += [i for i in old if _is_web_login(held.get(i, {}))]
        logins = fields["web_logins"]
        created += [
            {"type": WEB_LOGIN[0], "name": WEB_LOGIN[1], "value": str(email)}
            for email in (logins if isinstance(logins, list) else [])
        ]
    if not replaced and not created:
        return []
    return [*([("delete", replaced)] if replaced else []), ("create", created)]


def _ids(value: object) -> list[int]:
    return [int(str(i)) for i in value] if isinstance(value, list) else []


def _mechanisms(contacts: object) -> list[dict[str, object]]:
    values: list[dict[str, object]] = []
    for contact in contacts if isinstance(contacts, list) else []:
        if not isinstance(contact, Mapping):
            continue
        for kind in ("email", "phone"):
            if contact.get(kind):
                values.append({"type": kind, "value": contact[kind], "name": contact.get("name")})
    return values
