"""Posted Tryton customer invoices, read as canonical invoices for the 810/INVOIC.

An invoice counts once it is ``posted`` (or later ``paid``); drafts and validated ones
are not sent. The order number comes from the sale its first line originates from.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from b2bbridge.adapters.systems.tryton_rpc import TrytonClient
from b2bbridge.adapters.systems.tryton_wms import ORDER, _rows, _sale_reference, _stamp
from b2bbridge.ports import ChangeBatch, SyncRecord

INVOICE_FIELDS = [
    "number",
    "invoice_date",
    "state",
    "lines",
    "untaxed_amount",
    "tax_amount",
    "total_amount",
    "write_date",
    "currency.code",
    "party.code",
    "party.name",
]
LINE_FIELDS = ["product.code", "quantity", "unit_price", "amount", "description", "origin"]


def read_invoices(client: TrytonClient, since: datetime | None) -> ChangeBatch:
    """Customer invoices posted or paid, written at or after ``since``."""
    domain: list[object] = [("type", "=", "out"), ("state", "in", ["posted", "paid"])]
    if since is not None:
        domain.append(("write_date", ">=", since))
    rows = _rows(
        client.model("account.invoice", "search_read", domain, 0, None, ORDER, INVOICE_FIELDS)
    )
    records = [_invoice_record(client, row) for row in rows]
    return ChangeBatch(records=records, watermark=max((_stamp(r) for r in rows), default=None))


def _invoice_record(client: TrytonClient, row: Mapping[str, object]) -> SyncRecord:
    lines = _rows(client.model("account.invoice.line", "read", row.get("lines") or [], LINE_FIELDS))
    order = _sale_reference(client, lines[0].get("origin")) if lines else None
    party = _nested(row, "party.")
    currency = _nested(row, "currency.")
    fields: dict[str, object] = {
        "number": row["number"],
        "invoice_date": _iso(row.get("invoice_date")),
        "order_number": order,
        "currency": currency.get("code"),
        "parties": [{"role": "buyer", "id": party.get("code"), "name": party.get("name")}],
        "lines": [_line(number, line) for number, line in enumerate(lines, start=1)],
        "totals": {
            "lines_amount": str(row["untaxed_amount"]),
            "tax_amount": str(row["tax_amount"]),
            "amount_due": str(row["total_amount"]),
        },
    }
    return SyncRecord(
        "invoice", str(row["number"]), fields, external_id=str(row["id"]), stamp=_stamp(row)
    )


def _line(number: int, line: Mapping[str, object]) -> dict[str, object]:
    product = line.get("product.")
    return {
        "line_number": str(number),
        "sku": product.get("code") if isinstance(product, Mapping) else None,
        "description": line.get("description"),
        "quantity": str(line["quantity"]),
        "unit_price": str(line["unit_price"]),
        "amount": str(line["amount"]),
    }


def _nested(row: Mapping[str, object], name: str) -> Mapping[str, object]:
    value = row.get(name)
    return value if isinstance(value, Mapping) else {}


def _iso(value: object) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else None
