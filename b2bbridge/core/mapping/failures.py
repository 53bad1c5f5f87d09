"""Mapping failures: the error a rule raises, and the run context that builds it.

A :class:`MappingRuleError` is a :class:`~b2bbridge.core.errors.MappingError` that also
names the mapping file and line the rule came from (``mapping_file``) and the rule
(``rule``, e.g. ``lines[].quantity``); its Location carries the partner, the transaction
control number and, when the value was found, the segment, its position in the
interchange, the element and the component, and the line and byte offset in the file
(the file name itself is added by the caller, which knows it).

:class:`PayloadError` and :class:`UnsafePayloadError` are raised before any rule runs,
when an XML, JSON or spreadsheet payload cannot be read, or must not be.
"""

from __future__ import annotations

from b2bbridge.core.errors import EdiError, MappingError
from b2bbridge.core.location import Location
from b2bbridge.core.mapping.loops import Scope
from b2bbridge.core.mapping.selection import Found

REQUIRED_MISSING = "mapping_required_missing"
UNKNOWN_CODE = "mapping_unknown_code"
BAD_VALUE = "mapping_bad_value"


class MappingRuleError(MappingError):
    """A MappingError that also names the mapping file (with line) and the rule."""

    def __init__(
        self, message: str, *, code: str, location: Location, mapping_file: str, rule: str
    ) -> None:
        super().__init__(message, code=code, location=location)
        self.mapping_file = mapping_file
        self.rule = rule


class Run:
    """What one mapping run knows for its errors: the partner and the transaction."""

    __slots__ = ("partner", "transaction")

    def __init__(self, partner: str, transaction: str | None) -> None:
        self.partner = partner
        self.transaction = transaction

    def fail(
        self, code: str, origin: str, rule: str, why: str, found: Found | None, scope: Scope
    ) -> MappingRuleError:
        seg = found.segment if found is not None else scope.start
        location = Location(
            partner=self.partner,
            transaction=self.transaction,
            segment_id=seg.tag if seg is not None else None,
            segment_index=seg.index if seg is not None else None,
            element=found.element if found is not None else None,
            component=found.component if found is not None else None,
            line=seg.line if seg is not None else None,
            byte_offset=seg.offset if seg is not None else None,
        )
        message = f"mapping {origin}, rule {rule}: {why}"
        return MappingRuleError(
            message, code=code, location=location, mapping_file=origin, rule=rule
        )


class PayloadError(EdiError):
    """An inbound XML, JSON, CSV or XLSX payload that cannot be read (``payload_malformed``)."""

    default_code = "payload_malformed"


class UnsafePayloadError(PayloadError):
    """A payload refused before mapping because reading it could harm the host.

    Codes: ``xml_entity_declared`` (an entity declaration: the shape of XXE and
    billion-laughs documents), ``payload_too_large`` and ``payload_too_deep``.
    """

    default_code = "payload_unsafe"
