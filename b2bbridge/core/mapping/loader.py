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

from b2bbridge.core.mapping.codes import CodeTable, CodeTableError, parse_code_table
from b2bbridge.core.mapping.evaluation import compile_program
from b2bbridge.core.mapping.loops import LoopDef
from b2bbridge.core.mapping.marks import (
    Mark,
    MarkedMap,
    config_error,
    mark_at,
    merge_mapping,
    read_marked_yaml,
)
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


def _read_chain(text: str, source_name: str, resolve: Resolve) -> tuple[MarkedMap, list[str]]:
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


def _tables(file: MappingFile, tree: MarkedMap, resolve: Resolve) -> dict[str, CodeTable]:
    tables: dict[str, CodeTable] = {}
    for name, ref in file.codes.items():
        if ref is None:
            continue
        text = _fetch(resolve, ref, mark_at(tree, ("codes", name)) or tree.mark)
        try:
            tables[name] = parse_code_table(text, name)
        except CodeTableError as exc:
            raise config_error(str(exc), Mark(ref, exc.line, 1)) from exc
    return tables


def load_mapping(text: str, *, source_name: str, resolve: Resolve) -> MappingSpec:
    """Read, merge, check and compile a mapping file."""
    tree, chain = _read_chain(text, source_name, resolve)
    file = _validate(tree)
    if file.format is None or file.document is None:
        raise config_error("a mapping needs format: and document: (here or in its base)", tree.mark)
    document = DOCUMENTS.get(file.document)
    if document is None:
        known = ", ".join(sorted(DOCUMENTS))
        raise config_error(f"unknown document {file.document!r}; known: {known}",
                           mark_at(tree, ("document",)) or tree.mark)  # fmt: skip
    loops = {t: _loop(t, s) for t, s in file.loops.items() if s is not None}
    compiler = RuleCompiler(tree, _tables(file, tree, resolve), file.format)
    rules = compiler.group(document, file.fields, ("fields",), "")
    root = GroupRule("", document.document_type, rules, tree.mark.render())
    return MappingSpec(
        name=source_name,
        chain=tuple(chain),
        format=file.format,
        document=document,
        loops=LoopDef("", frozenset(), loops),
        root=root,
        tables=dict(compiler.tables),
        program=compile_program(root),
        message=file.message,
    )
