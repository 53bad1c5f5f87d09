"""Translating one received file of any format into canonical documents for one partner.

This is what ``b2bbridge translate`` runs, and what a drop folder that takes XML, JSON
and spreadsheets beside EDI can call: sniff the format, find the partner's mapping for
the document kind (``x12/850``, ``edifact/ORDERS``, ``xml/OrderRequest``, ``xml/Order``,
``json/order``, ``csv/reorder``; an XLSX sheet falls back to the ``csv/`` entry), and map.
EDI files are mapped per transaction; a transaction whose kind the profile does not map
is an error, as is a file of unknown format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from b2bbridge.core.edi.events import Transaction, collect_transactions
from b2bbridge.core.edi.reader import read_bytes_events
from b2bbridge.core.errors import MappingError
from b2bbridge.core.location import Location
from b2bbridge.core.mapping.failures import PayloadError
from b2bbridge.core.mapping.formats import detect_format, payload_kind
from b2bbridge.core.mapping.inbound import map_transaction
from b2bbridge.core.mapping.limits import DEFAULT_LIMITS, PayloadLimits
from b2bbridge.core.mapping.payload import check_format, map_tree, read_payload
from b2bbridge.core.mapping.spec import MappingSpec
from b2bbridge.core.model.base import CanonicalDocument
from b2bbridge.core.partner import PartnerProfile

Catalog = Callable[[str], MappingSpec]


def _mapping_name(profile: PartnerProfile, format: str, kind: str) -> str:
    name = profile.mapping_for(format, kind)
    if name is None and format == "xlsx":
        name = profile.mapping_for("csv", kind)
    if name is None:
        known = ", ".join(sorted(profile.mappings)) or "none"
        raise MappingError(
            f"partner {profile.partner} has no mapping for {format}/{kind}; "
            f"its profile maps: {known}",
            code="mapping_not_configured",
            location=Location(partner=profile.partner),
        )
    return name


def _transactions(data: bytes, profile: PartnerProfile, file: str | None) -> Iterator[Transaction]:
    for item in collect_transactions(read_bytes_events(data, profile.read_options(file))):
        if isinstance(item, Transaction):
            yield item


def translate_file(
    data: bytes,
    *,
    filename: str | None,
    profile: PartnerProfile,
    catalog: Catalog,
    limits: PayloadLimits = DEFAULT_LIMITS,
) -> list[CanonicalDocument]:
    """Every canonical document in the file, mapped with ``profile``'s mappings."""
    format = detect_format(data, filename)
    if format == "unknown":
        raise PayloadError(
            "the file is not X12, EDIFACT, XML, JSON, CSV or XLSX",
            code="format_unknown",
            location=Location(file=filename),
        )
    if format in ("x12", "edifact"):
        return [
            map_transaction(
                txn,
                catalog(_mapping_name(profile, format, txn.header.type)),
                partner=profile.partner,
            )
            for txn in _transactions(data, profile, filename)
        ]
    root = read_payload(data, format, limits)
    spec = catalog(_mapping_name(profile, format, payload_kind(root, format)))
    check_format(spec, format)
    return map_tree(root, spec=spec, partner=profile.partner)
