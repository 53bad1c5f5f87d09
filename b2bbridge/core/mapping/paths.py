"""Segment paths: how a mapping rule names a value inside an X12 or EDIFACT transaction.

Grammar (elements and components are 1-based, written with or without leading zeros)::

    path       := step ("/" step)*
    step       := TAG ["[" condition ("," condition)* "]"] ["{" pick "}"] [position]
    position   := "." ELEMENT ["." COMPONENT]
    condition  := ELEMENT ["." COMPONENT] "=" VALUE ("|" VALUE)*
    pick       := ELEMENT ["." COMPONENT] "=" VALUE ("|" VALUE)*

Examples::

    BEG.03                   element 3 of the BEG segment
    DTM[01=002].02           element 2 of the first DTM whose element 1 is 002
    DTM[01.1=137].01.2       EDIFACT: component 2 of element 1 of the DTM whose C507 starts 137
    N1[01=ST|DP]/N3.01       the N1 loop whose N101 is ST or DP, then element 1 of its N3
    PO1{06=UP}               X12 qualifier pairs: look at elements 06, 08, 10, … for UP and
                             take the element right after it (the UPC)
    PIA{02.2=IN}.1           EDIFACT repeated composites: look at elements 02, 03, … for one
                             whose component 2 is IN and take its component 1

Only the last step may carry a pick or an element. A step whose tag starts a loop (declared
in the mapping) selects loop instances, tested on the loop's first segment; any other tag
selects segments. A path without an element (``N1[01=ST]``) names segments or loops, which
is what ``each:`` wants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STEP = re.compile(
    r"(?P<tag>[A-Z][A-Z0-9]{1,2})"
    r"(?:\[(?P<conds>[^\]]+)\])?"
    r"(?:\{(?P<pick>[^}]+)\})?"
    r"(?:\.(?P<el>\d{1,3})(?:\.(?P<comp>\d{1,2}))?)?"
)
_TEST = re.compile(r"(?P<el>\d{1,3})(?:\.(?P<comp>\d{1,2}))?=(?P<values>[^,|]+(?:\|[^,|]+)*)")


class PathSyntaxError(ValueError):
    """A path that does not follow the grammar; ``column`` is 0-based within the path."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True, slots=True)
class Match:
    """``element[.component]`` equals one of ``values``; used by conditions and picks."""

    element: int
    component: int | None
    values: frozenset[str]


@dataclass(frozen=True, slots=True)
class Step:
    tag: str
    conditions: tuple[Match, ...] = ()


@dataclass(frozen=True, slots=True)
class SegmentPath:
    text: str
    steps: tuple[Step, ...]
    element: int | None = None
    component: int | None = None
    pick: Match | None = None

    @property
    def head(self) -> tuple[Step, ...]:
        """The steps that select loops, before the last one."""
        return self.steps[:-1]

    @property
    def last(self) -> Step:
        return self.steps[-1]

    @property
    def names_value(self) -> bool:
        """True when the path ends at an element (or a pick), not at a segment or loop."""
        return self.element is not None or self.pick is not None


def _parse_test(text: str, column: int) -> Match:
    m = _TEST.fullmatch(text.strip())
    if m is None:
        raise PathSyntaxError(f"bad test {text!r}: expected ELEMENT[.COMPONENT]=VALUE", column)
    comp = m["comp"]
    values = frozenset(v.strip() for v in m["values"].split("|"))
    return Match(int(m["el"]), int(comp) if comp else None, values)


def _check_position(n: int, what: str, column: int) -> None:
    if n < 1:
        raise PathSyntaxError(f"{what} numbers start at 1", column)


def parse_path(text: str) -> SegmentPath:
    """Parse ``text``; raise :class:`PathSyntaxError` pointing at the bad step."""
    steps: list[Step] = []
    element: int | None = None
    component: int | None = None
    pick: Match | None = None
    column = 0
    parts = text.strip().split("/")
    for i, part in enumerate(parts):
        m = _STEP.fullmatch(part)
        if m is None:
            raise PathSyntaxError(f"bad path step {part!r} in {text!r}", column)
        last = i == len(parts) - 1
        if not last and (m["pick"] or m["el"]):
            raise PathSyntaxError("only the last step may pick an element", column)
        conds = tuple(_parse_test(c, column) for c in (m["conds"] or "").split(",") if c)
        for c in conds:
            _check_position(c.element, "element", column)
        steps.append(Step(m["tag"], conds))
        if m["pick"]:
            pick = _parse_test(m["pick"], column)
            _check_position(pick.element, "element", column)
        if m["el"]:
            element = int(m["el"])
            _check_position(element, "element", column)
            component = int(m["comp"]) if m["comp"] else None
        column += len(part) + 1
    if pick is not None and pick.component is None and element is not None:
        raise PathSyntaxError(
            "an X12 pick {NN=V} already names the element after the qualifier", column
        )
    if pick is not None and element is not None:
        component, element = element, None  # {02.2=IN}.1: the ".1" is a component of the pick
    return SegmentPath(text.strip(), tuple(steps), element, component, pick)
