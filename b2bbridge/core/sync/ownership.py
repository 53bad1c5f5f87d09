"""Field ownership and conflict rules: which system may change which field.

A flow names an owning system per field (``contacts: crm``, ``credit_limit: erp``). A
change from a system that does not own a field never overwrites it; that refusal is
a :class:`Conflict` the caller records, so it is visible rather than silent. A field with
no owner is settled by last-writer-wins on the source timestamps: the newer write wins,
and on a tie the incoming change wins, so that a replay converges.

Systems do not all hold the same shape of a record: a storefront login knows a contact's
name and e-mail but not the phone. So a field is unchanged when it is equal on what
both sides hold: in mappings, keys present on one side only are not compared, and lists
are compared element by element. Adapters always emit every key they hold (``None``
for an empty value), so a cleared value is still a change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field whose incoming value was refused or that overwrote a concurrent change."""

    key: str
    field: str
    source: str
    reason: str
    incoming: object
    kept: object


@dataclass(frozen=True, slots=True)
class Merge:
    """The outcome of offering a change to a target: what to write and what conflicted."""

    writes: dict[str, object] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Offer:
    """A change as it reaches a target: who wrote it, when, and the new field values."""

    key: str
    source: str
    stamp: datetime | None
    fields: Mapping[str, object]


def merge_change(
    offer: Offer,
    current: Mapping[str, object],
    current_stamp: datetime | None,
    owners: Mapping[str, str],
) -> Merge:
    """Decide field by field what ``offer`` may write over the target's ``current`` values."""
    merged = Merge()
    for name, value in offer.fields.items():
        kept = current.get(name)
        if name in current and same_where_held(kept, value):
            continue
        reason = _refusal(name, offer, current_stamp, owners)
        if reason is None:
            merged.writes[name] = value
            continue
        merged.conflicts.append(Conflict(offer.key, name, offer.source, reason, value, kept))
    return merged


def same_where_held(kept: object, incoming: object) -> bool:
    """Equal on every key both values hold (recursively); lists element by element.

    Two mappings with no key in common are equal only when both are empty, so that a
    record of an unrelated shape is never mistaken for an unchanged one.
    """
    if isinstance(kept, Mapping) and isinstance(incoming, Mapping):
        common = kept.keys() & incoming.keys()
        if not common:
            return not kept and not incoming
        return all(same_where_held(kept[key], incoming[key]) for key in common)
    if isinstance(kept, list) and isinstance(incoming, list):
        return len(kept) == len(incoming) and all(
            same_where_held(a, b) for a, b in zip(kept, incoming, strict=True)
        )
    return kept == incoming


def _refusal(
    name: str, offer: Offer, current_stamp: datetime | None, owners: Mapping[str, str]
) -> str | None:
    owner = owners.get(name)
    if owner is not None:
        return None if owner == offer.source else f"owned_by_{owner}"
    if current_stamp is None or offer.stamp is None or offer.stamp >= current_stamp:
        return None
    return "older_than_target"
