"""Tryton parties: find a customer by its code, or create it with its address.

The canonical customer key becomes the party's ``code``, which Tryton keeps unique, so
resolving twice finds the same party. A new party gets one address (invoice and
delivery both point at it) because RPC ``create`` runs no on_change to fill them in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from b2bbridge.adapters.systems.tryton_rpc import TrytonClient


@dataclass(frozen=True, slots=True)
class Customer:
    """What a sale needs of its customer: the party and its address."""

    party_id: int
    address_id: int | None


def resolve_customer(
    client: TrytonClient, code: str, name: str, address: Mapping[str, object]
) -> Customer:
    """The party whose code is ``code``, created (with ``address``) when there is none."""
    found = client.model(
        "party.party", "search_read", [("code", "=", code)], 0, 1, None, ["addresses"]
    )
    if isinstance(found, list) and found:
        addresses = found[0].get("addresses") or []
        return Customer(int(found[0]["id"]), int(addresses[0]) if addresses else None)
    values = {
        "name": name or code,
        "code": code,
        "addresses": [("create", [address_values(address)])],
    }
    created = client.model("party.party", "create", [values])
    party_id = int(str(_first(created)))
    read = client.model("party.party", "read", [party_id], ["addresses"])
    addresses = read[0]["addresses"] if isinstance(read, list) else []
    return Customer(party_id, int(addresses[0]) if addresses else None)


def address_values(address: Mapping[str, object]) -> dict[str, object]:
    """Tryton ``party.address`` values from a canonical address (country is left out)."""
    lines = address.get("lines") or []
    street = "\n".join(str(line) for line in lines) if isinstance(lines, list) else str(lines)
    return {
        "street": street or None,
        "city": address.get("city"),
        "postal_code": address.get("postal_code"),
    }


def _first(created: object) -> object:
    if not isinstance(created, list) or not created:
        raise TypeError(f"Tryton create answered {created!r}")
    return created[0]
