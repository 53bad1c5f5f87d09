"""What a canonical field can hold, read from the pydantic model, for checking mappings.

The loader asks, for each rule, whether its name is a field of the target document, and
whether that field is a scalar (and of which kind), a nested object or a list of either,
so that a rule mapping a path into an object field, or ``fields:`` into a date, is refused
when the mapping is loaded instead of when the first message arrives.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Union, get_args, get_origin

from pydantic import AwareDatetime, BaseModel, NaiveDatetime

from b2bbridge.core.mapping.spec import Kind


@dataclass(frozen=True, slots=True)
class FieldTarget:
    many: bool
    kind: Kind | None  # None for a nested object
    model: type[BaseModel] | None


def _strip_optional(annotation: object) -> object:
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _kind(annotation: object) -> Kind:
    if annotation is AwareDatetime or annotation is NaiveDatetime:
        return Kind.DATETIME
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return Kind.BOOL
        if issubclass(annotation, datetime):
            return Kind.DATETIME
        if issubclass(annotation, date):
            return Kind.DATE
        if issubclass(annotation, Decimal):
            return Kind.DECIMAL
        if issubclass(annotation, int):
            return Kind.INTEGER
    metadata = getattr(annotation, "__metadata__", None)
    if metadata is not None:  # Annotated[datetime, ...] and friends
        return _kind(get_args(annotation)[0])
    return Kind.TEXT


def field_target(model: type[BaseModel], name: str) -> FieldTarget | None:
    """The target of field ``name`` on ``model``, or None when there is no such field."""
    info = model.model_fields.get(name)
    if info is None:
        return None
    annotation = _strip_optional(info.annotation)
    many = get_origin(annotation) is list
    if many:
        annotation = _strip_optional(get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return FieldTarget(many, None, annotation)
    return FieldTarget(many, _kind(annotation), None)
