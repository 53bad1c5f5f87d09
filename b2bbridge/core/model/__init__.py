"""The canonical documents every format maps into and out of.

One module per document; each is a frozen pydantic model with a ``schema_version`` and a
``natural_key()`` used to recognise duplicates.
"""

from b2bbridge.core.model.acknowledgement import AcknowledgedLine, LineStatus, OrderAcknowledgement
from b2bbridge.core.model.base import CanonicalDocument, CanonicalModel, Note, Reference
from b2bbridge.core.model.customer import ContractPrice, Customer
from b2bbridge.core.model.invoice import (
    Adjustment,
    AdjustmentKind,
    Invoice,
    InvoiceLine,
    InvoiceTotals,
    Tax,
)
from b2bbridge.core.model.order import Carrier, Order, OrderLine, OrderTotals, PaymentTerms
from b2bbridge.core.model.party import Address, Contact, Party, PartyRole, Site
from b2bbridge.core.model.product import PartnerItem, Product, StockLevel, UnitConversion
from b2bbridge.core.model.registry import DOCUMENTS
from b2bbridge.core.model.schemas import canonical_json_schemas
from b2bbridge.core.model.shipment import Pack, Shipment, ShippedItem, ShippedOrder

__all__ = [
    "DOCUMENTS",
    "AcknowledgedLine",
    "Address",
    "Adjustment",
    "AdjustmentKind",
    "CanonicalDocument",
    "CanonicalModel",
    "Carrier",
    "Contact",
    "ContractPrice",
    "Customer",
    "Invoice",
    "InvoiceLine",
    "InvoiceTotals",
    "LineStatus",
    "Note",
    "Order",
    "OrderAcknowledgement",
    "OrderLine",
    "OrderTotals",
    "Pack",
    "PartnerItem",
    "Party",
    "PartyRole",
    "PaymentTerms",
    "Product",
    "Reference",
    "Shipment",
    "ShippedItem",
    "ShippedOrder",
    "Site",
    "StockLevel",
    "Tax",
    "UnitConversion",
    "canonical_json_schemas",
]
