"""Oscar orders read through oscar-api's admin endpoints, as canonical orders.

Each order costs one request for its lines; product URLs are resolved to UPCs (the SKU
shared with the ERP) through one request for the whole catalogue per read. A line's
unit price is its ``price_incl_tax`` divided by its quantity, since Oscar gives line
totals.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from b2bbridge.adapters.systems.oscar_http import OscarHttp
from b2bbridge.ports import ChangeBatch, SyncRecord


def read_orders(http: OscarHttp, since: datetime | None, prefix: str) -> ChangeBatch:
    """Orders placed at or after ``since``, oldest first."""
    orders = http.api("GET", "/api/admin/orders/")
    placed = [(datetime.fromisoformat(str(o["date_placed"])), o) for o in _objects(orders)]
    chosen = sorted(
        ((at, o) for at, o in placed if since is None or at >= since),
        key=lambda p: (p[0], str(p[1]["number"])),
    )
    if not chosen:
        return ChangeBatch(records=[], watermark=None)
    upcs = _upcs(http)
    records = [_order_record(http, order, at, prefix, upcs) for at, order in chosen]
    return ChangeBatch(records=records, watermark=chosen[-1][0])


def _order_record(
    http: OscarHttp, order: Mapping[str, object], at: datetime, prefix: str, upcs: Mapping[str, str]
) -> SyncRecord:
    lines = _objects(http.api("GET", _path(str(order["lines"]))))
    address = (
        order.get("shipping_address") if isinstance(order.get("shipping_address"), Mapping) else {}
    )
    assert isinstance(address, Mapping)
    email = str(order.get("email") or "")
    name = f"{address.get('first_name', '')} {address.get('last_name', '')}".strip() or email
    number = f"{prefix}{order['number']}"
    fields: dict[str, object] = {
        "number": number,
        "order_date": at.date().isoformat(),
        "currency": order.get("currency"),
        "parties": [
            {
                "role": "buyer",
                "id": email,
                "name": name,
                "address": {
                    "lines": [
                        str(address[k]) for k in ("line1", "line2", "line3") if address.get(k)
                    ],
                    "city": address.get("line4") or None,
                    "postal_code": address.get("postcode") or None,
                },
            }
        ],
        "lines": [_line(index, line, upcs) for index, line in enumerate(lines, start=1)],
    }
    return SyncRecord("order", number, fields, external_id=str(order["number"]), stamp=at)


def _line(index: int, line: Mapping[str, object], upcs: Mapping[str, str]) -> dict[str, object]:
    quantity = Decimal(str(line["quantity"]))
    total = Decimal(str(line["price_incl_tax"]))
    return {
        "line_number": str(index),
        "sku": upcs.get(_path(str(line["product"]))),
        "quantity": str(quantity),
        "unit_price": str((total / quantity).quantize(Decimal("0.01"))),
    }


def _upcs(http: OscarHttp) -> dict[str, str]:
    products = _objects(http.api("GET", "/api/products/"))
    return {_path(str(p["url"])): str(p["upc"]) for p in products}


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1]


def _objects(value: object) -> list[Mapping[str, object]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []
