"""Leads: Tryton ``sale.opportunity`` records, read in the CRM and kept as leads in the ERP.

A lead's key is its number in the system it is read from (the CRM's sequence). Written
to another Tryton, it is found again by ``reference``, which holds that key, so writing
it twice updates one record. Fields: ``number``, ``party`` (the party's code) and
``party_name``, ``description``, ``amount`` (a decimal string or None), ``start_date``
(ISO date) and ``state`` (read only).

What is written: the party (found by code, or created with the name), the description,
the amount and the start date. The state is not: Tryton moves a lead on to
opportunity, won or lost only through its own transitions, which need an employee and
lines the ERP copy does not have, so the ERP's copy stays a lead. A lead without a
party is written without one (Tryton allows that for leads).

Change detection: a lead's ``write_date`` is empty until its first edit (8.2 stamps
only ``create_date`` on create), so a poll asks for either stamp at or after the
watermark and stamps each record with the later of the two.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from b2bbridge.adapters.systems.tryton_parties import resolve_customer
from b2bbridge.adapters.systems.tryton_rpc import TrytonClient
from b2bbridge.adapters.systems.tryton_wms import _rows
from b2bbridge.ports import ChangeBatch, SyncRecord

LEAD_FIELDS = [
    "number",
    "description",
    "amount",
    "start_date",
    "state",
    "party.code",
    "party.name",
    "write_date",
    "create_date",
]


def read_leads(client: TrytonClient, since: datetime | None) -> ChangeBatch:
    """Leads created or changed at or after ``since``, oldest change first."""
    domain: list[object] = (
        []
        if since is None
        else ["OR", [("write_date", ">=", since)], [("create_date", ">=", since)]]
    )
    rows = _rows(
        client.model("sale.opportunity", "search_read", domain, 0, None, None, LEAD_FIELDS)
    )
    leads = sorted(((_changed(row), _lead(row)) for row in rows), key=lambda p: (p[0], p[1].key))
    return ChangeBatch(
        records=[lead for _stamp, lead in leads],
        watermark=max((stamp for stamp, _lead in leads), default=None),
    )


def _lead(row: Mapping[str, object]) -> SyncRecord:
    party = row.get("party.")
    amount = row.get("amount")
    start = row.get("start_date")
    fields: dict[str, object] = {
        "number": str(row["number"]),
        "party": party.get("code") if isinstance(party, Mapping) else None,
        "party_name": party.get("name") if isinstance(party, Mapping) else None,
        "description": row.get("description"),
        "amount": str(amount) if amount is not None else None,
        "start_date": start.isoformat() if isinstance(start, date) else None,
        "state": row.get("state"),
    }
    return SyncRecord(
        "lead", str(row["number"]), fields, external_id=str(row["id"]), stamp=_changed(row)
    )


def _changed(row: Mapping[str, object]) -> datetime:
    stamps = [row.get(key) for key in ("write_date", "create_date")]
    moments = [stamp for stamp in stamps if isinstance(stamp, datetime)]
    if not moments:
        raise TypeError(f"Tryton lead {row.get('id')} has neither write_date nor create_date")
    return max(moments)


def upsert_leads(client: TrytonClient, records: Sequence[SyncRecord]) -> list[str]:
    """Opportunity ids for ``records``: found by reference and updated, or created."""
    keys = [record.key for record in records]
    found = _rows(
        client.model(
            "sale.opportunity",
            "search_read",
            [("reference", "in", keys)],
            0,
            None,
            None,
            ["reference"],
        )
    )
    by_key = {str(row["reference"]): int(str(row["id"])) for row in found}
    ids: list[str] = []
    for record in records:
        values = _values(client, record)
        existing = by_key.get(record.key)
        if existing is None:
            created = client.model("sale.opportunity", "create", [values])
            existing = int(str(created[0])) if isinstance(created, list) else 0
            by_key[record.key] = existing
        else:
            client.model("sale.opportunity", "write", [existing], values)
        ids.append(str(existing))
    return ids


def _values(client: TrytonClient, record: SyncRecord) -> dict[str, object]:
    fields = record.fields
    values: dict[str, object] = {"reference": record.key, "description": fields.get("description")}
    amount = fields.get("amount")
    values["amount"] = Decimal(str(amount)) if amount not in (None, "") else None
    start = fields.get("start_date")
    if isinstance(start, str) and start:
        values["start_date"] = date.fromisoformat(start)
    code = fields.get("party")
    if isinstance(code, str) and code:
        name = str(fields.get("party_name") or code)
        values["party"] = resolve_customer(client, code, name, {}).party_id
    return values
