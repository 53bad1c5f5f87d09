"""The compiled form of a message schema: flat lookup tables the validator walks.

Schema files are written for people (see ``schemas/README.md``); the loader compiles
them once into these values so that the per-segment work of validation is a dict lookup,
a few integer comparisons and one pass over the elements. Everything here is immutable
after compilation except through :mod:`b2bbridge.core.schemas.overlay`, which builds new
values rather than editing shared ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

UNBOUNDED = 1 << 31

# Data types. X12: AN ID N0..N9 R DT TM B; EDIFACT: an a n (coded values are an + codes).
NUMERIC_TYPES = frozenset({"N", "N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"})
KNOWN_TYPES = NUMERIC_TYPES | {"AN", "ID", "R", "DT", "TM", "B", "an", "a", "n"}


@dataclass(frozen=True, slots=True)
class ElementDef:
    """One data element of the dictionary: its id, type and length bounds."""

    id: str
    type: str
    min_length: int
    max_length: int
    name: str = ""
    codes: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class SyntaxNote:
    """An X12 relational condition over element (or component) positions.

    ``kind`` is P (paired), R (at least one), E (at most one), C (if the first, then all
    the others) or L (if the first, then at least one of the others).
    """

    kind: str
    positions: tuple[int, ...]

    def render(self, tag: str) -> str:
        return f"{self.kind}{''.join(f'{p:02d}' for p in self.positions)}"


@dataclass(frozen=True, slots=True)
class ElementUse:
    """An element (or a component) at one position of a segment (or composite)."""

    position: int
    ref: str
    mandatory: bool
    repeat: int
    element: ElementDef | None  # None for a composite
    components: tuple[ElementUse, ...] = ()
    notes: tuple[SyntaxNote, ...] = ()


@dataclass(frozen=True, slots=True)
class SegmentDef:
    """A segment: its tag, its elements in order and its syntax notes."""

    tag: str
    elements: tuple[ElementUse, ...]
    notes: tuple[SyntaxNote, ...] = ()
    name: str = ""


@dataclass(slots=True)
class Slot:
    """One position in a loop body: a segment, or a nested loop started by its first segment.

    ``tag`` is the segment's tag, or for a loop the tag of its trigger segment.
    """

    tag: str
    min_use: int
    max_use: int
    segment: SegmentDef | None = None
    loop: LoopDef | None = None

    @property
    def label(self) -> str:
        return f"loop {self.loop.id}" if self.loop is not None else self.tag


@dataclass(slots=True)
class LoopDef:
    """A loop (X12) or segment group (EDIFACT); the root loop is the whole message."""

    id: str
    slots: list[Slot]
    index: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def reindex(self) -> None:
        """Rebuild the tag -> slot positions table after the slots changed."""
        index: dict[str, list[int]] = {}
        for pos, slot in enumerate(self.slots):
            index.setdefault(slot.tag, []).append(pos)
        self.index = {tag: tuple(found) for tag, found in index.items()}


@dataclass(slots=True)
class MessageSchema:
    """One transaction set or message, compiled: its root loop and what it knows of tags.

    ``known_tags`` are every segment the dictionary defines (an unknown tag is
    "unrecognized", a known one in the wrong place "unexpected"). ``hierarchy`` names the
    segment whose numbering is checked as an HL hierarchy (X12 856), if any.
    """

    standard: str
    version: str
    set_id: str
    name: str
    root: LoopDef
    known_tags: frozenset[str]
    hierarchy: str | None = None
    source: str = ""
    dictionary: str = ""
    # Forms compiled from this schema on first use (the fast path's patterns, one per
    # element separator, component, repetition and release character, and width of text).
    # Not an init field, so ``dataclasses.replace`` (an overlay) starts a new, empty
    # cache rather than sharing one that no longer fits.
    patterns: dict[tuple[str, str, str | None, str | None, bool], re.Pattern[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
