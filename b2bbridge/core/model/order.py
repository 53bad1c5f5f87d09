"""The canonical purchase order: what an 850, an ORDERS or an XML order becomes.

``natural_key`` is partner-independent on purpose: the same PO number on the same day is
the same order whichever route it arrived by, so a replay or a resend is a duplicate.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import Field

from b2bbridge.core.model.base import CanonicalDocument, CanonicalModel, NonEmpty, Note, Reference
from b2bbridge.core.model.party import Contact, Party


class PaymentTerms(CanonicalModel):
    """Terms of sale (ITD, PAT): discount if paid within some days, else net in some days."""

    code: str | None = None
    basis: str | None = None
    discount_percent: Decimal | None = None
    discount_days: int | None = None
    net_days: int | None = None
    description: str | None = None


class Carrier(CanonicalModel):
    """Who carries the goods and how (TD5, TDT)."""

    code: str | None = None
    name: str | None = None
    ship_method: str | None = None


class OrderLine(CanonicalModel):
    """One ordered item. ``unit`` is canonical (``each``, ``case``…), from a code table."""

    line_number: str | None = None
    buyer_item: str | None = None
    vendor_item: str | None = None
    gtin: str | None = None
    sku: str | None = None
    description: str | None = None
    quantity: Decimal
    unit: str | None = None
    unit_price: Decimal | None = None
    price_basis: str | None = None
    requested_delivery_date: date | None = None
    requested_ship_date: date | None = None
    references: list[Reference] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)


class OrderTotals(CanonicalModel):
    """The control totals the sender stated (CTT, CNT, AMT, MOA), kept to check against."""

    line_count: int | None = None
    quantity: Decimal | None = None
    amount: Decimal | None = None


class Order(CanonicalDocument):
    document_type = "order"

    number: NonEmpty
    partner: str | None = None
    order_type: str | None = None
    purpose: str | None = None
    order_date: date | None = None
    requested_delivery_date: date | None = None
    requested_ship_date: date | None = None
    references: list[Reference] = Field(default_factory=list)
    currency: str | None = None
    payment_terms: PaymentTerms | None = None
    carrier: Carrier | None = None
    notes: list[Note] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    parties: list[Party] = Field(default_factory=list)
    lines: list[OrderLine] = Field(default_factory=list)
    totals: OrderTotals | None = None

    def natural_key(self) -> tuple[str, ...]:
        day = self.order_date.isoformat() if self.order_date else ""
        return (self.document_type, self.number, day)
