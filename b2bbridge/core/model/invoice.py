"""The canonical invoice (810, INVOIC): lines, taxes, allowances and charges, totals.

An allowance is a negative adjustment and a charge a positive one; ``amount`` is always
positive and ``kind`` says which, so that sums never depend on a sign convention.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from b2bbridge.core.model.base import CanonicalDocument, CanonicalModel, NonEmpty, Reference
from b2bbridge.core.model.order import PaymentTerms
from b2bbridge.core.model.party import Party


class Tax(CanonicalModel):
    kind: NonEmpty
    rate: Decimal | None = None
    amount: Decimal
    taxable_amount: Decimal | None = None


class AdjustmentKind(StrEnum):
    ALLOWANCE = "allowance"
    CHARGE = "charge"


class Adjustment(CanonicalModel):
    kind: AdjustmentKind
    amount: Decimal = Field(ge=0)
    code: str | None = None
    description: str | None = None


class InvoiceLine(CanonicalModel):
    line_number: str | None = None
    sku: str | None = None
    gtin: str | None = None
    buyer_item: str | None = None
    description: str | None = None
    quantity: Decimal
    unit: str | None = None
    unit_price: Decimal
    amount: Decimal | None = None
    taxes: list[Tax] = Field(default_factory=list)
    adjustments: list[Adjustment] = Field(default_factory=list)


class InvoiceTotals(CanonicalModel):
    lines_amount: Decimal | None = None
    tax_amount: Decimal | None = None
    amount_due: Decimal


class Invoice(CanonicalDocument):
    document_type = "invoice"

    number: NonEmpty
    invoice_date: date
    order_number: str | None = None
    currency: str | None = None
    payment_terms: PaymentTerms | None = None
    due_date: date | None = None
    references: list[Reference] = Field(default_factory=list)
    parties: list[Party] = Field(default_factory=list)
    lines: list[InvoiceLine] = Field(default_factory=list)
    taxes: list[Tax] = Field(default_factory=list)
    adjustments: list[Adjustment] = Field(default_factory=list)
    totals: InvoiceTotals

    def natural_key(self) -> tuple[str, ...]:
        return (self.document_type, self.number, self.invoice_date.isoformat())
