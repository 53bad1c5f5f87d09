"""The compiled outbound map: what the outbound engine runs.

The loader turns an :class:`~b2bbridge.core.mapping.outbound_spec.OutboundFile` into these
plans: paths checked against the canonical document, transforms resolved to functions,
code tables read, and every rule given its dotted name (``orders[].packs[].MAN.02``) and
the file, line and column it came from, so that a failure at run time names both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from b2bbridge.core.mapping.codes import CodeTable
from b2bbridge.core.mapping.outbound_values import Step
from b2bbridge.core.model.base import CanonicalDocument


@dataclass(frozen=True, slots=True)
class ValuePlan:
    """One element, component or attribute value."""

    rule: str
    origin: str
    paths: tuple[str, ...] = ()
    first: tuple[ValuePlan, ...] = ()
    join: tuple[ValuePlan, ...] = ()
    separator: str = ""
    constant: str | None = None
    count: str | None = None
    total: str | None = None
    index: bool = False
    level: str | None = None
    when: str | None = None
    steps: tuple[Step, ...] = ()
    default: str | None = None
    required: bool = False

    @property
    def sourced(self) -> bool:
        """Whether the value comes from the document (so its absence can skip a segment)."""
        return bool(self.paths or self.first or self.total) or any(p.sourced for p in self.join)


Element = ValuePlan | tuple[ValuePlan, ...] | None


@dataclass(frozen=True, slots=True)
class SegmentPlan:
    tag: str
    rule: str
    origin: str
    elements: tuple[Element, ...] = ()
    when: str | None = None
    always: bool = False
    pairs_from: int | None = None


@dataclass(frozen=True, slots=True)
class EachPlan:
    path: str
    rule: str
    origin: str
    name: str | None = None
    level: str | None = None
    where: tuple[tuple[str, frozenset[str]], ...] = ()
    body: tuple[SegmentPlan | EachPlan, ...] = ()


BlockPlan = SegmentPlan | EachPlan


@dataclass(frozen=True, slots=True)
class XmlPlan:
    tag: str
    rule: str
    origin: str
    each: str | None = None
    name: str | None = None
    when: str | None = None
    attributes: tuple[tuple[str, ValuePlan], ...] = ()
    text: ValuePlan | None = None
    children: tuple[XmlPlan, ...] = ()


@dataclass(frozen=True, slots=True)
class MessageHeader:
    """What the envelope of the message needs from the map (GS01/GS08, UNH identifier)."""

    message: str
    functional_id: str | None = None
    version: str | None = None
    release: str | None = None
    agency: str | None = None
    association: str | None = None
    syntax_identifier: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class OutboundSpec:
    """A loaded outbound map. ``chain`` lists the file and every file it extends."""

    name: str
    chain: tuple[str, ...]
    format: str
    document: type[CanonicalDocument]
    header: MessageHeader
    tables: dict[str, CodeTable] = field(default_factory=dict)
    body: tuple[BlockPlan, ...] = ()
    hierarchy_segment: str = "HL"
    child_code: bool = True
    root: XmlPlan | None = None
    doctype: str | None = None
