"""Mapping one inbound transaction (an 850, an ORDERS…) to its canonical document.

The transaction's segments are grouped into loop instances once
(:func:`~b2bbridge.core.mapping.loops.build_scopes`), the compiled rules run over them,
and the result is validated by the canonical model. A rule that cannot produce a value
raises :class:`~b2bbridge.core.mapping.failures.MappingRuleError` with one of the codes
``mapping_required_missing``, ``mapping_unknown_code`` or ``mapping_bad_value``; a value
the canonical model refuses (a party role outside the list) raises ``mapping_bad_value``
naming the field.
"""

from __future__ import annotations

from collections.abc import Sequence

import pydantic

from b2bbridge.core.edi.events import Transaction
from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.errors import MappingError
from b2bbridge.core.location import Location
from b2bbridge.core.mapping.failures import BAD_VALUE, MappingRuleError, Run
from b2bbridge.core.mapping.loops import build_scopes
from b2bbridge.core.mapping.spec import MappingSpec
from b2bbridge.core.model.base import CanonicalDocument
from b2bbridge.core.model.order import Order


def _control_number(transaction: Transaction | Sequence[Segment]) -> str | None:
    if isinstance(transaction, Transaction):
        return transaction.header.control_number
    if not transaction:
        return None
    head = transaction[0]
    return head.element(2) if head.tag == "ST" else head.element(1) if head.tag == "UNH" else None


def _validate(spec: MappingSpec, data: object, run: Run) -> CanonicalDocument:
    try:
        return spec.document.model_validate(data)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = f"mapping {spec.name}, field {where}: {first['msg']} (got {first['input']!r})"
        location = Location(partner=run.partner, transaction=run.transaction)
        raise MappingRuleError(
            message, code=BAD_VALUE, location=location, mapping_file=spec.name, rule=where
        ) from exc


def map_transaction(
    transaction: Transaction | Sequence[Segment], spec: MappingSpec, *, partner: str
) -> CanonicalDocument:
    """Map one transaction (ST..SE or UNH..UNT) to the document type ``spec`` produces."""
    segments = transaction.segments if isinstance(transaction, Transaction) else list(transaction)
    run = Run(partner, _control_number(transaction))
    data = spec.program(build_scopes(segments, spec.loops), run)
    return validate_document(spec, data if isinstance(data, dict) else {}, run, partner)


def validate_document(
    spec: MappingSpec, fields: dict[str, object], run: Run, partner: str
) -> CanonicalDocument:
    """The mapped fields as the spec's canonical document, with the partner filled in."""
    if "partner" in spec.document.model_fields and "partner" not in fields:
        fields["partner"] = partner
    return _validate(spec, fields, run)


def map_order(
    transaction: Transaction | Sequence[Segment], spec: MappingSpec, *, partner: str
) -> Order:
    """:func:`map_transaction` for a mapping whose ``document`` is ``order``."""
    document = map_transaction(transaction, spec, partner=partner)
    if not isinstance(document, Order):
        raise MappingError(
            f"mapping {spec.name} produces {spec.document.document_type}, not an order",
            code="mapping_wrong_document",
        )
    return document
