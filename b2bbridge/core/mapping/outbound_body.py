"""Walking an outbound map's body: which segments to write, with which element values.

The walk is independent of the writer: it hands each segment (tag and elements, a tuple
for a composite) to ``emit``, which the engine binds to an X12 or EDIFACT writer. Repeats
walk the list at their path; a repeat with a ``level`` first writes the hierarchy
segment (HL or CPS) with the next level id, its parent's id and the level code, and in
X12 the child code (``1`` when a level nested in it has items, else ``0``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from b2bbridge.core.mapping.outbound_eval import OutRun, evaluate
from b2bbridge.core.mapping.outbound_plan import BlockPlan, EachPlan, SegmentPlan, ValuePlan
from b2bbridge.core.mapping.outbound_values import Frame, render_value

Written = str | tuple[str, ...]
Emit = Callable[[str, Sequence[Written]], None]


def _items(plan: EachPlan, frame: Frame) -> list[object]:
    items = frame.resolve(plan.path)
    if not plan.where:
        return items
    return [
        item
        for item in items
        if all(
            any(render_value(v) in allowed for v in frame.inner(item, None, 1).resolve(key))
            for key, allowed in plan.where
        )
    ]


def _has_levels(body: tuple[BlockPlan, ...], frame: Frame) -> bool:
    """Whether any hierarchical level nested in ``body`` would be written."""
    for block in body:
        if not isinstance(block, EachPlan):
            continue
        for n, item in enumerate(_items(block, frame), start=1):
            if block.level is not None or _has_levels(block.body, frame.inner(item, block.name, n)):
                return True
    return False


def _pack_pairs(values: list[Written], start: int) -> list[Written]:
    """Drop the qualifier/value pairs from ``start`` on whose value is empty."""
    pairs = [values[n : n + 2] for n in range(start, len(values), 2)]
    kept = [value for pair in pairs if len(pair) == 2 and pair[1] for value in pair]
    return [*values[:start], *kept]


class BodyWalk:
    """One pass over a body for one document, emitting segments as it goes."""

    def __init__(self, run: OutRun, emit: Emit, hierarchy: str, child_code: bool) -> None:
        self.run = run
        self.emit = emit
        self.hierarchy = hierarchy
        self.child_code = child_code

    def blocks(self, body: tuple[BlockPlan, ...], frame: Frame) -> None:
        for block in body:
            if isinstance(block, SegmentPlan):
                self.segment(block, frame)
            else:
                self.each(block, frame)

    def each(self, plan: EachPlan, frame: Frame) -> None:
        for n, item in enumerate(_items(plan, frame), start=1):
            inner = frame.inner(item, plan.name, n)
            if plan.level is None:
                self.blocks(plan.body, inner)
                continue
            run = self.run
            parent = str(run.levels[-1]) if run.levels else ""
            run.levels.append(run.next_level)
            run.next_level += 1
            values: list[Written] = [str(run.levels[-1]), parent, plan.level]
            if self.child_code:
                values.append("1" if _has_levels(plan.body, inner) else "0")
            self.write(self.hierarchy, values)
            self.blocks(plan.body, inner)
            run.levels.pop()

    def segment(self, plan: SegmentPlan, frame: Frame) -> None:
        if plan.when is not None and not any(render_value(v) for v in frame.resolve(plan.when)):
            return
        values: list[Written] = []
        sourced = found = False
        for element in plan.elements:
            if element is None:
                values.append("")
                continue
            parts = (element,) if isinstance(element, ValuePlan) else element
            texts = tuple(evaluate(part, frame, self.run) for part in parts)
            for part, text in zip(parts, texts, strict=True):
                sourced = sourced or part.sourced
                found = found or (part.sourced and text != "")
            values.append(texts[0] if isinstance(element, ValuePlan) else texts)
        if sourced and not found and not plan.always:
            return
        if plan.pairs_from is not None:
            values = _pack_pairs(values, plan.pairs_from - 1)
        self.write(plan.tag, values)

    def write(self, tag: str, values: Sequence[Written]) -> None:
        self.emit(tag, values)
        self.run.counts[tag] += 1
