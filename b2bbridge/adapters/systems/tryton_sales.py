"""Canonical orders as Tryton sales, and sales' states read back as changes.

A canonical order becomes one ``sale.sale`` whose ``reference`` is the order number and
whose party is the order's buyer (resolved by code, or created). Before creating, the
sales already carrying those references for the same customer code are looked up, so a
batch that crashed after Tryton committed but before the id map did is picked up again,
not created twice (and two buyers' equal PO numbers stay two sales).

The buyer's code is the ``id`` of the order's ``buyer`` party, else its ``bill_to`` or
``ship_to``, else the order's ``partner``; a storefront order's buyer is the shopper's
e-mail.

RPC ``create`` runs no on_change, so each line carries its product (found by code from
``sku``, ``vendor_item`` or ``buyer_item``), its unit (the product's default unit) and
its unit price (the order's, else the product's ``list_price_used``). New sales are
created in one call per batch and then quoted and confirmed in one call each, which is
what makes batching pay off; ``confirm`` also creates the shipment and invoice when
the server runs without a queue worker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from b2bbridge.adapters.systems.errors import SystemRejectedError
from b2bbridge.adapters.systems.tryton_parties import resolve_customer
from b2bbridge.adapters.systems.tryton_rpc import TrytonClient
from b2bbridge.core.location import Location
from b2bbridge.ports import ChangeBatch, SyncRecord

SALE_FIELDS = [
    "number",
    "reference",
    "state",
    "shipment_state",
    "invoice_state",
    "sale_date",
    "write_date",
]


def upsert_orders(
    client: TrytonClient, records: Sequence[SyncRecord], *, confirm: bool
) -> list[str]:
    """Sale ids for ``records``, creating only the sales that do not exist yet.

    With ``confirm``, this batch's sales found still in draft or quotation (a run that
    died between create and confirm, or a batch whose confirm failed) are confirmed too.
    """
    existing = _sales_by_reference(client, [_number(record) for record in records])
    identities = {_identity(record) for record in records}
    pending = [record for record in records if _identity(record) not in existing]
    if pending:
        values = [_sale_values(client, record.fields) for record in pending]
        created = client.model("sale.sale", "create", values)
        if not isinstance(created, list):
            raise SystemRejectedError(f"sale create answered {created!r}")
        for record, sale_id in zip(pending, created, strict=True):
            existing[_identity(record)] = (int(sale_id), "draft")
    if confirm:
        mine = [sale for identity, sale in existing.items() if identity in identities]
        _confirm(client, mine)
    return [str(existing[_identity(record)][0]) for record in records]


def _confirm(client: TrytonClient, sales: list[tuple[int, str]]) -> None:
    """Quote the drafts, then confirm them and the quotations, one call each."""
    drafts = [sale_id for sale_id, state in sales if state == "draft"]
    quotations = [sale_id for sale_id, state in sales if state == "quotation"]
    if drafts:
        client.model("sale.sale", "quote", drafts)
    if drafts or quotations:
        client.model("sale.sale", "confirm", [*drafts, *quotations])


def read_sales(client: TrytonClient, since: object) -> ChangeBatch:
    """Sales written at or after ``since``, oldest first, as ``order_status`` records."""
    domain = [] if since is None else [("write_date", ">=", since)]
    rows = client.model(
        "sale.sale",
        "search_read",
        domain,
        0,
        None,
        [("write_date", "ASC"), ("id", "ASC")],
        SALE_FIELDS,
    )
    records = [_status_record(row) for row in rows] if isinstance(rows, list) else []
    stamps = [record.stamp for record in records if record.stamp is not None]
    return ChangeBatch(records=records, watermark=max(stamps) if stamps else None)


def _status_record(row: Mapping[str, object]) -> SyncRecord:
    fields = {
        name: row.get(name) for name in ("number", "state", "shipment_state", "invoice_state")
    }
    sale_date = row.get("sale_date")
    fields["sale_date"] = sale_date.isoformat() if hasattr(sale_date, "isoformat") else None
    stamp = row.get("write_date")
    return SyncRecord(
        entity="order_status",
        key=str(row.get("reference") or f"sale-{row['id']}"),
        fields=fields,
        external_id=str(row["id"]),
        stamp=stamp if hasattr(stamp, "tzinfo") else None,  # type: ignore[arg-type]
    )


def _sales_by_reference(
    client: TrytonClient, numbers: list[str]
) -> dict[tuple[str, str], tuple[int, str]]:
    """Existing sales (id, state) by (reference, customer code): buyers may share a PO number."""
    domain = [("reference", "in", numbers)]
    fields = ["reference", "party.code", "state"]
    rows = client.model("sale.sale", "search_read", domain, 0, None, None, fields)
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for row in rows if isinstance(rows, list) else []:
        party = row.get("party.") or {}
        found[(str(row["reference"]), str(party.get("code")))] = (int(row["id"]), str(row["state"]))
    return found


def _identity(record: SyncRecord) -> tuple[str, str]:
    return _number(record), _buyer(record.fields)[0]


def _number(record: SyncRecord) -> str:
    return str(record.fields.get("number") or record.key)


def _sale_values(client: TrytonClient, order: Mapping[str, object]) -> dict[str, object]:
    code, name, address = _buyer(order)
    customer = resolve_customer(client, code, name, address)
    lines = [_line_values(client, line, order) for line in _list(order.get("lines"))]
    return {
        "party": customer.party_id,
        "invoice_address": customer.address_id,
        "shipment_address": customer.address_id,
        "currency": _currency(client),
        "reference": str(order.get("number")),
        "sale_date": order.get("order_date"),
        "description": f"b2bbridge order {order.get('number')}",
        "lines": [("create", lines)],
    }


def _buyer(order: Mapping[str, object]) -> tuple[str, str, Mapping[str, object]]:
    parties = [party for party in _list(order.get("parties")) if isinstance(party, Mapping)]
    ranked = sorted(
        parties,
        key=lambda p: (
            ["buyer", "bill_to", "ship_to"].index(p["role"])
            if p.get("role") in ("buyer", "bill_to", "ship_to")
            else 9
        ),
    )
    party = ranked[0] if ranked else {}
    code = str(party.get("id") or order.get("partner") or party.get("name") or "")
    if not code:
        raise SystemRejectedError(
            f"order {order.get('number')} names no buyer",
            location=Location(file="tryton:sale.sale"),
        )
    address = party.get("address")
    return code, str(party.get("name") or code), address if isinstance(address, Mapping) else {}


def _line_values(
    client: TrytonClient, line: object, order: Mapping[str, object]
) -> dict[str, object]:
    if not isinstance(line, Mapping):
        raise SystemRejectedError(f"order {order.get('number')} has a line that is not an object")
    product = _product(client, line, str(order.get("number")))
    price = line.get("unit_price")
    return {
        "type": "line",
        "product": product["id"],
        "quantity": float(Decimal(str(line["quantity"]))),
        "unit": product["default_uom"],
        "unit_price": Decimal(str(price)) if price is not None else product["list_price_used"],
        "description": line.get("description") or product["rec_name"],
    }


def _product(client: TrytonClient, line: Mapping[str, object], number: str) -> Mapping[str, object]:
    codes = [str(line[k]) for k in ("sku", "vendor_item", "buyer_item") if line.get(k)]
    rows = client.model(
        "product.product",
        "search_read",
        [("code", "in", codes)],
        0,
        1,
        None,
        ["default_uom", "list_price_used", "rec_name"],
    )
    if not isinstance(rows, list) or not rows:
        raise SystemRejectedError(
            f"order {number}: no Tryton product with code in {codes}",
            location=Location(file="tryton:product.product", transaction=number),
        )
    product: Mapping[str, object] = rows[0]
    return product


def _currency(client: TrytonClient) -> int:
    rows = client.model("company.company", "read", [client.context.get("company")], ["currency"])
    return int(rows[0]["currency"]) if isinstance(rows, list) else 0


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []
