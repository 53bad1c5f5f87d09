"""Loop instances: a transaction's segments grouped once, so rules never rescan the whole.

A mapping declares its loops (``PO1`` starts the line loop, ``N1`` the party loop) with the
tags each loop may hold, nested as the message nests them. :func:`build_scopes` walks the
segments once and files every segment under the innermost open loop that accepts it,
indexing each loop instance by tag (a loop's first segment is also filed in the enclosing
instance, so ``N1[01=ST].02`` reads the first ST party without entering the loop). A
segment that no open loop accepts closes loops until one does; the root (the transaction
itself) accepts everything. A loop's first segment is filed under its own tag in the
instance too, so ``N1.02`` inside an N1 loop reads the N1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from b2bbridge.core.edi.segments import Segment


@dataclass(frozen=True, slots=True)
class LoopDef:
    """A loop that starts at ``start`` and holds ``members`` and nested ``children`` loops."""

    start: str
    members: frozenset[str] = frozenset()
    children: dict[str, LoopDef] = field(default_factory=dict)


class Scope:
    """One loop instance (or the whole transaction): its segments by tag and its child loops."""

    __slots__ = ("by_tag", "loops", "start")

    def __init__(self, start: Segment | None) -> None:
        self.start = start
        self.by_tag: dict[str, list[Segment]] = {}
        self.loops: dict[str, list[Scope]] = {}
        if start is not None:
            self.by_tag[start.tag] = [start]

    @classmethod
    def of_segment(cls, segment: Segment) -> Scope:
        """A scope holding one segment, for ``each:`` over plain segments."""
        return cls(segment)


def build_scopes(segments: list[Segment], root: LoopDef) -> Scope:
    """Group ``segments`` into loop instances under ``root``; one pass, no lookahead."""
    top = Scope(None)
    stack: list[tuple[LoopDef, Scope]] = [(root, top)]
    loop, scope = root, top
    for seg in segments:
        tag = seg.elements[0]
        while True:
            child = loop.children.get(tag)
            if child is not None:
                opened = Scope(seg)
                scope.loops.setdefault(tag, []).append(opened)
                scope.by_tag.setdefault(tag, []).append(seg)
                stack.append((child, opened))
                loop, scope = child, opened
                break
            if scope is top or tag in loop.members:
                found = scope.by_tag.get(tag)
                if found is None:
                    scope.by_tag[tag] = [seg]
                else:
                    found.append(seg)
                break
            stack.pop()
            loop, scope = stack[-1]
    return top
