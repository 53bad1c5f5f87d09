"""Tryton as ERP, WMS or CRM: a SystemAdapter over its JSON-RPC API.

One adapter per Tryton database (the ERP, WMS and CRM may each be a separate database,
even on one server). Entities and what they do here:

============  ===========================  ==========================================
entity        read_changes                 upsert
============  ===========================  ==========================================
order         (not read)                   canonical orders → confirmed ``sale.sale``
order_status  ``sale.sale`` state changes  (not written)
stock         done moves → StockLevel      (not written)
shipment      done ``stock.shipment.out``  (not written)
invoice       posted ``account.invoice``   (not written)
customer      ``party.party`` + contacts   parties with contact mechanisms, web
              (deactivated ones too)       logins and the active flag
lead          ``sale.opportunity``         leads, found again by reference
shipment_     ERP: waiting shipments;      ERP: shipments done with tracking;
request       WMS: done shipments          WMS: requested shipments created
============  ===========================  ==========================================

Settings: ``url``, ``database``, ``user``, ``password``, ``warehouse`` (a stock location
code, default ``WH``), ``confirm_sales`` (default true), ``handover`` (``erp`` or
``wms``: this database's side of a shipment hand-over between two databases, see
:mod:`~b2bbridge.adapters.systems.tryton_handover`; without it, ``shipment_request`` is
refused).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from b2bbridge.adapters.systems.base import register_system
from b2bbridge.adapters.systems.errors import SystemRejectedError
from b2bbridge.adapters.systems.tryton_crm import read_customers, upsert_customers
from b2bbridge.adapters.systems.tryton_handover import (
    apply_done,
    read_fulfilled,
    read_requests,
    upsert_requests,
)
from b2bbridge.adapters.systems.tryton_invoices import read_invoices
from b2bbridge.adapters.systems.tryton_leads import read_leads, upsert_leads
from b2bbridge.adapters.systems.tryton_rpc import TrytonClient
from b2bbridge.adapters.systems.tryton_sales import read_sales, upsert_orders
from b2bbridge.adapters.systems.tryton_wms import read_shipments, read_stock
from b2bbridge.core.location import Location
from b2bbridge.ports import ChangeBatch, SyncRecord


class TrytonSystem:
    """:class:`b2bbridge.ports.SystemAdapter` for one Tryton database."""

    def __init__(
        self,
        name: str,
        client: TrytonClient,
        *,
        warehouse: str = "WH",
        confirm_sales: bool = True,
        handover: str | None = None,
    ) -> None:
        self.name = name
        self.client = client
        self._warehouse = warehouse
        self._confirm = confirm_sales
        self._handover = handover

    def read_changes(self, entity: str, since: datetime | None) -> ChangeBatch:
        if entity == "order_status":
            return read_sales(self.client, since)
        if entity == "stock":
            return read_stock(self.client, since, self._warehouse)
        if entity == "shipment":
            return read_shipments(self.client, since)
        if entity == "invoice":
            return read_invoices(self.client, since)
        if entity == "customer":
            return read_customers(self.client, since)
        if entity == "lead":
            return read_leads(self.client, since)
        if entity == "shipment_request" and self._handover == "erp":
            return read_requests(self.client, since)
        if entity == "shipment_request" and self._handover == "wms":
            return read_fulfilled(self.client, since)
        raise self._unsupported("read", entity)

    def upsert(self, entity: str, records: list[SyncRecord]) -> list[str]:
        if not records:
            return []
        if entity == "order":
            return upsert_orders(self.client, records, confirm=self._confirm)
        if entity == "customer":
            return upsert_customers(self.client, records)
        if entity == "lead":
            return upsert_leads(self.client, records)
        if entity == "shipment_request" and self._handover == "erp":
            return apply_done(self.client, records)
        if entity == "shipment_request" and self._handover == "wms":
            return upsert_requests(self.client, records, self._warehouse)
        raise self._unsupported("write", entity)

    def close(self) -> None:
        self.client.close()

    def _unsupported(self, verb: str, entity: str) -> SystemRejectedError:
        return SystemRejectedError(
            f"Tryton system {self.name!r} cannot {verb} {entity!r}",
            location=Location(file=f"tryton:{self.name}"),
        )


def build_tryton(name: str, settings: Mapping[str, object]) -> TrytonSystem:
    """A :class:`TrytonSystem` from a system's settings (see the module docstring)."""
    client = TrytonClient(
        str(settings["url"]),
        str(settings["database"]),
        str(settings.get("user", "admin")),
        str(settings.get("password", "")),
        timeout=float(str(settings.get("timeout", 30))),
    )
    return TrytonSystem(
        name,
        client,
        warehouse=str(settings.get("warehouse", "WH")),
        confirm_sales=bool(settings.get("confirm_sales", True)),
        handover=_handover(name, settings.get("handover")),
    )


def _handover(name: str, value: object) -> str | None:
    """The ``handover`` setting, checked at start-up so that a typo is not a silent no-op."""
    if value is None or value in ("erp", "wms"):
        return None if value is None else str(value)
    raise SystemRejectedError(
        f"Tryton system {name!r}: handover must be 'erp' or 'wms', not {value!r}",
        location=Location(file=f"tryton:{name}"),
    )


register_system("tryton", build_tryton)
