"""Compiling the ``fields:`` of a mapping file into rules checked against the canonical model.

Each rule is checked when the mapping is loaded: the field must exist on the target model,
a scalar rule needs exactly one source (``path``, ``join`` or ``value``) and a group needs
``fields``, a list field needs ``each``, paths must parse, and transforms must be in the
vocabulary. Every error names the file, line and column of the offending key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.mapping.addresses import SourcePath
from b2bbridge.core.mapping.codes import CodeTable
from b2bbridge.core.mapping.evaluation import CONVERTERS
from b2bbridge.core.mapping.marks import Mark, MarkedMap, config_error, mark_at
from b2bbridge.core.mapping.paths import PathSyntaxError, SegmentPath, parse_path
from b2bbridge.core.mapping.spec import (
    FieldSpec,
    GroupRule,
    Kind,
    StepSpec,
    ValueRule,
    WhenSpec,
)
from b2bbridge.core.mapping.targets import FieldTarget, field_target
from b2bbridge.core.mapping.transforms import (
    STEP_NAMES,
    Transform,
    TransformSpecError,
    TransformValueError,
    compile_step,
)

At = tuple[str | int, ...]
_OUTPUTS = {
    "date": Kind.DATE, "datetime": Kind.DATETIME, "decimal": Kind.DECIMAL,
    "integer": Kind.INTEGER, "implied_decimals": Kind.DECIMAL, "scale": Kind.DECIMAL,
}  # fmt: skip
_NUMBERS = frozenset({Kind.DECIMAL, Kind.INTEGER, Kind.BOOL})
_DATES = frozenset({Kind.DATE, Kind.DATETIME, Kind.BOOL})
_CLASHES = {
    Kind.DATE: _NUMBERS, Kind.DATETIME: _NUMBERS, Kind.DECIMAL: _DATES, Kind.INTEGER: _DATES,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class RuleCompiler:
    """Compiles rules for one mapping; ``tree`` is the merged marked YAML, for error marks.

    ``parse`` reads a path as the mapping's format writes it: segment paths for X12 and
    EDIFACT (the default), XPath, JSON paths or column headers for the others. With a
    ``problems`` list, a broken rule is recorded there and the others are still checked.
    """

    tree: MarkedMap
    tables: Mapping[str, CodeTable]
    standard: str
    parse: Callable[[str], SourcePath] = field(default=parse_path)
    problems: list[ConfigError] | None = None

    def error(self, message: str, at: At) -> ConfigError:
        return config_error(message, self._mark(at))

    def _mark(self, at: At) -> Mark:
        return mark_at(self.tree, at) or self.tree.mark

    def group(
        self,
        model: type[BaseModel],
        fields: Mapping[str, FieldSpec | str | None],
        at: At,
        prefix: str,
    ) -> tuple[ValueRule | GroupRule, ...]:
        rules: list[ValueRule | GroupRule] = []
        for name, entry in fields.items():
            if entry is None:
                continue
            spec = FieldSpec(path=entry) if isinstance(entry, str) else entry
            try:
                rules.append(self.rule(model, name, spec, (*at, name), prefix))
            except ConfigError as exc:
                if self.problems is None:
                    raise
                self.problems.append(exc)  # linting: note it and check the next rule
        return tuple(rules)

    def rule(
        self, model: type[BaseModel], name: str, spec: FieldSpec, at: At, prefix: str
    ) -> ValueRule | GroupRule:
        target = field_target(model, name)
        if target is None:
            known = ", ".join(model.model_fields)
            raise self.error(f"unknown canonical field {name!r} of {model.__name__}; "
                             f"known: {known}", at)  # fmt: skip
        if target.many != (spec.each is not None):
            need = "a list: give each:" if target.many else "a single value: remove each:"
            raise self.error(f"field {name!r} is {need}", at)
        each = self.path(spec.each, (*at, "each"), value=False) if spec.each else None
        when = self.when(spec.when, (*at, "when"))
        label = f"{prefix}{name}{'[]' if target.many else ''}"
        origin = self._mark(at).render()
        if spec.fields is not None:
            if target.model is None:
                raise self.error(f"field {name!r} is a value, not an object: use path:", at)
            rules = self.group(target.model, spec.fields, (*at, "fields"), f"{label}.")
            return GroupRule(name, label, rules, origin, spec.required, each, when)
        return self.value_rule(name, label, origin, target, spec, at, each, when)

    def value_rule(
        self,
        name: str,
        label: str,
        origin: str,
        target: FieldTarget,
        spec: FieldSpec,
        at: At,
        each: SourcePath | None,
        when: tuple[SourcePath, frozenset[str]] | None,
    ) -> ValueRule:
        if target.kind is None:
            raise self.error(f"field {name!r} is an object: give it fields:", at)
        sources = [s for s in (spec.path, spec.join, spec.value) if s is not None]
        if len(sources) != 1:
            raise self.error(f"field {name!r} needs exactly one of path, join or value", at)
        raw_paths = [spec.path] if isinstance(spec.path, str) else (spec.path or [])
        paths = tuple(self.path(p, (*at, "path"), value=True) for p in raw_paths)
        join = tuple(self.path(p, (*at, "join"), value=True) for p in spec.join or [])
        steps = tuple(self.step(s, (*at, "transform", i)) for i, s in enumerate(spec.transform))
        if spec.transform:
            self.check_output(name, target.kind, spec.transform[-1], (*at, "transform"))
        default = None if spec.default is None else str(spec.default)
        if default is not None:
            try:
                CONVERTERS[target.kind](default)
            except TransformValueError as exc:
                raise self.error(f"default of {name!r}: {exc}", (*at, "default")) from exc
        return ValueRule(
            name, label, target.kind, origin, paths, join, spec.separator,
            None if spec.value is None else str(spec.value), steps,
            default, spec.required, each, when,
        )  # fmt: skip

    def path(self, text: str, at: At, *, value: bool) -> SourcePath:
        try:
            path = self.parse(text)
        except PathSyntaxError as exc:
            raise self.error(
                f"bad path {text!r}: {exc} (at character {exc.column + 1})", at
            ) from exc
        if not isinstance(path, SegmentPath):
            return path  # a tree path names nodes and values alike
        if value and not path.names_value:
            raise self.error(f"path {text!r} names a segment; add .ELEMENT for a value", at)
        if not value and path.names_value:
            raise self.error(f"path {text!r} names a value; each: wants segments or loops", at)
        return path

    def check_output(self, name: str, kind: Kind, last: StepSpec, at: At) -> None:
        """A type mismatch: the last step makes a date for a number field, or the reverse."""
        step = last if isinstance(last, str) else next((k for k in last if k in STEP_NAMES), "")
        makes = _OUTPUTS.get(step)
        if makes is not None and kind in _CLASHES[makes]:
            raise self.error(
                f"type mismatch: field {name!r} holds a {kind.value}, "
                f"but its last transform {step!r} makes a {makes.value}",
                at,
            )

    def when(self, spec: WhenSpec | None, at: At) -> tuple[SourcePath, frozenset[str]] | None:
        if spec is None:
            return None
        return self.path(spec.path, (*at, "path"), value=True), frozenset(spec.in_)

    def step(self, spec: StepSpec, at: At) -> Transform:
        if isinstance(spec, str):
            name, arg, options = spec, None, {}
        else:
            names = [k for k in spec if k in STEP_NAMES]
            if len(names) != 1:
                raise self.error(
                    f"a transform step needs one of {', '.join(sorted(STEP_NAMES))}", at
                )
            name, arg = names[0], spec[names[0]]
            options = {k: v for k, v in spec.items() if k != name}
        try:
            return compile_step(name, arg, options, self.tables, self.standard)
        except TransformSpecError as exc:
            raise self.error(str(exc), at) from exc
