"""What a shopper and a warehouse clerk do in the test systems, over their real HTTP APIs."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx

from b2bbridge.adapters.systems.tryton_rpc import TrytonClient


def place_order(
    shop_url: str, lines: list[tuple[str, int]], email: str | None = None
) -> tuple[str, str]:
    """Check out a guest basket with ``lines`` of (UPC, quantity); (order number, email)."""
    email = email or f"shopper-{uuid.uuid4().hex[:10]}@example.com"
    with httpx.Client(base_url=shop_url, timeout=30) as shopper:
        products = {p["upc"]: p["url"] for p in shopper.get("/api/products/").json()}
        for upc, quantity in lines:
            added = shopper.post(
                "/api/basket/add-product/", json={"url": products[upc], "quantity": quantity}
            )
            added.raise_for_status()
        basket = shopper.get("/api/basket/").json()
        country = shopper.get("/api/countries/").json()[0]["url"]
        address = {
            "first_name": "Ann",
            "last_name": "Shopper",
            "line1": "1 Main St",
            "line4": "Brussels",
            "postcode": "1000",
            "country": country,
        }
        body = {
            "basket": basket["url"],
            "guest_email": email,
            "shipping_method_code": "free-shipping",
            "shipping_address": address,
        }
        placed = shopper.post("/api/checkout/", json=body)
        placed.raise_for_status()
        return str(placed.json()["number"]), email


def order_status(shop_url: str, number: str) -> str:
    with httpx.Client(base_url=shop_url, auth=("admin", "admin"), timeout=30) as admin:
        orders = admin.get("/api/admin/orders/").json()
    return next(str(o["status"]) for o in orders if o["number"] == number)


def stock_of(shop_url: str, sku: str) -> int:
    with httpx.Client(base_url=shop_url, auth=("admin", "admin"), timeout=30) as admin:
        for product in admin.get("/api/admin/products/").json():
            detail = admin.get(product["url"]).json()
            for record in detail["stockrecords"]:
                if record["partner_sku"] == sku:
                    return int(record["num_in_stock"])
    raise LookupError(sku)


def rpc(url: str, database: str) -> TrytonClient:
    return TrytonClient(url, database, "admin", "admin")


def sales_with_reference(client: TrytonClient, reference: str) -> list[dict[str, Any]]:
    fields = ["state", "party.code", "lines", "reference", "shipments", "invoices"]
    rows = client.model(
        "sale.sale", "search_read", [("reference", "=", reference)], 0, None, None, fields
    )
    assert isinstance(rows, list)
    return rows


def sale_lines(client: TrytonClient, line_ids: list[int]) -> list[tuple[str, float, Decimal]]:
    rows = client.model("sale.line", "read", line_ids, ["product.code", "quantity", "unit_price"])
    assert isinstance(rows, list)
    return sorted((r["product."]["code"], r["quantity"], r["unit_price"]) for r in rows)


def move_stock_out(client: TrytonClient, sku: str, quantity: float) -> None:
    """Count ``quantity`` fewer of ``sku`` in storage with a confirmed stock inventory."""
    product = client.model("product.product", "search", [("code", "=", sku)], 0, 1, None)
    storage = client.model("stock.location", "search", [("code", "=", "STO")], 0, 1, None)
    assert isinstance(product, list)
    assert isinstance(storage, list)
    rows = client.call(
        "model.product.product.read", product, ["quantity"], extra={"locations": storage}
    )
    assert isinstance(rows, list)
    line = {"product": product[0], "quantity": float(rows[0]["quantity"]) - quantity}
    values = {"location": storage[0], "lines": [("create", [line])]}
    inventories = client.model("stock.inventory", "create", [values])
    client.model("stock.inventory", "confirm", inventories)


def quantity_of(client: TrytonClient, sku: str) -> float:
    warehouse = client.model("stock.location", "search", [("code", "=", "WH")], 0, 1, None)
    product = client.model("product.product", "search", [("code", "=", sku)], 0, 1, None)
    assert isinstance(warehouse, list)
    assert isinstance(product, list)
    rows = client.call(
        "model.product.product.read", product, ["quantity"], extra={"locations": warehouse}
    )
    assert isinstance(rows, list)
    return float(rows[0]["quantity"])


def ship_everything(client: TrytonClient, shipment_ids: list[int]) -> None:
    for step in ("assign_try", "pick", "pack", "do"):
        client.model("stock.shipment.out", step, shipment_ids)


def placed_at(shop_url: str, number: str) -> datetime:
    with httpx.Client(base_url=shop_url, auth=("admin", "admin"), timeout=30) as admin:
        orders = admin.get("/api/admin/orders/").json()
    return next(datetime.fromisoformat(o["date_placed"]) for o in orders if o["number"] == number)


def shop_users(shop_url: str, email: str) -> list[dict[str, Any]]:
    with httpx.Client(base_url=shop_url, auth=("admin", "admin"), timeout=30) as admin:
        users = admin.get("/api/admin/users/").json()
    return [user for user in users if user["email"] == email]
