"""The canonical documents by name, as mapping files and the CLI refer to them."""

from __future__ import annotations

from b2bbridge.core.model.acknowledgement import OrderAcknowledgement
from b2bbridge.core.model.base import CanonicalDocument
from b2bbridge.core.model.customer import Customer
from b2bbridge.core.model.invoice import Invoice
from b2bbridge.core.model.order import Order
from b2bbridge.core.model.product import Product, StockLevel
from b2bbridge.core.model.shipment import Shipment

DOCUMENTS: dict[str, type[CanonicalDocument]] = {
    doc.document_type: doc
    for doc in (Order, OrderAcknowledgement, Customer, Product, StockLevel, Shipment, Invoice)
}
