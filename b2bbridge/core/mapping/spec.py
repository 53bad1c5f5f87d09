"""The mapping-file format, as pydantic models, and the compiled plan the engine runs.

A mapping file (YAML, see ``mappings/README.md``) is read into :class:`MappingFile`, which
refuses unknown keys so that a typo is an error at start-up rather than a silently missing
value. The loader then compiles it into a :class:`MappingSpec`: paths parsed, transforms
resolved to functions, code tables read, and each rule checked against the canonical
document's fields. The engine only ever sees the compiled plan.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from b2bbridge.core.mapping.addresses import SourcePath, TreePath
from b2bbridge.core.mapping.codes import CodeTable
from b2bbridge.core.mapping.failures import Run
from b2bbridge.core.mapping.loops import LoopDef, Scope
from b2bbridge.core.mapping.transforms import Transform
from b2bbridge.core.model.base import CanonicalDocument

Scalar = str | int | float | bool
StepOption = Scalar | dict[str, str]
StepSpec = str | dict[str, StepOption]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class WhenSpec(_Strict):
    """Apply a rule only when the value at ``path`` is one of ``in``."""

    path: str
    in_: list[str] = Field(alias="in", min_length=1)


class FieldSpec(_Strict):
    """One canonical field: where its value comes from and how it is converted.

    Exactly one source: ``path`` (a list is a fallback chain: the first path with a value
    wins), ``join`` (values of several paths joined with ``separator``), ``value`` (a
    constant) or ``fields`` (a nested object). ``each`` makes a list: the rule is applied
    in every loop instance or segment the ``each`` path names.
    """

    path: str | list[str] | None = None
    join: list[str] | None = None
    separator: str = " "
    value: Scalar | None = None
    fields: dict[str, FieldSpec | str | None] | None = None
    each: str | None = None
    when: WhenSpec | None = None
    transform: list[StepSpec] = Field(default_factory=list)
    default: Scalar | None = None
    required: bool = False


class LoopSpec(_Strict):
    """A loop starting at the tag it is filed under, holding ``members`` and nested ``loops``."""

    members: list[str] = Field(default_factory=list)
    loops: dict[str, LoopSpec] = Field(default_factory=dict)


class MappingFile(_Strict):
    """A whole mapping file; a partner map names its base in ``extends`` and overrides."""

    extends: str | None = None
    description: str | None = None
    format: Literal["x12", "edifact", "xml", "json", "csv", "xlsx"] | None = None
    document: str | None = None
    message: str | None = None
    namespaces: dict[str, str | None] = Field(default_factory=dict)
    code_standard: Literal["x12", "edifact"] | None = None
    documents: str | None = None
    codes: dict[str, str | None] = Field(default_factory=dict)
    loops: dict[str, LoopSpec | None] = Field(default_factory=dict)
    fields: dict[str, FieldSpec | str | None] = Field(default_factory=dict)


class Kind(Enum):
    """What a canonical field holds, which decides the conversion after the transforms."""

    TEXT = "text"
    DECIMAL = "decimal"
    INTEGER = "integer"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"


@dataclass(frozen=True, slots=True)
class ValueRule:
    """A compiled scalar rule. ``rule`` is its dotted name for errors (``lines[].quantity``)."""

    name: str
    rule: str
    kind: Kind
    origin: str = ""
    paths: tuple[SourcePath, ...] = ()
    join: tuple[SourcePath, ...] = ()
    separator: str = " "
    constant: str | None = None
    steps: tuple[Transform, ...] = ()
    default: str | None = None
    required: bool = False
    each: SourcePath | None = None
    when: tuple[SourcePath, frozenset[str]] | None = None


@dataclass(frozen=True, slots=True)
class GroupRule:
    """A compiled nested object (or list of objects, with ``each``)."""

    name: str
    rule: str
    rules: tuple[ValueRule | GroupRule, ...]
    origin: str = ""
    required: bool = False
    each: SourcePath | None = None
    when: tuple[SourcePath, frozenset[str]] | None = None


@dataclass(frozen=True, slots=True, eq=False)
class MappingSpec:
    """A compiled mapping: what :func:`~b2bbridge.core.mapping.inbound.map_transaction` runs.

    Compared and hashed by identity, so a caller can cache work per loaded mapping.

    ``name`` is the mapping's own source name and ``chain`` lists it and every file it
    extends, most specific first.

    EDI maps run ``program`` over loop scopes. Maps of tree payloads (XML, JSON, CSV,
    XLSX) run ``tree_program`` over each node that ``documents`` selects (the payload's
    root when it is None); their ``program`` refuses EDI input.
    """

    name: str
    chain: tuple[str, ...]
    format: str
    document: type[CanonicalDocument]
    loops: LoopDef
    root: GroupRule
    tables: dict[str, CodeTable]
    program: Callable[[Scope, Run], object]
    message: str | None = None
    tree_program: Callable[[object, Run], object] | None = None
    documents: TreePath | None = None
    namespaces: dict[str, str] | None = None

    @property
    def is_tree(self) -> bool:
        """True for XML, JSON, CSV and XLSX maps, which :func:`map_payload` runs."""
        return self.tree_program is not None


def mapping_json_schema() -> str:
    """The JSON Schema of a mapping file, as shipped in ``schemas/mapping.schema.json``.

    Editors use it to check mapping files as they are typed; the loader's own checks go
    further (paths, transforms and canonical field names are checked when compiling).
    """
    schema = MappingFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://b2bbridge.dev/schemas/mapping.schema.json"
    schema["title"] = "b2bbridge mapping file"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
