"""The canonical customer: an account as the ERP and the storefront both know it."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from b2bbridge.core.model.base import CanonicalDocument, CanonicalModel, NonEmpty
from b2bbridge.core.model.order import PaymentTerms
from b2bbridge.core.model.party import Address, Contact, Site


class ContractPrice(CanonicalModel):
    """A price agreed for one customer, overriding the price list from ``min_quantity`` up."""

    sku: NonEmpty
    price: Decimal
    currency: str | None = None
    min_quantity: Decimal = Decimal(1)


class Customer(CanonicalDocument):
    document_type = "customer"

    account_number: NonEmpty
    name: NonEmpty
    address: Address | None = None
    contacts: list[Contact] = Field(default_factory=list)
    payment_terms: PaymentTerms | None = None
    price_list: str | None = None
    contract_prices: list[ContractPrice] = Field(default_factory=list)
    credit_limit: Decimal | None = None
    currency: str | None = None
    preferred_carrier: str | None = None
    ship_to_locations: list[Site] = Field(default_factory=list)

    def natural_key(self) -> tuple[str, ...]:
        return (self.document_type, self.account_number)
