"""The canonical order acknowledgement (855, ORDRSP): the seller's answer, line by line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from b2bbridge.core.model.base import CanonicalDocument, CanonicalModel, NonEmpty, Note


class LineStatus(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    BACKORDERED = "backordered"
    QUANTITY_CHANGED = "quantity_changed"
    DATE_CHANGED = "date_changed"
    PRICE_CHANGED = "price_changed"


class AcknowledgedLine(CanonicalModel):
    """The answer for one order line; the changed values are set when the status says so."""

    line_number: NonEmpty
    status: LineStatus
    sku: str | None = None
    ordered_quantity: Decimal | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    delivery_date: date | None = None
    reason: str | None = None


class OrderAcknowledgement(CanonicalDocument):
    document_type = "order_acknowledgement"

    number: NonEmpty
    order_number: NonEmpty
    order_date: date | None = None
    acknowledgement_date: date
    status: LineStatus
    lines: list[AcknowledgedLine] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)

    def natural_key(self) -> tuple[str, ...]:
        return (self.document_type, self.number, self.acknowledgement_date.isoformat())
