"""Evaluating outbound values: one element, component or attribute from a frame.

The run state the computed values need lives in :class:`OutRun`: segments written so far
per tag (for ``count``, e.g. CTT01 as the number of PO1 segments) and the stack of open
hierarchical levels (for ``level: id`` and ``level: parent``). A failure raises a
:class:`~b2bbridge.core.mapping.failures.MappingRuleError` naming the map file, line and
rule, with the partner in its Location.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from b2bbridge.core.location import Location
from b2bbridge.core.mapping.failures import BAD_VALUE, REQUIRED_MISSING, MappingRuleError
from b2bbridge.core.mapping.outbound_plan import ValuePlan
from b2bbridge.core.mapping.outbound_values import Frame, OutValue, render_value
from b2bbridge.core.mapping.transforms import TransformValueError, to_decimal
from b2bbridge.core.model.base import CanonicalModel


class OutRun:
    """What one rendering knows: the partner (for errors), counts and open levels."""

    def __init__(self, partner: str | None, document: str, transaction: str | None = None) -> None:
        self.partner = partner
        self.document = document
        self.transaction = transaction
        self.counts: Counter[str] = Counter()
        self.levels: list[int] = []
        self.next_level = 1

    def fail(self, code: str, plan: ValuePlan, why: str) -> MappingRuleError:
        return MappingRuleError(
            f"mapping {plan.origin}, rule {plan.rule}: {why} (document {self.document})",
            code=code,
            location=Location(partner=self.partner, transaction=self.transaction),
            mapping_file=plan.origin,
            rule=plan.rule,
        )


def _raw(plan: ValuePlan, frame: Frame, run: OutRun) -> object:
    """The value before the steps, or None when there is none."""
    if plan.constant is not None:
        return plan.constant
    if plan.count is not None:
        return run.counts[plan.count]
    if plan.index:
        return frame.index
    if plan.level is not None:
        if not run.levels:
            return None
        if plan.level == "id":
            return run.levels[-1]
        return run.levels[-2] if len(run.levels) > 1 else None
    if plan.total is not None:
        numbers = frame.resolve(plan.total)
        return sum((to_decimal(_scalar(n)) for n in numbers), Decimal(0)) if numbers else None
    for path in plan.paths:
        for found in frame.resolve(path):
            if render_value(found) != "":
                return found
    if plan.join:
        texts = (evaluate(part, frame, run) for part in plan.join)
        return plan.separator.join(t for t in texts if t) or None
    for alternative in plan.first:
        text = evaluate(alternative, frame, run)
        if text:
            return text
    return None


def _scalar(value: object) -> OutValue:
    if isinstance(value, CanonicalModel):
        raise TransformValueError(f"{type(value).__name__} is an object, not a value", BAD_VALUE)
    if isinstance(value, str | Decimal | int):
        return value
    return render_value(value)


def evaluate(plan: ValuePlan, frame: Frame, run: OutRun) -> str:
    """The text of one value; '' when absent (and not required)."""
    if plan.when is not None and not any(render_value(v) for v in frame.resolve(plan.when)):
        return ""
    raw = _raw(plan, frame, run)
    text = ""
    if raw is not None:
        try:
            value: OutValue = raw if isinstance(raw, str | Decimal | int) else _keep(raw)
            for step in plan.steps:
                value = step(value)
            text = render_value(value)
        except TransformValueError as exc:
            raise run.fail(exc.code, plan, str(exc)) from exc
    if not text and plan.default is not None:
        text = plan.default
    if not text and plan.required:
        raise run.fail(REQUIRED_MISSING, plan, "the document has no value for it")
    return text


def _keep(raw: object) -> OutValue:
    """Dates and instants pass to the steps as they are; anything else as its text."""
    if isinstance(raw, date):
        return raw
    return _scalar(raw)
