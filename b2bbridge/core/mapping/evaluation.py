"""Compiling rules into closures, and running them: the engine's inner loop.

Each compiled rule is one closure over its readers, transforms and converter, so that a
run does no dispatch on rule shape; a transaction of 25 lines runs some 400 of them.
The position of a value (for an error message) is looked up again only when a rule
fails, so the common path allocates nothing but the values themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from b2bbridge.core.mapping.failures import REQUIRED_MISSING, Run
from b2bbridge.core.mapping.loops import Scope
from b2bbridge.core.mapping.selection import (
    compile_reader,
    condition_holds,
    find_value,
    select_scopes,
)
from b2bbridge.core.mapping.spec import GroupRule, Kind, ValueRule
from b2bbridge.core.mapping.transforms import (
    TransformValueError,
    Value,
    parse_instant,
    to_decimal,
    to_integer,
)

Data = dict[str, object]
Program = Callable[[Scope, Run], object]


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


def _source(rule: ValueRule) -> Callable[[Scope], str | None]:
    if rule.constant is not None:
        constant = rule.constant
        return lambda scope: constant
    if rule.join:
        readers = [compile_reader(p) for p in rule.join]
        sep = rule.separator
        return lambda scope: sep.join(t.strip() for t in (r(scope) for r in readers) if t)
    readers = [compile_reader(p) for p in rule.paths]
    if len(readers) == 1:
        return readers[0]

    def first(scope: Scope) -> str | None:
        for read in readers:
            text = read(scope)
            if text:
                return text
        return None

    return first


def _fail_value(rule: ValueRule, run: Run, scope: Scope, exc: TransformValueError) -> Exception:
    paths = rule.paths + rule.join
    found = next((f for f in (find_value(p, scope) for p in paths) if f is not None), None)
    return run.fail(exc.code, rule.origin, rule.rule, str(exc), found, scope)


def _plain_program(rule: ValueRule) -> Program:
    """The common case (no transform, default or requirement), kept to the fewest calls."""
    source, convert = _source(rule), CONVERTERS[rule.kind]
    if rule.kind is Kind.TEXT:
        return lambda scope, run: (source(scope) or "").strip() or None

    def evaluate(scope: Scope, run: Run) -> object:
        text = source(scope)
        if text and (text := text.strip()):
            try:
                return convert(text)
            except TransformValueError as exc:
                raise _fail_value(rule, run, scope, exc) from exc
        return None

    return evaluate


def _value_program(rule: ValueRule) -> Program:
    source, steps, convert = _source(rule), rule.steps, CONVERTERS[rule.kind]
    default = None if rule.default is None else convert(rule.default)
    required = rule.required and rule.each is None  # with each, required means "one item"
    if not steps and default is None and not required:
        return _plain_program(rule)

    def evaluate(scope: Scope, run: Run) -> object:
        text = source(scope)
        if text:
            try:
                value: Value = text.strip()
                for step in steps:
                    value = step(value)
                if value != "":
                    return convert(value)
            except TransformValueError as exc:
                raise _fail_value(rule, run, scope, exc) from exc
        if default is not None:
            return default
        if required:
            where = ", ".join(p.text for p in rule.paths + rule.join) or "its value"
            why = f"no value at {where}"
            raise run.fail(REQUIRED_MISSING, rule.origin, rule.rule, why, None, scope)
        return None

    return evaluate


def _group_program(rule: GroupRule) -> Program:
    members = [(r.name, compile_program(r)) for r in rule.rules]
    required = rule.required and rule.each is None

    def evaluate(scope: Scope, run: Run) -> object:
        out: Data = {}
        for name, program in members:
            value = program(scope, run)
            if value is not None:
                out[name] = value
        if out:
            return out
        if required:
            why = "no value for any field"
            raise run.fail(REQUIRED_MISSING, rule.origin, rule.rule, why, None, scope)
        return None

    return evaluate


def _when(rule: ValueRule | GroupRule, inner: Program) -> Program:
    if rule.when is None:
        return inner
    path, values = rule.when
    return lambda scope, run: inner(scope, run) if condition_holds(path, values, scope) else None


def _each(rule: ValueRule | GroupRule, inner: Program) -> Program:
    each = rule.each
    if each is None:
        return inner
    required = rule.required

    def evaluate(scope: Scope, run: Run) -> object:
        items = [v for v in (inner(s, run) for s in select_scopes(each, scope)) if v is not None]
        if items:
            return items
        if required:
            why = f"no {each.text} found"
            raise run.fail(REQUIRED_MISSING, rule.origin, rule.rule, why, None, scope)
        return None

    return evaluate


def compile_program(rule: ValueRule | GroupRule) -> Program:
    """The closure that evaluates ``rule`` (and, for a group, its members) in a scope."""
    inner = _value_program(rule) if isinstance(rule, ValueRule) else _group_program(rule)
    return _each(rule, _when(rule, inner))
