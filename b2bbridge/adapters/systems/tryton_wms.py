"""Tryton's stock module as the WMS: quantities per product and shipments done.

Stock changes are found by polling ``stock.move`` records in state ``done`` written at
or after the watermark; the products they touch are then read again with ``locations``
(the warehouse) in the context, which is how Tryton computes stock per location.

Quantities, as the canonical :class:`~b2bbridge.core.model.StockLevel` names them:

- ``on_hand`` is Tryton's ``quantity`` at the warehouse: what is physically there;
- ``available`` is Tryton's ``forecast_quantity``: on hand, less what confirmed sales
  will take, plus planned receipts; it can be below zero.

Shipments are ``stock.shipment.out`` in state ``done``; each becomes a canonical
shipment with one pack per sale it serves (Tryton without the package module has no
packs of its own) and the shipment's ``reference`` as its tracking number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from b2bbridge.adapters.systems.tryton_rpc import TrytonClient
from b2bbridge.ports import ChangeBatch, SyncRecord

ORDER = [("write_date", "ASC"), ("id", "ASC")]


def read_stock(client: TrytonClient, since: datetime | None, warehouse: str) -> ChangeBatch:
    """Stock levels of the products that moved at or after ``since``."""
    domain: list[object] = [("state", "=", "done")]
    if since is not None:
        domain.append(("write_date", ">=", since))
    moves = _rows(
        client.model("stock.move", "search_read", domain, 0, None, ORDER, ["product", "write_date"])
    )
    stamps: dict[int, datetime] = {}
    for move in moves:
        stamps[int(str(move["product"]))] = _stamp(move)
    if not stamps:
        return ChangeBatch(records=[], watermark=None)
    location = _location_id(client, warehouse)
    fields = ["code", "quantity", "forecast_quantity"]
    products = _rows(
        client.call(
            "model.product.product.read", list(stamps), fields, extra={"locations": [location]}
        )
    )
    records = [_stock_record(row, warehouse, stamps[int(str(row["id"]))]) for row in products]
    records.sort(key=lambda record: (record.stamp, record.key))
    return ChangeBatch(records=records, watermark=max(stamps.values()))


def _stock_record(row: Mapping[str, object], warehouse: str, stamp: datetime) -> SyncRecord:
    fields: dict[str, object] = {
        "sku": row["code"],
        "location": warehouse,
        "on_hand": str(row["quantity"]),
        "available": str(row["forecast_quantity"]),
        "unit": "each",
        "as_of": stamp.isoformat(),
    }
    return SyncRecord("stock", str(row["code"]), fields, external_id=str(row["id"]), stamp=stamp)


def read_shipments(client: TrytonClient, since: datetime | None) -> ChangeBatch:
    """Customer shipments done at or after ``since``, as canonical shipments."""
    domain: list[object] = [("state", "=", "done")]
    if since is not None:
        domain.append(("write_date", ">=", since))
    fields = ["number", "reference", "effective_date", "outgoing_moves", "write_date", "customer"]
    rows = _rows(client.model("stock.shipment.out", "search_read", domain, 0, None, ORDER, fields))
    records = [_shipment_record(client, row) for row in rows]
    return ChangeBatch(records=records, watermark=max((_stamp(r) for r in rows), default=None))


def _shipment_record(client: TrytonClient, row: Mapping[str, object]) -> SyncRecord:
    move_ids = row.get("outgoing_moves") or []
    moves = _rows(
        client.model("stock.move", "read", move_ids, ["product.code", "quantity", "origin"])
    )
    packs: dict[str, list[dict[str, object]]] = {}
    for move in moves:
        order = _sale_reference(client, move.get("origin"))
        product = move.get("product.")
        sku = product.get("code") if isinstance(product, Mapping) else None
        packs.setdefault(order, []).append(
            {"sku": sku, "quantity": str(move["quantity"]), "unit": "each"}
        )
    tracking = [str(row["reference"])] if row.get("reference") else []
    shipped = row.get("effective_date")
    fields: dict[str, object] = {
        "number": row["number"],
        "ship_date": shipped.isoformat() if hasattr(shipped, "isoformat") else None,
        "tracking_numbers": tracking,
        "orders": [
            {"order_number": order, "packs": [{"items": items}]} for order, items in packs.items()
        ],
    }
    return SyncRecord(
        "shipment", str(row["number"]), fields, external_id=str(row["id"]), stamp=_stamp(row)
    )


def _sale_reference(client: TrytonClient, origin: object) -> str:
    if not isinstance(origin, str) or not origin.startswith("sale.line,"):
        return "unknown"
    line_id = int(origin.split(",", 1)[1])
    rows = _rows(client.model("sale.line", "read", [line_id], ["sale.reference", "sale.number"]))
    sale = rows[0].get("sale.") if rows else None
    if isinstance(sale, Mapping):
        return str(sale.get("reference") or sale.get("number"))
    return "unknown"


def _location_id(client: TrytonClient, code: str) -> int:
    rows = _rows(
        client.model("stock.location", "search_read", [("code", "=", code)], 0, 1, None, ["id"])
    )
    if not rows:
        raise LookupError(f"Tryton has no stock location with code {code!r}")
    return int(str(rows[0]["id"]))


def _stamp(row: Mapping[str, object]) -> datetime:
    stamp = row.get("write_date")
    if not isinstance(stamp, datetime):
        raise TypeError(f"Tryton row {row.get('id')} has no write_date")
    return stamp


def _rows(value: object) -> Sequence[Mapping[str, object]]:
    return [row for row in value if isinstance(row, Mapping)] if isinstance(value, list) else []
