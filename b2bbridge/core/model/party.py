"""Parties and the addresses and contacts they carry.

A party's ``role`` is canonical (``ship_to``), translated by a code table from the EDI
qualifier, which is kept in ``qualifier`` so that nothing the partner sent is lost; roles
without a canonical name map to ``other``.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from b2bbridge.core.model.base import CanonicalModel, NonEmpty, Reference


class PartyRole(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    SUPPLIER = "supplier"
    SHIP_TO = "ship_to"
    SHIP_FROM = "ship_from"
    BILL_TO = "bill_to"
    DELIVERY = "delivery"
    INVOICEE = "invoicee"
    PAYER = "payer"
    ORDERED_BY = "ordered_by"
    CARRIER = "carrier"
    END_USER = "end_user"
    MANUFACTURER = "manufacturer"
    OTHER = "other"


class Address(CanonicalModel):
    """A postal address; ``lines`` are the street lines in order."""

    lines: list[str] = Field(default_factory=list)
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None


class Contact(CanonicalModel):
    """A person or desk to reach about a document."""

    name: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    fax: str | None = None


class Party(CanonicalModel):
    """A business party in a role, with its identifier as the partner gave it."""

    role: PartyRole
    qualifier: str | None = None
    name: str | None = None
    id: str | None = None
    id_qualifier: str | None = None
    address: Address | None = None
    contacts: list[Contact] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)


class Site(CanonicalModel):
    """A named place of a customer: a ship-to, a store, a warehouse."""

    code: NonEmpty
    name: str | None = None
    address: Address | None = None
