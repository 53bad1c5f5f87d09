"""The outbound mapping-file format: how a canonical document is written as EDI or XML.

An outbound map (YAML, see ``mappings/README.md``, "Outbound maps") is read into
:class:`OutboundFile`, which refuses unknown keys so a typo fails at start-up. Where an
inbound map lists canonical fields and where each comes from, an outbound map lists the
segments (or XML elements) to write, in order, and where each element's value comes
from. ``direction: outbound`` tells the two kinds of file apart.

The body is a list of blocks. A block is either one segment (``segment: BEG``) or a
repeat over a list of the document (``each: lines``) with its own body. A repeat with a
``level`` opens a hierarchical level (an X12 HL, an EDIFACT CPS) numbered by the engine.
Blocks may carry an ``id`` so that a partner map can replace or remove them
(``replace: {id: block-or-null}``) without copying the whole body.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Scalar = str | int | float | bool
StepOption = Scalar | dict[str, str]
StepSpec = str | dict[str, StepOption]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ValueSpec(_Strict):
    """Where one element's (or attribute's) value comes from, and how it is formatted.

    Exactly one source: ``path`` (a dotted path into the document; a list is a fallback
    chain), ``first`` (alternative specs: the first with a value wins), ``join`` (the
    non-empty values of several specs joined with ``separator``), ``value`` (a
    constant), ``count`` (segments with that tag written so far in this message), ``sum``
    (the total of the numbers a path reaches), ``index`` (the 1-based position of the item
    in the innermost repeat) or ``level`` (``id`` or ``parent`` of the current
    hierarchical level).
    """

    path: str | list[str] | None = None
    first: list[ValueSpec] | None = None
    join: list[str | ValueSpec] | None = None
    separator: str = ""
    value: Scalar | None = None
    count: str | None = None
    sum: str | None = None
    index: bool | None = None
    level: Literal["id", "parent"] | None = None
    when: str | None = None
    transform: list[StepSpec] = Field(default_factory=list)
    default: Scalar | None = None
    required: bool = False


ElementSpec = str | ValueSpec | list[str | ValueSpec] | None


class SegmentBlock(_Strict):
    """One segment. It is skipped when ``when`` has no value, or when every element taken
    from the document is empty (a DTM with no date is not written) unless ``always``.

    ``pairs_from: N`` says elements N, N+1… are qualifier/value pairs (PO106/PO107…): a pair
    whose value is empty is dropped and the pairs after it move up, leaving no gap."""

    id: str | None = None
    segment: str = Field(pattern=r"^[A-Z][A-Z0-9]{1,2}$")
    elements: list[ElementSpec] = Field(default_factory=list)
    when: str | None = None
    always: bool = False
    pairs_from: int | None = Field(None, ge=1)


class EachBlock(_Strict):
    """Its body once per item of the list at ``each`` (``.`` is the current item itself).

    ``as`` names the item so that inner paths can reach it (``$order.order_number``);
    ``level`` opens a hierarchical level with that level code; ``where`` keeps only items
    whose fields have the given values.
    """

    id: str | None = None
    each: str
    as_: str | None = Field(None, alias="as", pattern=r"^[a-z_][a-z0-9_]*$")
    level: str | None = None
    where: dict[str, str | list[str]] = Field(default_factory=dict)
    body: list[Block] = Field(default_factory=list)


class HierarchySpec(_Strict):
    """The segment a ``level`` writes: ``HL`` (id, parent, level code, child code) in X12,
    ``CPS`` (id, parent, level code) in EDIFACT."""

    segment: str = "HL"
    child_code: bool = True


class XmlElement(_Strict):
    """One XML element: attributes, text and children, each from a value spec.

    ``each`` repeats the element once per item of a list (``as`` names the item); ``when``
    writes it only when that path has a value. An element whose sourced text and
    attributes are all empty and that has no children written is left out.
    """

    id: str | None = None
    tag: str
    each: str | None = None
    as_: str | None = Field(None, alias="as", pattern=r"^[a-z_][a-z0-9_]*$")
    when: str | None = None
    attributes: dict[str, str | ValueSpec] = Field(default_factory=dict)
    text: str | ValueSpec | None = None
    children: list[XmlElement] = Field(default_factory=list)


Block = SegmentBlock | EachBlock


class OutboundFile(_Strict):
    """A whole outbound map; a partner map names its base in ``extends`` and overrides."""

    direction: Literal["outbound"] | None = None
    extends: str | None = None
    description: str | None = None
    format: Literal["x12", "edifact", "xml"] | None = None
    document: str | None = None
    message: str | None = None
    functional_id: str | None = Field(None, description="X12 GS01 (PR, SH, IN, IB, PO)")
    version: str | None = Field(None, description="X12 GS08 or EDIFACT UNH version (D)")
    release: str | None = Field(None, description="EDIFACT UNH release (96A, 01B)")
    agency: str | None = Field(None, description="EDIFACT UNH controlling agency (UN)")
    association: str | None = Field(None, description="EDIFACT UNH association (EAN005)")
    syntax_identifier: str | None = Field(None, description="EDIFACT UNB syntax (UNOC)")
    hierarchy: HierarchySpec | None = None
    doctype: str | None = Field(None, description="XML: the DOCTYPE line written first")
    codes: dict[str, str | None] = Field(default_factory=dict)
    body: list[Block] = Field(default_factory=list)
    root: XmlElement | None = None
    replace: dict[str, Block | XmlElement | None] = Field(default_factory=dict)


def outbound_json_schema() -> str:
    """The JSON Schema of an outbound map (``schemas/outbound-mapping.schema.json``)."""
    schema = OutboundFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://b2bbridge.dev/schemas/outbound-mapping.schema.json"
    schema["title"] = "b2bbridge outbound mapping file"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


EachBlock.model_rebuild()
XmlElement.model_rebuild()
OutboundFile.model_rebuild()
