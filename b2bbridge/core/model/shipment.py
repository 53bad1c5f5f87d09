"""The canonical shipment (856, DESADV): shipment, then orders, then packs, then items.

The nesting follows the usual pick-pack hierarchy; a pack is identified by its SSCC (the
18-digit serial shipping container code on the label).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import Field

from b2bbridge.core.model.base import CanonicalDocument, CanonicalModel, Instant, NonEmpty
from b2bbridge.core.model.order import Carrier
from b2bbridge.core.model.party import Party


class ShippedItem(CanonicalModel):
    line_number: str | None = None
    sku: str | None = None
    gtin: str | None = None
    buyer_item: str | None = None
    quantity: Decimal
    unit: str | None = None
    lot: str | None = None


class Pack(CanonicalModel):
    sscc: str | None = Field(default=None, pattern=r"^\d{18}$")
    items: list[ShippedItem] = Field(default_factory=list)


class ShippedOrder(CanonicalModel):
    order_number: NonEmpty
    packs: list[Pack] = Field(default_factory=list)


class Shipment(CanonicalDocument):
    document_type = "shipment"

    number: NonEmpty
    shipped_at: Instant | None = None
    ship_date: date
    expected_delivery_date: date | None = None
    carrier: Carrier | None = None
    tracking_numbers: list[str] = Field(default_factory=list)
    parties: list[Party] = Field(default_factory=list)
    orders: list[ShippedOrder] = Field(default_factory=list)

    def natural_key(self) -> tuple[str, ...]:
        return (self.document_type, self.number, self.ship_date.isoformat())
