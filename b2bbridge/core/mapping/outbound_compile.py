"""Compiling an outbound map: check every path against the canonical model, build plans.

Paths are checked field by field against the pydantic model of the document (and of the
items a repeat walks), so a misspelt field is a start-up error naming file, line and
column rather than a silently empty element. ``$envelope`` paths are not checked: the
envelope is not a canonical document.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from typing import get_args, get_origin

from pydantic import BaseModel

from b2bbridge.core.mapping.codes import CodeTable
from b2bbridge.core.mapping.marks import MarkedMap, config_error, mark_at
from b2bbridge.core.mapping.outbound_plan import (
    BlockPlan,
    EachPlan,
    Element,
    SegmentPlan,
    ValuePlan,
    XmlPlan,
)
from b2bbridge.core.mapping.outbound_spec import (
    EachBlock,
    ElementSpec,
    SegmentBlock,
    StepSpec,
    ValueSpec,
    XmlElement,
)
from b2bbridge.core.mapping.outbound_values import Step, compile_out_step
from b2bbridge.core.mapping.transforms import TransformSpecError

Loc = tuple[str | int, ...]
XML_NAME = re.compile(r"^(xml:)?[A-Za-z_][A-Za-z0-9_.-]*$")
Types = Mapping[str, object]
"""The type each name in scope stands for: ``.`` is the current item, others by ``as:``."""


def _unwrap(annotation: object) -> object:
    """The item type behind ``X | None``, ``list[X]`` and ``Annotated[X, ...]``."""
    origin = get_origin(annotation)
    if origin in (list, tuple, typing.Union, types.UnionType, typing.Annotated):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _unwrap(args[0]) if args else annotation
    return annotation


def path_type(start: object, names: list[str]) -> object:
    """The type reached along ``names``; raises LookupError naming the first bad field."""
    current = start
    for name in names:
        if name.isdigit():
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            if current is object:  # unchecked (the envelope)
                return object
            raise LookupError(f"{name!r}: {getattr(current, '__name__', current)} has no fields")
        fields = current.model_fields
        if name not in fields:
            known = ", ".join(fields)
            raise LookupError(f"unknown field {name!r} of {current.__name__}; known: {known}")
        current = _unwrap(fields[name].annotation)
    return current


class OutboundCompiler:
    """Builds plans for one map; ``tree`` supplies the marks for error messages."""

    def __init__(self, tree: MarkedMap, tables: Mapping[str, CodeTable], standard: str) -> None:
        self.tree = tree
        self.tables = tables
        self.standard = standard

    def origin(self, loc: Loc) -> str:
        return (mark_at(self.tree, loc) or self.tree.mark).render()

    def fail(self, message: str, loc: Loc) -> Exception:
        return config_error(message, mark_at(self.tree, loc) or self.tree.mark)

    def check(self, path: str, scope: Types, loc: Loc) -> object:
        """The type at ``path`` in ``scope``; a bad path is a mapping-file error."""
        if path == ".":
            return scope["."]
        head, _, rest = path.partition(".")
        names = rest.split(".") if rest else []
        if head.startswith("$"):
            if head[1:] not in scope:
                raise self.fail(f"path {path!r}: no item named {head[1:]!r} here", loc)
            start = scope[head[1:]]
        else:
            start, names = scope["."], path.split(".")
        try:
            return path_type(start, names)
        except LookupError as exc:
            raise self.fail(f"path {path!r}: {exc}", loc) from exc

    def steps(self, specs: list[StepSpec], loc: Loc) -> tuple[Step, ...]:
        out: list[Step] = []
        for n, spec in enumerate(specs):
            if isinstance(spec, str):
                name, arg, options = spec, None, {}
            else:
                name = next(iter(spec))
                arg, options = spec[name], {k: v for k, v in spec.items() if k != name}
            try:
                out.append(compile_out_step(name, arg, options, self.tables, self.standard))
            except TransformSpecError as exc:
                raise self.fail(str(exc), (*loc, "transform", n)) from exc
        return tuple(out)

    def value(self, spec: str | ValueSpec, scope: Types, rule: str, loc: Loc) -> ValuePlan:
        origin = self.origin(loc)
        if isinstance(spec, str):
            return ValuePlan(rule, origin, constant=spec)
        sources = [spec.path, spec.first, spec.join, spec.value, spec.count, spec.sum, spec.index,
                   spec.level]  # fmt: skip
        if sum(s is not None for s in sources) != 1:
            raise self.fail(
                "a value needs exactly one of path, first, join, value, count, sum, index, level",
                loc,
            )
        if isinstance(spec.value, bool) or isinstance(spec.default, bool):
            raise self.fail('YAML read this constant as true/false; quote it ("ON", "NO")', loc)
        paths = (spec.path,) if isinstance(spec.path, str) else tuple(spec.path or ())
        for p in (*paths, *(p for p in (spec.sum, spec.when) if p)):
            self.check(p, scope, loc)
        first = tuple(
            self.value(alt, scope, rule, (*loc, "first", n))
            for n, alt in enumerate(spec.first or [])
        )
        join = tuple(
            self.value(part, scope, rule, (*loc, "join", n))
            for n, part in enumerate(spec.join or [])
        )
        return ValuePlan(
            rule, origin, paths=paths, first=first, join=join, separator=spec.separator,
            constant=None if spec.value is None else str(spec.value),
            count=spec.count, total=spec.sum, index=bool(spec.index), level=spec.level,
            when=spec.when,
            steps=self.steps(spec.transform, loc),
            default=None if spec.default is None else str(spec.default), required=spec.required,
        )  # fmt: skip

    def element(self, spec: ElementSpec, scope: Types, rule: str, loc: Loc) -> Element:
        if spec is None:
            return None
        if isinstance(spec, list):
            return tuple(
                self.value(part, scope, f"{rule}.{n}", (*loc, n - 1))
                for n, part in enumerate(spec, start=1)
            )
        return self.value(spec, scope, rule, loc)

    def segment(self, block: SegmentBlock, scope: Types, prefix: str, loc: Loc) -> SegmentPlan:
        rule = f"{prefix}{block.segment}"
        if block.when is not None:
            self.check(block.when, scope, (*loc, "when"))
        elements = tuple(
            self.element(spec, scope, f"{rule}.{n:02d}", (*loc, "elements", n - 1))
            for n, spec in enumerate(block.elements, start=1)
        )
        return SegmentPlan(
            block.segment, rule, self.origin(loc), elements, block.when, block.always,
            block.pairs_from,
        )  # fmt: skip

    def each(self, block: EachBlock, scope: Types, prefix: str, loc: Loc) -> EachPlan:
        item = self.check(block.each, scope, (*loc, "each"))
        inner = {**scope, ".": item, **({block.as_: item} if block.as_ else {})}
        for key in block.where:
            self.check(key, inner, (*loc, "where", key))
        rule = prefix if block.each == "." else f"{prefix}{block.each}[]."
        where = tuple(
            (k, frozenset([v] if isinstance(v, str) else v)) for k, v in block.where.items()
        )
        return EachPlan(
            block.each, rule, self.origin(loc), block.as_, block.level, where,
            self.blocks(block.body, inner, rule, (*loc, "body")),
        )  # fmt: skip

    def blocks(
        self, blocks: list[SegmentBlock | EachBlock], scope: Types, prefix: str, loc: Loc
    ) -> tuple[BlockPlan, ...]:
        out: list[BlockPlan] = []
        for n, block in enumerate(blocks):
            if isinstance(block, SegmentBlock):
                out.append(self.segment(block, scope, prefix, (*loc, n)))
            else:
                out.append(self.each(block, scope, prefix, (*loc, n)))
        return tuple(out)

    def xml(self, spec: XmlElement, scope: Types, prefix: str, loc: Loc) -> XmlPlan:
        rule = f"{prefix}{spec.tag}"
        for name in (spec.tag, *spec.attributes):
            if not XML_NAME.match(name):
                raise self.fail(f"{name!r} is not an XML name", loc)
        if spec.each is not None:
            item = self.check(spec.each, scope, (*loc, "each"))
            scope = {**scope, ".": item, **({spec.as_: item} if spec.as_ else {})}
            rule += "[]"
        if spec.when is not None:
            self.check(spec.when, scope, (*loc, "when"))
        attributes = tuple(
            (name, self.value(v, scope, f"{rule}@{name}", (*loc, "attributes", name)))
            for name, v in spec.attributes.items()
        )
        text = None if spec.text is None else self.value(spec.text, scope, rule, (*loc, "text"))
        children = tuple(
            self.xml(child, scope, f"{rule}/", (*loc, "children", n))
            for n, child in enumerate(spec.children)
        )
        return XmlPlan(
            spec.tag, rule, self.origin(loc), spec.each, spec.as_, spec.when,
            attributes, text, children,
        )  # fmt: skip
