"""Customer shipments handed over between an ERP and a WMS kept in separate Tryton databases.

The entity is ``shipment_request``, keyed on the ERP shipment's number. Which side of the
hand-over a database plays is its ``handover`` setting:

=========  ===============================================  ==============================
handover   read_changes                                     upsert
=========  ===============================================  ==============================
``erp``    customer shipments ``waiting`` or ``assigned``   the shipment done: tracking
           (what the sale asked for), as requests           reference, ship date, and the
                                                            transitions to ``done``
``wms``    customer shipments ``done``, with the tracking   a ``waiting`` shipment with
           number and ship date                             the requested moves
=========  ===============================================  ==============================

A request carries the customer (code, name, delivery address), the planned date, the
sales it serves and its items (product code, quantity, unit price). The WMS resolves the
customer by code (created with the address when unknown) and the products by code, and
puts the request's key in the new shipment's ``reference``, so that a batch re-sent after
a crash finds the shipment it already created instead of creating a second one. The
clerk overwrites that reference with the carrier's tracking number when shipping: a
done WMS shipment reads with its ``reference`` as tracking number and under the key
``wms:<number>``; the flow that carries it back (``keys_from_id_map``) takes the
request's key from the id map. A reference still equal to the request's key is not a
tracking number and is not written to the ERP.

On the ERP side a done request updates the mapped shipment: ``reference`` becomes the
first tracking number, ``effective_date`` the ship date, and the shipment goes through
``assign_try`` (``assign_force`` when the ERP's own stock figures disagree: the goods
have left the warehouse), ``pick``, ``pack`` and ``do``; Tryton then moves the sale's
shipment state on. A shipment already done or cancelled in the ERP is left alone, and a
WMS shipment the ERP never requested is answered ``-`` (nothing of the ERP's). The ERP
shipment is done with the quantities it was requested with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from b2bbridge.adapters.systems.errors import SystemRejectedError
from b2bbridge.adapters.systems.tryton_parties import resolve_customer
from b2bbridge.adapters.systems.tryton_rpc import TrytonClient
from b2bbridge.core.location import Location
from b2bbridge.ports import ChangeBatch, SyncRecord

SHIPMENT = "stock.shipment.out"
ORDER = [("write_date", "ASC"), ("id", "ASC")]
NOT_REQUESTED = "-"
STEPS = {
    "waiting": ["assign_try", "pick", "pack", "do"],
    "assigned": ["pick", "pack", "do"],
    "picked": ["pack", "do"],
    "packed": ["do"],
    "shipped": ["do"],
}


def read_requests(client: TrytonClient, since: datetime | None) -> ChangeBatch:
    """ERP customer shipments waiting or assigned, written at or after ``since``."""
    domain: list[object] = [("state", "in", ["waiting", "assigned"])]
    fields = ["number", "planned_date", "outgoing_moves", "write_date", "customer"]
    rows = _shipments(client, domain, since, fields)
    records = [_request_record(client, row) for row in rows]
    return ChangeBatch(records=records, watermark=max((_stamp(r) for r in rows), default=None))


def _request_record(client: TrytonClient, row: Mapping[str, object]) -> SyncRecord:
    moves = _rows(
        client.model(
            "stock.move",
            "read",
            row.get("outgoing_moves") or [],
            ["product.code", "quantity", "unit_price", "origin"],
        )
    )
    items = [
        {"sku": _code(move), "quantity": str(move["quantity"]), "unit_price": _text(move)}
        for move in moves
    ]
    references = {_sale_reference(client, move.get("origin")) for move in moves}
    orders = sorted(reference for reference in references if reference is not None)
    fields: dict[str, object] = {
        "number": row["number"],
        "planned_date": _iso(row.get("planned_date")),
        "customer": _customer(client, row),
        "orders": orders,
        "items": items,
    }
    return SyncRecord(
        "shipment_request", str(row["number"]), fields, str(row["id"]), stamp=_stamp(row)
    )


def _customer(client: TrytonClient, row: Mapping[str, object]) -> dict[str, object]:
    shipment = _rows(
        client.model(
            SHIPMENT,
            "read",
            [row["id"]],
            [
                "customer.code",
                "customer.name",
                "delivery_address.street",
                "delivery_address.city",
                "delivery_address.postal_code",
            ],
        )
    )[0]
    party = _nested(shipment, "customer.")
    address = _nested(shipment, "delivery_address.")
    street = str(address.get("street") or "")
    return {
        "code": party.get("code"),
        "name": party.get("name"),
        "address": {
            "lines": [line for line in street.splitlines() if line],
            "city": address.get("city"),
            "postal_code": address.get("postal_code"),
        },
    }


def _sale_reference(client: TrytonClient, origin: object) -> str | None:
    if not isinstance(origin, str) or not origin.startswith("sale.line,"):
        return None
    rows = _rows(
        client.model("sale.line", "read", [int(origin.split(",", 1)[1])], ["sale.reference"])
    )
    sale = _nested(rows[0], "sale.") if rows else {}
    return str(sale["reference"]) if sale.get("reference") else None


def upsert_requests(
    client: TrytonClient, records: Sequence[SyncRecord], warehouse: str
) -> list[str]:
    """WMS shipment ids for ``records``, creating (and setting waiting) only new ones."""
    found = _by_reference(client, [r.key for r in records if r.external_id is None])
    pending = [r for r in records if r.external_id is None and r.key not in found]
    if pending:
        place = _Warehouse.read(client, warehouse)
        values = [_shipment_values(client, place, record) for record in pending]
        created = client.model(SHIPMENT, "create", values)
        if not isinstance(created, list) or len(created) != len(pending):
            raise _rejected(f"shipment create answered {created!r}")
        client.model(SHIPMENT, "wait", created)
        found.update({record.key: int(str(i)) for record, i in zip(pending, created, strict=True)})
    return [record.external_id or str(found[record.key]) for record in records]


def _by_reference(client: TrytonClient, keys: list[str]) -> dict[str, int]:
    if not keys:
        return {}
    domain = [("reference", "in", keys), ("state", "!=", "cancelled")]
    rows = _rows(client.model(SHIPMENT, "search_read", domain, 0, None, ORDER, ["reference"]))
    return {str(row["reference"]): int(str(row["id"])) for row in rows}


class _Warehouse:
    """The WMS warehouse's locations and the company a new shipment belongs to."""

    def __init__(self, row: Mapping[str, object], company: int, currency: int) -> None:
        self.id, self.company, self.currency = int(str(row["id"])), company, currency
        self.storage = row["storage_location"]
        self.output = row["output_location"]

    @classmethod
    def read(cls, client: TrytonClient, code: str) -> _Warehouse:
        fields = ["storage_location", "output_location"]
        rows = _rows(
            client.model("stock.location", "search_read", [("code", "=", code)], 0, 1, None, fields)
        )
        if not rows:
            raise _rejected(f"the WMS has no warehouse with code {code!r}")
        company = int(str(client.context.get("company")))
        currency = _rows(client.model("company.company", "read", [company], ["currency"]))
        return cls(rows[0], company, int(str(currency[0]["currency"])))


def _shipment_values(
    client: TrytonClient, place: _Warehouse, record: SyncRecord
) -> dict[str, object]:
    customer = record.fields.get("customer")
    if not isinstance(customer, Mapping) or not customer.get("code"):
        raise _rejected(f"shipment request {record.key} names no customer code", record.key)
    address = customer.get("address")
    party = resolve_customer(
        client,
        str(customer["code"]),
        str(customer.get("name") or customer["code"]),
        address if isinstance(address, Mapping) else {},
    )
    located = _rows(client.model("party.party", "read", [party.party_id], ["customer_location"]))
    planned = record.fields.get("planned_date")
    when = date.fromisoformat(str(planned)) if planned else None
    moves = [
        {
            **_move_product(client, item, record.key),
            "from_location": place.output,
            "to_location": located[0]["customer_location"],
            "company": place.company,
            "currency": place.currency,
            "planned_date": when,
        }
        for item in _list(record.fields.get("items"))
    ]
    return {
        "customer": party.party_id,
        "delivery_address": party.address_id,
        "company": place.company,
        "warehouse": place.id,
        "warehouse_storage": place.storage,
        "warehouse_output": place.output,
        "planned_date": when,
        "reference": record.key,
        "moves": [("create", moves)],
    }


def _move_product(client: TrytonClient, item: object, key: str) -> dict[str, object]:
    if not isinstance(item, Mapping):
        raise _rejected(f"shipment request {key} has an item that is not an object", key)
    rows = _rows(
        client.model(
            "product.product",
            "search_read",
            [("code", "=", item.get("sku"))],
            0,
            1,
            None,
            ["default_uom", "list_price_used"],
        )
    )
    if not rows:
        raise _rejected(
            f"shipment request {key}: no WMS product with code {item.get('sku')!r}", key
        )
    price = item.get("unit_price")
    return {
        "product": rows[0]["id"],
        "unit": rows[0]["default_uom"],
        "quantity": float(Decimal(str(item["quantity"]))),
        "unit_price": Decimal(str(price)) if price is not None else rows[0]["list_price_used"],
    }


def read_fulfilled(client: TrytonClient, since: datetime | None) -> ChangeBatch:
    """WMS customer shipments done at or after ``since``, keyed ``wms:<number>``."""
    domain: list[object] = [("state", "=", "done")]
    rows = _shipments(
        client, domain, since, ["number", "reference", "effective_date", "write_date"]
    )
    records = [
        SyncRecord(
            "shipment_request",
            f"wms:{row['number']}",
            {
                "state": "done",
                "ship_date": _iso(row.get("effective_date")),
                "tracking_numbers": [str(row["reference"])] if row.get("reference") else [],
            },
            str(row["id"]),
            stamp=_stamp(row),
        )
        for row in rows
    ]
    return ChangeBatch(records=records, watermark=max((_stamp(r) for r in rows), default=None))


def apply_done(client: TrytonClient, records: Sequence[SyncRecord]) -> list[str]:
    """Take the ERP shipments of done requests to ``done``, with tracking and ship date."""
    ids = {r.key: int(r.external_id) for r in records if r.external_id and r.external_id.isdigit()}
    rows = _rows(client.model(SHIPMENT, "read", list(ids.values()), ["state"]))
    states = {int(str(row["id"])): str(row["state"]) for row in rows}
    waiting: dict[str, list[int]] = {}
    for record in records:
        shipment = ids.get(record.key)
        if shipment is None or states.get(shipment) not in STEPS:
            continue
        client.model(SHIPMENT, "write", [shipment], done_values(record))
        waiting.setdefault(states[shipment], []).append(shipment)
    _advance(client, waiting)
    return [str(ids[r.key]) if r.key in ids else NOT_REQUESTED for r in records]


def done_values(record: SyncRecord) -> dict[str, object]:
    """The ERP shipment's new reference and effective date; a stale request key is dropped."""
    tracking = [t for t in _list(record.fields.get("tracking_numbers")) if t != record.key]
    values: dict[str, object] = {}
    if tracking:
        values["reference"] = str(tracking[0])
    shipped = record.fields.get("ship_date")
    if shipped:
        values["effective_date"] = date.fromisoformat(str(shipped))
    return values


def _advance(client: TrytonClient, by_state: Mapping[str, list[int]]) -> None:
    """Run each remaining transition once per step for every shipment that needs it."""
    for step in STEPS["waiting"]:
        due = [i for state, ids in by_state.items() if step in STEPS[state] for i in ids]
        if not due:
            continue
        client.model(SHIPMENT, step, due)
        if step == "assign_try":
            rows = _rows(client.model(SHIPMENT, "read", due, ["state"]))
            short = [int(str(row["id"])) for row in rows if row["state"] == "waiting"]
            if short:
                client.model(SHIPMENT, "assign_force", short)


def _shipments(
    client: TrytonClient, domain: list[object], since: datetime | None, fields: list[str]
) -> Sequence[Mapping[str, object]]:
    if since is not None:
        domain = [*domain, ("write_date", ">=", since)]
    return _rows(client.model(SHIPMENT, "search_read", domain, 0, None, ORDER, fields))


def _rejected(message: str, key: str | None = None) -> SystemRejectedError:
    return SystemRejectedError(
        message, location=Location(file=f"tryton:{SHIPMENT}", transaction=key)
    )


def _code(move: Mapping[str, object]) -> object:
    return _nested(move, "product.").get("code")


def _text(move: Mapping[str, object]) -> str | None:
    price = move.get("unit_price")
    return None if price is None else str(price)


def _iso(value: object) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def _nested(row: Mapping[str, object], name: str) -> Mapping[str, object]:
    value = row.get(name)
    return value if isinstance(value, Mapping) else {}


def _stamp(row: Mapping[str, object]) -> datetime:
    stamp = row.get("write_date")
    if not isinstance(stamp, datetime):
        raise TypeError(f"Tryton row {row.get('id')} has no write_date")
    return stamp


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _rows(value: object) -> Sequence[Mapping[str, object]]:
    return [row for row in value if isinstance(row, Mapping)] if isinstance(value, list) else []
