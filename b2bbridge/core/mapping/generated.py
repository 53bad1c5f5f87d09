"""EDI mapping programs as generated Python: the closure program, flattened for speed.

The closures of :mod:`~b2bbridge.core.mapping.evaluation` are the reference: they say what
a mapping means, and they build the exact error a failing rule raises. They also pay a
call for every rule, reader and ``each:`` selection, which is most of the cost of mapping
a 25-line order. This module writes one Python function per ``each:`` rule instead, with
the rules of a group, their reads of the common path shapes (``BEG.03``,
``DTM[01=002].02``, ``PO1{06=UP}``) and their conversions inlined, and compiles it once
when the mapping is loaded. Path shapes it does not inline call the reference readers.

The generated code covers the success path only. Wherever a rule would fail (a required
value missing, a transform or conversion refusing a value) it stops, and the reference
program runs the transaction again and raises its own, fully located error. Mapping is
pure, so the second run sees exactly what the first did. The differential tests hold the
two to the same output on every shipped mapping and on mutated transactions.

A mapping file cannot inject code: its tags and field names reach the source only as
literals written by ``repr``, and its value sets, code tables and transforms as names
bound in the generated module's namespace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from b2bbridge.core.mapping.evaluation import CONVERTERS
from b2bbridge.core.mapping.failures import Run
from b2bbridge.core.mapping.loops import Scope
from b2bbridge.core.mapping.paths import SegmentPath
from b2bbridge.core.mapping.selection import (
    compile_reader,
    condition_holds,
    read_text,
    select_scopes,
)
from b2bbridge.core.mapping.spec import GroupRule, Kind, ValueRule

Program = Callable[[Scope, Run], object]


class FallbackError(Exception):
    """A generated rule would fail here; the reference program decides how."""


_MISSING = object()


class _Source:
    """The text of one generated module: its lines, and the names its code refers to."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: dict[str, object] = {
            "FallbackError": FallbackError,
            "MISSING": _MISSING,
            "read_text": read_text,
            "of_segment": Scope.of_segment,
        }
        self._depth = 0
        self._count = 0

    def bind(self, value: object, prefix: str = "k") -> str:
        """A fresh name bound to ``value`` in the generated module."""
        self._count += 1
        name = f"{prefix}{self._count}"
        self.names[name] = value
        return name

    def fresh(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}{self._count}"

    def line(self, text: str) -> None:
        self.lines.append("    " * self._depth + text)

    @contextmanager
    def block(self, head: str) -> Iterator[None]:
        self.line(head)
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1


class _Generator:
    """Writes the functions of one mapping; each ``each:`` rule gets its own."""

    def __init__(self) -> None:
        self.out = _Source()
        self._pending: list[tuple[str, ValueRule | GroupRule]] = []

    def module(self, root: GroupRule) -> tuple[str, dict[str, object]]:
        entry = self._function_for(root)
        while self._pending:
            name, rule = self._pending.pop()
            self._function(name, rule)
        self.out.line(f"ENTRY = {entry}")
        return "\n".join(self.out.lines) + "\n", self.out.names

    def _function_for(self, rule: ValueRule | GroupRule) -> str:
        name = self.out.fresh("rule_")
        self._pending.append((name, rule))
        return name

    def _function(self, name: str, rule: ValueRule | GroupRule) -> None:
        """The rule (without its ``each:``) at one node: its value or None, as the reference."""
        src = self.out
        with src.block(f"def {name}(node, run):"):
            src.line("bt = node.by_tag")
            if rule.when is not None:
                with src.block(f"if not {self._holds(rule)}(node):"):
                    src.line("return None")
            if isinstance(rule, GroupRule):
                self._group_body(rule, "out")
                src.line("return out or None")
            else:
                self._value(rule, "v")
                src.line("return v")
        src.line("")

    def _holds(self, rule: ValueRule | GroupRule) -> str:
        assert rule.when is not None
        path, values = rule.when
        assert isinstance(path, SegmentPath)
        return self.out.bind(lambda scope: condition_holds(path, values, scope), "holds")

    def _group_body(self, rule: GroupRule, target: str) -> None:
        """Fill dict ``target`` from the group's members; raise when it is required and empty."""
        src = self.out
        src.line(f"{target} = {{}}")
        for member in rule.rules:
            self._member(member, target)
        if rule.required and rule.each is None:
            with src.block(f"if not {target}:"):
                src.line("raise FallbackError")

    def _member(self, rule: ValueRule | GroupRule, target: str) -> None:
        src = self.out
        key = repr(rule.name)
        if rule.each is not None:
            inner = self._function_for(rule)
            items = src.fresh("items")
            src.line(f"{items} = []")
            with src.block(f"for sub in {self._selection(rule.each)}:"):
                src.line(f"x = {inner}(sub, run)")
                with src.block("if x is not None:"):
                    src.line(f"{items}.append(x)")
            with src.block(f"if {items}:"):
                src.line(f"{target}[{key}] = {items}")
            if rule.required:
                with src.block("else:"):
                    src.line("raise FallbackError")
            return
        if rule.when is not None:
            with src.block(f"if {self._holds(rule)}(node):"):
                self._member_here(rule, target, key)
        else:
            self._member_here(rule, target, key)

    def _member_here(self, rule: ValueRule | GroupRule, target: str, key: str) -> None:
        src = self.out
        if isinstance(rule, GroupRule):
            sub = src.fresh("group")
            self._group_body(rule, sub)
            with src.block(f"if {sub}:"):
                src.line(f"{target}[{key}] = {sub}")
            return
        value = src.fresh("v")
        self._value(rule, value)
        with src.block(f"if {value} is not None:"):
            src.line(f"{target}[{key}] = {value}")

    def _selection(self, path: object) -> str:
        """An expression for the scopes ``each:`` walks, as :func:`select_scopes` finds them."""
        assert isinstance(path, SegmentPath)
        if len(path.steps) == 1 and not path.steps[0].conditions:
            tag, found = repr(path.steps[0].tag), self.out.fresh("found")
            loops = f"({found} := node.loops.get({tag}))"
            segments = f"[of_segment(s) for s in bt.get({tag}, ())]"
            return f"({found} if {loops} is not None else {segments})"
        select = self.out.bind(lambda scope: select_scopes(path, scope), "select")
        return f"{select}(node)"

    # -- values ---------------------------------------------------------------------------

    def _value(self, rule: ValueRule, target: str) -> None:
        """Set ``target`` to the rule's value at ``node`` (None when absent)."""
        src = self.out
        text = src.fresh("t")
        self._text(rule, text)
        convert = CONVERTERS[rule.kind]
        required = rule.required and rule.each is None
        if not rule.steps and rule.default is None and not required:
            if rule.kind is Kind.TEXT:
                src.line(f"{target} = ({text}.strip() or None) if {text} else None")
                return
            conv = src.bind(convert, "convert")
            src.line(f"{target} = None")
            with src.block(f"if {text}:"):
                src.line(f"{text} = {text}.strip()")
                with src.block(f"if {text}:"):
                    src.line(f"{target} = {conv}({text})")
            return
        conv = src.bind(convert, "convert")
        src.line(f"{target} = MISSING")
        with src.block(f"if {text}:"):
            src.line(f"{text} = {text}.strip()")
            for step in rule.steps:
                src.line(f"{text} = {src.bind(step, 'step')}({text})")
            with src.block(f"if {text} != '':"):
                src.line(f"{target} = {conv}({text})")
        with src.block(f"if {target} is MISSING:"):
            if rule.default is not None:
                src.line(f"{target} = {src.bind(convert(rule.default), 'default')}")
            elif required:
                src.line("raise FallbackError")
            else:
                src.line(f"{target} = None")

    def _text(self, rule: ValueRule, target: str) -> None:
        """Set ``target`` to the rule's source text (a str, or None/'' when there is none)."""
        src = self.out
        if rule.constant is not None:
            src.line(f"{target} = {src.bind(rule.constant)}")
            return
        if rule.join:
            readers = ", ".join(f"{self._reader(p)}(node)" for p in rule.join)
            sep = src.bind(rule.separator, "sep")
            src.line(f"{target} = {sep}.join(x.strip() for x in ({readers},) if x)")
            return
        for n, path in enumerate(rule.paths):
            if n == 0:
                self._read(path, target)
            else:
                with src.block(f"if not {target}:"):
                    self._read(path, target)

    def _reader(self, path: object) -> str:
        assert isinstance(path, SegmentPath)
        return self.out.bind(compile_reader(path), "read")

    def _read(self, path: object, target: str) -> None:
        """Inline the common one-step path shapes; call the reference reader for the rest."""
        assert isinstance(path, SegmentPath)
        src = self.out
        step, tests, pick = path.last, path.last.conditions, path.pick
        simple_test = len(tests) == 1 and tests[0].component is None
        if not _inlined(path):
            src.line(f"{target} = {self._reader(path)}(node)")
            return
        src.line(f"{target} = None")
        with src.block(f"for seg in bt.get({step.tag!r}, ()):"):
            src.line("els = seg.elements")
            if simple_test:
                test = tests[0]
                values = src.bind(test.values, "values")
                cond = f"{test.element} < len(els) and els[{test.element}].strip() in {values}"
                with src.block(f"if not ({cond}):"):
                    src.line("continue")
            if pick is not None:
                values = src.bind(pick.values, "values")
                src.line("x = None")
                pairs = f"for i in range({pick.element}, len(els) - 1, 2):"
                with src.block(pairs), src.block(f"if els[i + 1] and els[i].strip() in {values}:"):
                    src.line("x = els[i + 1]")
                    src.line("rel = seg.delimiters.release")
                    with src.block("if rel is not None and rel in x:"):
                        src.line("x = seg.element(i + 1)")
                    src.line("break")
            elif path.component is not None:
                src.line(f"x = read_text(seg, {path.element}, {path.component})")
            else:
                element = path.element
                src.line(f"x = els[{element}] if {element} < len(els) else ''")
                with src.block("if x:"):
                    src.line("rel = seg.delimiters.release")
                    with src.block("if rel is not None and rel in x:"):
                        src.line(f"x = read_text(seg, {element}, None)")
            with src.block("if x:"):
                src.line(f"{target} = x")
                src.line("break")


def _inlined(path: SegmentPath) -> bool:
    """One step with an element or an X12 pick, and at most one whole-element condition."""
    tests, pick = path.last.conditions, path.pick
    if path.head or len(tests) > 1 or (tests and tests[0].component is not None):
        return False
    if pick is None:
        return path.element is not None
    return pick.component is None and path.element is None


def generate_source(root: GroupRule) -> tuple[str, dict[str, object]]:
    """The generated module for ``root`` and the namespace its names are bound in."""
    return _Generator().module(root)


def compile_generated(root: GroupRule) -> Program:
    """The generated function alone: it returns the reference's value, or raises anything.

    Where a rule fails it raises :class:`FallbackError` or the transform's own error, without
    the location the reference gives; :func:`generated_program` is what callers want.
    """
    source, names = generate_source(root)
    namespace: dict[str, Any] = dict(names)
    exec(compile(source, f"<mapping program {root.name}>", "exec"), namespace)
    fast: Program = namespace["ENTRY"]
    return fast


def generated_program(root: GroupRule, reference: Program) -> Program:
    """The mapping program of ``root``: generated code, with ``reference`` deciding failures."""
    fast = compile_generated(root)

    def program(scope: Scope, run: Run) -> object:
        try:
            return fast(scope, run)
        except Exception:  # noqa: BLE001 - the reference raises the rule's own error
            return reference(scope, run)

    return program
