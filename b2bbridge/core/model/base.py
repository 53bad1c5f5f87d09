"""The base every canonical document is built on: frozen values that refuse unknown fields.

Canonical documents are values, not records: they are built once by a mapping or an
adapter and never changed, so they are frozen. ``extra="forbid"`` makes a misspelt field
in a mapping or an adapter fail loudly instead of vanishing. Money and quantities are
``Decimal`` (never float), calendar days are ``date``, and instants are timezone-aware
``datetime`` values.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Instant = AwareDatetime
"""A point in time; a naive datetime is refused because its meaning depends on a guess."""

NonEmpty = Annotated[str, Field(min_length=1)]


class CanonicalModel(BaseModel):
    """A frozen part of a canonical document."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class CanonicalDocument(CanonicalModel):
    """A whole document: has a schema version and a natural key for idempotency.

    ``document_type`` names the document in mapping files (``document: order``) and in
    natural keys; it is a class constant, not a field.
    """

    document_type: ClassVar[str] = "document"
    schema_version: str = SCHEMA_VERSION

    def natural_key(self) -> tuple[str, ...]:
        """The values that identify this document whoever sent it; equal keys are duplicates."""
        raise NotImplementedError


class Reference(CanonicalModel):
    """A qualified reference number (REF, RFF): contract, department, promotion…"""

    qualifier: NonEmpty
    value: NonEmpty
    description: str | None = None


class Note(CanonicalModel):
    """Free text, with the qualifier that says what it is about when the source gives one."""

    text: NonEmpty
    qualifier: str | None = None
