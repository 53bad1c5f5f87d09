"""Linting mapping files: every problem in a file, each as ``file:line:column: message``.

Loading a mapping stops at its first error, which is right at start-up; an ops engineer
editing maps wants them all at once. :func:`lint_mapping` checks what loading checks (YAML
syntax, the file's shape, unknown canonical fields, paths that do not parse, transforms
outside the vocabulary, code tables that are missing or broken, type mismatches between a
field and its transforms) and carries on past each broken rule to the next. Outbound
maps (``direction: outbound``) are checked by their own loader, which reports the first
problem. The core reads nothing itself: ``resolve`` returns the text of a named file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pydantic
import yaml

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.mapping.formats import TREE_FORMATS
from b2bbridge.core.mapping.loader import compiler_for, documents_path, read_chain
from b2bbridge.core.mapping.marks import MappingFileError, MarkedMap, config_error, mark_at
from b2bbridge.core.mapping.spec import MappingFile
from b2bbridge.core.model.registry import DOCUMENTS

Resolve = Callable[[str], str]


@dataclass(frozen=True, slots=True, order=True)
class LintProblem:
    file: str
    line: int
    column: int
    message: str

    def render(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


def _problem(exc: ConfigError, source_name: str) -> LintProblem:
    if isinstance(exc, MappingFileError):
        return LintProblem(exc.mark.file, exc.mark.line, exc.mark.column, exc.detail)
    return LintProblem(source_name, exc.location.line or 1, 1, exc.message)


def _alternative(part: str | int) -> bool:
    """A union alternative in a pydantic location (``FieldSpec``, ``str``), not a key."""
    return isinstance(part, str) and (part[:1].isupper() or part in ("str", "int"))


def _branch(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """The location up to the first union alternative."""
    for i, part in enumerate(loc):
        if _alternative(part):
            return loc[:i]
    return loc


def _shape_problems(tree: MarkedMap, exc: pydantic.ValidationError) -> list[LintProblem]:
    """One problem per failing key: of a union's alternatives, the deepest error wins."""
    deepest: dict[tuple[str | int, ...], tuple[str | int, ...]] = {}
    messages: dict[tuple[str | int, ...], str] = {}
    for error in exc.errors():
        loc = tuple(error["loc"])
        key = _branch(loc)
        if len(loc) > len(deepest.get(key, ())) or key not in deepest:
            deepest[key], messages[key] = loc, error["msg"]
    problems = []
    for key, loc in deepest.items():
        mark = mark_at(tree, loc) or tree.mark
        where = ".".join(str(p) for p in loc if not _alternative(p))
        problems.append(
            LintProblem(mark.file, mark.line, mark.column, f"{messages[key]} (at {where})")
        )
    return problems


def _is_outbound(text: str) -> bool:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    return isinstance(data, dict) and data.get("direction") == "outbound"


def _lint_outbound(text: str, source_name: str, resolve: Resolve) -> list[LintProblem]:
    from b2bbridge.core.mapping.outbound_loader import load_outbound_mapping

    try:
        load_outbound_mapping(text, source_name=source_name, resolve=resolve)
    except ConfigError as exc:
        return [_problem(exc, source_name)]
    return []


def _lint_rules(file: MappingFile, tree: MarkedMap, resolve: Resolve) -> list[ConfigError]:
    errors: list[ConfigError] = []
    document = DOCUMENTS.get(file.document or "")
    if file.format is None:
        return [config_error("a mapping needs format: (here or in its base)", tree.mark)]
    if document is None:
        known = ", ".join(sorted(DOCUMENTS))
        mark = mark_at(tree, ("document",)) or tree.mark
        return [config_error(f"unknown document {file.document!r}; known: {known}", mark)]
    compiler = compiler_for(file, tree, resolve, errors)
    compiler.group(document, file.fields, ("fields",), "")
    fmt = TREE_FORMATS.get(file.format)
    if fmt is not None:
        try:
            documents_path(file, tree, fmt)
        except ConfigError as exc:
            errors.append(exc)
    return errors


def lint_mapping(text: str, *, source_name: str, resolve: Resolve) -> list[LintProblem]:
    """Every problem found in the mapping ``source_name`` (and the files it names), sorted."""
    if _is_outbound(text):
        return _lint_outbound(text, source_name, resolve)
    try:
        tree, _ = read_chain(text, source_name, resolve)
    except ConfigError as exc:
        return [_problem(exc, source_name)]
    try:
        file = MappingFile.model_validate(tree)
    except pydantic.ValidationError as exc:
        return sorted(_shape_problems(tree, exc))
    return sorted({_problem(e, source_name) for e in _lint_rules(file, tree, resolve)})
