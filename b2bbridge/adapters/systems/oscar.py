"""django-oscar (4.2, with django-oscar-api 3.3) as the storefront: a SystemAdapter over HTTP.

========== ======================================= =====================================
entity     read_changes                            upsert
========== ======================================= =====================================
order      placed orders → canonical orders        (not written: orders start in the shop)
stock      (not read)                              ``num_in_stock`` of the stock record
order_stat (not read)                              the order's status, via the DASHBOARD
customer   linked logins → contacts, web_logins    one web login per contact with e-mail
========== ======================================= =====================================

Where oscar-api has no endpoint this adapter uses Oscar's own dashboard over HTTP:
oscar-api 3.3 cannot change an order's status, so ``order_status`` posts the dashboard's
order form (``order_action=change_order_status``) as a logged-in staff user with a CSRF
token (see :mod:`~b2bbridge.adapters.systems.oscar_http`). Customers are read from
oscar-api's admin user list, in full each poll, since Django users have no modification
time (see :mod:`~b2bbridge.adapters.systems.oscar_customers`).

Facts the mapping relies on:

- ``/api/admin/orders/`` is unpaginated and unfilterable and its orders carry no
  "updated" time, so orders are read in full and filtered on ``date_placed``: the
  watermark for storefront orders is the placing time, and later edits are not changes;
- an order's key is ``order_prefix`` (default ``WEB-``) plus its Oscar number, which keeps
  storefront and partner order numbers apart in the ERP; the buyer is the shopper's
  email, the ship-to the order's shipping address;
- stock: ``num_in_stock`` ← the WMS's ``on_hand`` (whole units, never below 0). Oscar
  itself subtracts its own allocations (``num_allocated``) to show what is available;
- order status: ERP ``cancelled`` → ``Cancelled``; shipped (``shipment_state`` ``sent``
  or state ``done``) → ``Shipped``; ``confirmed``/``processing`` → ``Confirmed``. The
  names are settings (``statuses``). A status Oscar's pipeline only reaches through
  another (Pending → Confirmed → Shipped) is reached step by step. Records whose key
  lacks the prefix are not storefront orders: they are answered with external id ``-``.

Settings: ``url``, ``user``, ``password``, ``email`` (the staff login on the dashboard),
``order_prefix``, ``statuses``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from b2bbridge.adapters.systems.base import register_system
from b2bbridge.adapters.systems.errors import SystemRejectedError
from b2bbridge.adapters.systems.oscar_customers import read_customers, upsert_customers
from b2bbridge.adapters.systems.oscar_http import OscarHttp
from b2bbridge.adapters.systems.oscar_orders import read_orders
from b2bbridge.core.location import Location
from b2bbridge.ports import ChangeBatch, SyncRecord

STATUSES = {"confirmed": "Confirmed", "shipped": "Shipped", "cancelled": "Cancelled"}
STEPS = {"Shipped": ["Confirmed", "Shipped"]}
NOT_MINE = "-"


class OscarSystem:
    """:class:`b2bbridge.ports.SystemAdapter` for one Oscar shop."""

    def __init__(
        self,
        name: str,
        http: OscarHttp,
        *,
        order_prefix: str = "WEB-",
        statuses: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        self.http = http
        self.order_prefix = order_prefix
        self._statuses = {**STATUSES, **(statuses or {})}
        self._stockrecords: dict[str, str] = {}

    def read_changes(self, entity: str, since: datetime | None) -> ChangeBatch:
        if entity == "order":
            return read_orders(self.http, since, self.order_prefix)
        if entity == "customer":
            return read_customers(self.http, since)
        raise self._unsupported("read", entity)

    def upsert(self, entity: str, records: list[SyncRecord]) -> list[str]:
        if entity == "stock":
            return [self._set_stock(record) for record in records]
        if entity == "customer":
            return upsert_customers(self.http, records)
        if entity == "order_status":
            orders = self._orders_by_number()
            return [self._set_status(record, orders) for record in records]
        raise self._unsupported("write", entity)

    def close(self) -> None:
        self.http.close()

    def _set_stock(self, record: SyncRecord) -> str:
        sku = str(record.fields.get("sku") or record.key)
        url = self._stockrecord_url(sku)
        quantity = max(0, int(Decimal(str(record.fields["on_hand"]))))
        self.http.api("PATCH", url, json={"num_in_stock": quantity})
        return url.rstrip("/").rsplit("/", 1)[-1]

    def _stockrecord_url(self, sku: str) -> str:
        if sku not in self._stockrecords:
            self._load_stockrecords()
        try:
            return self._stockrecords[sku]
        except KeyError:
            raise SystemRejectedError(
                f"Oscar has no stock record with partner SKU {sku!r}",
                location=Location(file=f"oscar:stock/{sku}"),
            ) from None

    def _load_stockrecords(self) -> None:
        products = self.http.api("GET", "/api/admin/products/")
        for product in products if isinstance(products, list) else []:
            detail = self.http.api("GET", _path(str(product["url"])))
            for stock in detail.get("stockrecords", []) if isinstance(detail, dict) else []:
                self._stockrecords[str(stock["partner_sku"])] = _path(str(stock["url"]))

    def _orders_by_number(self) -> dict[str, str]:
        orders = self.http.api("GET", "/api/admin/orders/")
        return (
            {str(o["number"]): str(o["status"]) for o in orders} if isinstance(orders, list) else {}
        )

    def _set_status(self, record: SyncRecord, orders: dict[str, str]) -> str:
        if not record.key.startswith(self.order_prefix):
            return NOT_MINE
        number = record.key.removeprefix(self.order_prefix)
        wanted = self._wanted(record.fields)
        current = orders.get(number)
        if current is None:
            raise SystemRejectedError(
                f"Oscar has no order {number}", location=Location(file=f"oscar:order/{number}")
            )
        if wanted is None or wanted == current:
            return number
        for step in STEPS.get(wanted, [wanted]):
            if step != current:
                self._post_status(number, step)
                current = step
        return number

    def _wanted(self, fields: Mapping[str, object]) -> str | None:
        state, shipment = fields.get("state"), fields.get("shipment_state")
        if state == "cancelled":
            return self._statuses["cancelled"]
        if shipment == "sent" or state == "done":
            return self._statuses["shipped"]
        if state in ("confirmed", "processing"):
            return self._statuses["confirmed"]
        return None

    def _post_status(self, number: str, status: str) -> None:
        form = {"order_action": "change_order_status", "new_status": status}
        self.http.dashboard_post(f"/dashboard/orders/{number}/", form)
        if self._orders_by_number().get(number) != status:
            raise SystemRejectedError(
                f"Oscar did not move order {number} to {status!r}",
                location=Location(file=f"oscar:order/{number}"),
            )

    def _unsupported(self, verb: str, entity: str) -> SystemRejectedError:
        return SystemRejectedError(
            f"Oscar system {self.name!r} cannot {verb} {entity!r}",
            location=Location(file=f"oscar:{self.name}"),
        )


def _path(url: str) -> str:
    """The path of an absolute URL the API hands out, so that requests keep our base URL."""
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1]


def build_oscar(name: str, settings: Mapping[str, object]) -> OscarSystem:
    """An :class:`OscarSystem` from a system's settings (see the module docstring)."""
    http = OscarHttp(
        str(settings["url"]),
        str(settings.get("user", "admin")),
        str(settings.get("password", "")),
        email=str(settings["email"]) if settings.get("email") else None,
    )
    statuses = settings.get("statuses")
    return OscarSystem(
        name,
        http,
        order_prefix=str(settings.get("order_prefix", "WEB-")),
        statuses={str(k): str(v) for k, v in statuses.items()}
        if isinstance(statuses, Mapping)
        else None,
    )


register_system("oscar", build_oscar)
