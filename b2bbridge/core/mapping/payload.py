"""Mapping a whole non-EDI payload (XML, JSON, CSV, XLSX) to canonical documents.

The pipeline calls :func:`map_payload` with the bytes it received, the format
(:func:`~b2bbridge.core.mapping.formats.detect_format`) and the partner's mapping for the
payload's kind (:func:`read_kind`). The payload is read safely and within
:class:`~b2bbridge.core.mapping.limits.PayloadLimits`; the mapping's ``documents:`` path
splits it into documents (a sheet into one order per PO number, say), and each is mapped
and validated like an EDI transaction. A payload that cannot be read raises
:class:`~b2bbridge.core.mapping.failures.PayloadError` (or ``UnsafePayloadError``); a rule
that cannot produce its value raises ``MappingRuleError`` naming the rule and the XPath,
JSON path or row and column.
"""

from __future__ import annotations

from b2bbridge.core.errors import MappingError
from b2bbridge.core.mapping.failures import PayloadError, Run
from b2bbridge.core.mapping.formats import TREE_FORMATS, TreeFormat, payload_kind
from b2bbridge.core.mapping.inbound import validate_document
from b2bbridge.core.mapping.limits import DEFAULT_LIMITS, PayloadLimits
from b2bbridge.core.mapping.spec import MappingSpec
from b2bbridge.core.model.base import CanonicalDocument

_SHEETS = ("csv", "xlsx")


def _tree_format(format: str) -> TreeFormat:
    found = TREE_FORMATS.get(format)
    if found is None:
        known = ", ".join(TREE_FORMATS)
        raise PayloadError(f"format {format!r} is not a tree payload format; known: {known}")
    return found


def read_payload(data: bytes, format: str, limits: PayloadLimits = DEFAULT_LIMITS) -> object:
    """The payload read into the tree its maps address (root element, JSON value, rows)."""
    return _tree_format(format).read(data, limits)


def read_kind(data: bytes, format: str, limits: PayloadLimits = DEFAULT_LIMITS) -> str:
    """The document kind inside, as partner profiles key it (``OrderRequest``, ``Order``…)."""
    return payload_kind(read_payload(data, format, limits), format)


def check_format(spec: MappingSpec, format: str) -> None:
    """Refuse a spec that does not read ``format`` (a sheet map reads CSV and XLSX alike)."""
    compatible = spec.format == format or (spec.format in _SHEETS and format in _SHEETS)
    if spec.tree_program is None or not compatible:
        raise MappingError(
            f"mapping {spec.name} reads {spec.format}, not {format} payloads",
            code="mapping_wrong_format",
        )


def map_payload(
    data: bytes,
    *,
    format: str,
    spec: MappingSpec,
    partner: str,
    limits: PayloadLimits = DEFAULT_LIMITS,
) -> list[CanonicalDocument]:
    """Every canonical document in the payload, in payload order."""
    check_format(spec, format)
    return map_tree(read_payload(data, format, limits), spec=spec, partner=partner)


def map_tree(root: object, *, spec: MappingSpec, partner: str) -> list[CanonicalDocument]:
    """:func:`map_payload` for a payload already read with :func:`read_payload`."""
    program = spec.tree_program
    if program is None:
        raise MappingError(f"mapping {spec.name} is an EDI map", code="mapping_wrong_format")
    nodes = spec.documents.select(root) if spec.documents is not None else [root]
    documents: list[CanonicalDocument] = []
    for index, node in enumerate(nodes, start=1):
        run = Run(partner, f"document {index}" if len(nodes) > 1 else None)
        data = program(node, run)
        fields = data if isinstance(data, dict) else {}
        documents.append(validate_document(spec, fields, run, partner))
    return documents
