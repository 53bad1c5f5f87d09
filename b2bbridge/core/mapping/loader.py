"""Loading a mapping: YAML text in, a compiled :class:`MappingSpec` out; the core opens nothing.

The caller passes the text and a ``resolve`` function that returns the text of any other
file the mapping names: the base of ``extends:`` and each code table under ``codes:``.
Names are as written in the mapping (``x12/850.yaml``, ``codes/uom.csv``); the caller
decides where they live (the ``mappings/`` directory, a test fixture, a database).
``resolve`` signals a missing file by raising ``LookupError`` or ``OSError``.

Every problem is a :class:`~b2bbridge.core.errors.ConfigError` with code
``mapping_invalid`` whose message starts with ``file, line L, column C``.
"""

from __future__ import annotations

from collections.abc import Callable

import pydantic

from b2bbridge.core.errors import ConfigError, MappingError
from b2bbridge.core.mapping.access import SegmentAccess, TreeAccess
from b2bbridge.core.mapping.addresses import TreePath
from b2bbridge.core.mapping.codes import CodeTable, CodeTableError, parse_code_table
from b2bbridge.core.mapping.evaluation import compile_program
from b2bbridge.core.mapping.failures import Run
from b2bbridge.core.mapping.formats import TREE_FORMATS, TreeFormat
from b2bbridge.core.mapping.generated import generated_program
from b2bbridge.core.mapping.loops import LoopDef, Scope
from b2bbridge.core.mapping.marks import (
    Mark,
    MarkedMap,
    config_error,
    mark_at,
    merge_mapping,
    read_marked_yaml,
)
from b2bbridge.core.mapping.paths import PathSyntaxError
from b2bbridge.core.mapping.rules import RuleCompiler
from b2bbridge.core.mapping.spec import GroupRule, LoopSpec, MappingFile, MappingSpec
from b2bbridge.core.model.registry import DOCUMENTS

Resolve = Callable[[str], str]
MAX_EXTENDS = 8


def _fetch(resolve: Resolve, name: str, mark: Mark) -> str:
    try:
        return resolve(name)
    except (LookupError, OSError) as exc:
        raise config_error(f"cannot read {name!r}: {exc}", mark) from exc


def read_chain(text: str, source_name: str, resolve: Resolve) -> tuple[MarkedMap, list[str]]:
    """Read the file and the files it extends, merged; the chain lists them, own file first."""
    tree = read_marked_yaml(text, source_name)
    chain = [source_name]
    while isinstance(tree.get("extends"), str):
        base_name = str(tree["extends"])
        mark = tree.marks["extends"]
        if base_name in chain or len(chain) > MAX_EXTENDS:
            raise config_error(f"extends loops back or is too deep: {' -> '.join(chain)}", mark)
        base = read_marked_yaml(_fetch(resolve, base_name, mark), base_name)
        chain.append(base_name)
        child = MarkedMap(tree.mark)
        for key, value in tree.items():
            if key != "extends":
                child[key], child.marks[key] = value, tree.marks[key]
        tree = merge_mapping(base, child)
    return tree, chain


def _validate(tree: MarkedMap) -> MappingFile:
    try:
        return MappingFile.model_validate(tree)
    except pydantic.ValidationError as exc:
        worst = max(exc.errors(), key=lambda e: len(e["loc"]))
        where = ".".join(str(p) for p in worst["loc"])
        mark = mark_at(tree, tuple(worst["loc"])) or tree.mark
        raise config_error(f"{worst['msg']} (at {where})", mark) from exc


def _loop(tag: str, spec: LoopSpec) -> LoopDef:
    children = {t: _loop(t, s) for t, s in spec.loops.items()}
    return LoopDef(tag, frozenset(spec.members) - {tag}, children)


def _table(name: str, ref: str, tree: MarkedMap, resolve: Resolve) -> CodeTable:
    text = _fetch(resolve, ref, mark_at(tree, ("codes", name)) or tree.mark)
    try:
        return parse_code_table(text, name)
    except CodeTableError as exc:
        raise config_error(str(exc), Mark(ref, exc.line, 1)) from exc


def _tables(
    file: MappingFile, tree: MarkedMap, resolve: Resolve, problems: list[ConfigError] | None = None
) -> dict[str, CodeTable]:
    """The declared code tables; with ``problems``, a table that fails is noted there
    and replaced by an empty one, so the rules using it are still checked."""
    tables: dict[str, CodeTable] = {}
    for name, ref in file.codes.items():
        if ref is None:
            continue
        try:
            tables[name] = _table(name, ref, tree, resolve)
        except ConfigError as exc:
            if problems is None:
                raise
            problems.append(exc)
            tables[name] = CodeTable(name, {})
    return tables


def _refuse_edi(name: str, format: str) -> Callable[[Scope, Run], object]:
    def refuse(scope: Scope, run: Run) -> object:
        raise MappingError(
            f"mapping {name} reads {format} payloads, not EDI transactions: use map_payload",
            code="mapping_wrong_format",
        )

    return refuse


def documents_path(file: MappingFile, tree: MarkedMap, fmt: TreeFormat) -> TreePath | None:
    if file.documents is None:
        return None
    try:
        return fmt.compile_path(file.documents, _namespaces(file))
    except PathSyntaxError as exc:
        mark = mark_at(tree, ("documents",)) or tree.mark
        raise config_error(f"bad path {file.documents!r}: {exc}", mark) from exc


def _namespaces(file: MappingFile) -> dict[str, str]:
    return {k: v for k, v in file.namespaces.items() if v is not None}


def compiler_for(
    file: MappingFile, tree: MarkedMap, resolve: Resolve, problems: list[ConfigError] | None = None
) -> RuleCompiler:
    """The rule compiler for the file's format; ``problems`` collects instead of raising."""
    assert file.format is not None
    fmt = TREE_FORMATS.get(file.format)
    tables = _tables(file, tree, resolve, problems)
    standard = file.code_standard or file.format
    if fmt is None:
        return RuleCompiler(tree, tables, standard, problems=problems)
    namespaces = _namespaces(file)
    parse = fmt.compile_path
    return RuleCompiler(tree, tables, standard, lambda t: parse(t, namespaces), problems)


def load_mapping(text: str, *, source_name: str, resolve: Resolve) -> MappingSpec:
    """Read, merge, check and compile a mapping file."""
    tree, chain = read_chain(text, source_name, resolve)
    file = _validate(tree)
    if file.format is None or file.document is None:
        raise config_error("a mapping needs format: and document: (here or in its base)", tree.mark)
    document = DOCUMENTS.get(file.document)
    if document is None:
        known = ", ".join(sorted(DOCUMENTS))
        raise config_error(f"unknown document {file.document!r}; known: {known}",
                           mark_at(tree, ("document",)) or tree.mark)  # fmt: skip
    loops = {t: _loop(t, s) for t, s in file.loops.items() if s is not None}
    compiler, fmt_name = compiler_for(file, tree, resolve), file.format
    rules = compiler.group(document, file.fields, ("fields",), "")
    root = GroupRule("", document.document_type, rules, tree.mark.render())
    fmt = TREE_FORMATS.get(fmt_name)
    return MappingSpec(
        name=source_name,
        chain=tuple(chain),
        format=fmt_name,
        document=document,
        loops=LoopDef("", frozenset(), loops),
        root=root,
        tables=dict(compiler.tables),
        program=generated_program(root, compile_program(root, SegmentAccess()))
        if fmt is None
        else _refuse_edi(source_name, fmt_name),
        message=file.message,
        tree_program=None if fmt is None else compile_program(root, TreeAccess(fmt.describe)),
        documents=None if fmt is None else documents_path(file, tree, fmt),
        namespaces=_namespaces(file) or None,
    )
