"""The canonical product, and stock levels of it per location.

``partner_items`` keeps each partner's own item number for the product, which is how an
inbound line that names only a buyer part number finds the internal SKU.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from b2bbridge.core.model.base import CanonicalDocument, CanonicalModel, Instant, NonEmpty


class PartnerItem(CanonicalModel):
    partner: NonEmpty
    item_number: NonEmpty


class UnitConversion(CanonicalModel):
    """How many base units one ``unit`` holds (a case of 12: unit ``case``, factor 12)."""

    unit: NonEmpty
    factor: Decimal
    gtin: str | None = None


class Product(CanonicalDocument):
    document_type = "product"

    sku: NonEmpty
    name: str | None = None
    gtin: str | None = None
    base_unit: str = "each"
    units: list[UnitConversion] = Field(default_factory=list)
    partner_items: list[PartnerItem] = Field(default_factory=list)

    def natural_key(self) -> tuple[str, ...]:
        return (self.document_type, self.sku)


class StockLevel(CanonicalDocument):
    """Stock of one SKU at one location at one instant; ``available`` excludes reservations."""

    document_type = "stock_level"

    sku: NonEmpty
    location: NonEmpty
    on_hand: Decimal
    available: Decimal
    unit: str = "each"
    as_of: Instant

    def natural_key(self) -> tuple[str, ...]:
        return (self.document_type, self.sku, self.location, self.as_of.isoformat())
