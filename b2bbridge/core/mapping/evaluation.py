"""Compiling rules into closures, and running them: the engine's inner loop.

Each compiled rule is one closure over its readers, transforms and converter, so that a
run does no dispatch on rule shape; a transaction of 25 lines runs some 400 of them.
The position of a value (for an error message) is looked up again only when a rule
fails, so the common path allocates nothing but the values themselves.

The closures are generic over the context node: an :class:`~b2bbridge.core.mapping.access.Access`
chosen per mapping supplies the readers (segment scopes for EDI, elements, JSON values or
sheet rows for the other formats).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TypeVar

from b2bbridge.core.mapping.access import Access
from b2bbridge.core.mapping.failures import REQUIRED_MISSING, Run
from b2bbridge.core.mapping.spec import GroupRule, Kind, ValueRule
from b2bbridge.core.mapping.transforms import (
    TransformValueError,
    Value,
    parse_instant,
    to_decimal,
    to_integer,
)

Data = dict[str, object]
N = TypeVar("N")


def _to_text(value: Value) -> Value:
    return value if isinstance(value, str) else str(value)


def _to_date(value: Value) -> Value:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else parse_instant(str(value), "auto", UTC).date()


def _to_datetime(value: Value) -> Value:
    return value if isinstance(value, datetime) else parse_instant(str(value), "auto", UTC)


def _to_bool(value: Value) -> Value:
    return "true" if str(value).strip().lower() in ("1", "y", "yes", "true") else "false"


CONVERTERS: dict[Kind, Callable[[Value], Value]] = {
    Kind.TEXT: _to_text,
    Kind.DECIMAL: to_decimal,
    Kind.INTEGER: to_integer,
    Kind.DATE: _to_date,
    Kind.DATETIME: _to_datetime,
    Kind.BOOL: _to_bool,
}


def _source(rule: ValueRule, access: Access[N]) -> Callable[[N], str | None]:
    if rule.constant is not None:
        constant = rule.constant
        return lambda node: constant
    if rule.join:
        readers = [access.reader(p) for p in rule.join]
        sep = rule.separator
        return lambda node: sep.join(t.strip() for t in (r(node) for r in readers) if t)
    readers = [access.reader(p) for p in rule.paths]
    if len(readers) == 1:
        return readers[0]

    def first(node: N) -> str | None:
        for read in readers:
            text = read(node)
            if text:
                return text
        return None

    return first


def _fail_value(
    rule: ValueRule, access: Access[N], run: Run, node: N, exc: TransformValueError
) -> Exception:
    paths = rule.paths + rule.join
    return access.fail(run, exc.code, rule.origin, rule.rule, str(exc), paths, node)


def _plain_program(rule: ValueRule, access: Access[N]) -> Callable[[N, Run], object]:
    """The common case (no transform, default or requirement), kept to the fewest calls."""
    source, convert = _source(rule, access), CONVERTERS[rule.kind]
    if rule.kind is Kind.TEXT:
        return lambda node, run: (source(node) or "").strip() or None

    def evaluate(node: N, run: Run) -> object:
        text = source(node)
        if text and (text := text.strip()):
            try:
                return convert(text)
            except TransformValueError as exc:
                raise _fail_value(rule, access, run, node, exc) from exc
        return None

    return evaluate


def _value_program(rule: ValueRule, access: Access[N]) -> Callable[[N, Run], object]:
    source, steps, convert = _source(rule, access), rule.steps, CONVERTERS[rule.kind]
    default = None if rule.default is None else convert(rule.default)
    required = rule.required and rule.each is None  # with each, required means "one item"
    if not steps and default is None and not required:
        return _plain_program(rule, access)

    def evaluate(node: N, run: Run) -> object:
        text = source(node)
        if text:
            try:
                value: Value = text.strip()
                for step in steps:
                    value = step(value)
                if value != "":
                    return convert(value)
            except TransformValueError as exc:
                raise _fail_value(rule, access, run, node, exc) from exc
        if default is not None:
            return default
        if required:
            where = ", ".join(p.text for p in rule.paths + rule.join) or "its value"
            why = f"no value at {where}"
            raise access.fail(run, REQUIRED_MISSING, rule.origin, rule.rule, why, (), node)
        return None

    return evaluate


def _group_program(rule: GroupRule, access: Access[N]) -> Callable[[N, Run], object]:
    members = [(r.name, compile_program(r, access)) for r in rule.rules]
    required = rule.required and rule.each is None

    def evaluate(node: N, run: Run) -> object:
        out: Data = {}
        for name, program in members:
            value = program(node, run)
            if value is not None:
                out[name] = value
        if out:
            return out
        if required:
            why = "no value for any field"
            raise access.fail(run, REQUIRED_MISSING, rule.origin, rule.rule, why, (), node)
        return None

    return evaluate


def _when(
    rule: ValueRule | GroupRule, access: Access[N], inner: Callable[[N, Run], object]
) -> Callable[[N, Run], object]:
    if rule.when is None:
        return inner
    path, values = rule.when
    holds = access.holds(path, values)
    return lambda node, run: inner(node, run) if holds(node) else None


def _each(
    rule: ValueRule | GroupRule, access: Access[N], inner: Callable[[N, Run], object]
) -> Callable[[N, Run], object]:
    each = rule.each
    if each is None:
        return inner
    select, required, label = access.selector(each), rule.required, each.text

    def evaluate(node: N, run: Run) -> object:
        items = [v for v in (inner(s, run) for s in select(node)) if v is not None]
        if items:
            return items
        if required:
            why = f"no {label} found"
            raise access.fail(run, REQUIRED_MISSING, rule.origin, rule.rule, why, (), node)
        return None

    return evaluate


def compile_program(rule: ValueRule | GroupRule, access: Access[N]) -> Callable[[N, Run], object]:
    """The closure that evaluates ``rule`` (and, for a group, its members) at a node."""
    if isinstance(rule, ValueRule):
        inner = _value_program(rule, access)
    else:
        inner = _group_program(rule, access)
    return _each(rule, access, _when(rule, access, inner))
