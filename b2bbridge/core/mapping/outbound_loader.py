"""Loading an outbound map: YAML text in, a compiled :class:`OutboundSpec` out.

Like the inbound loader, the core opens nothing: the caller passes the text and a
``resolve`` function returning the text of any file the map names (the base of
``extends:``, each code table under ``codes:``), raising ``LookupError`` or ``OSError``
when there is none. Every problem is a :class:`~b2bbridge.core.errors.ConfigError`
(``mapping_invalid``) whose message starts with ``file, line L, column C``.

A partner map ``extends:`` a base: scalars replace, ``codes`` merge by name, ``body`` or
``root`` given in full replaces the base's, and ``replace: {ID: block}`` swaps (or, with
``null``, removes) the blocks or XML elements whose ``id`` is ID, wherever they sit.
"""

from __future__ import annotations

from collections.abc import Callable

import pydantic

from b2bbridge.core.mapping.codes import CodeTable, CodeTableError, parse_code_table
from b2bbridge.core.mapping.marks import (
    Mark,
    MarkedList,
    MarkedMap,
    config_error,
    mark_at,
    merge_mapping,
    read_marked_yaml,
)
from b2bbridge.core.mapping.outbound_compile import OutboundCompiler
from b2bbridge.core.mapping.outbound_plan import MessageHeader, OutboundSpec
from b2bbridge.core.mapping.outbound_spec import OutboundFile
from b2bbridge.core.model.registry import DOCUMENTS

Resolve = Callable[[str], str]
MAX_EXTENDS = 8
_UNION_TAGS = frozenset({"SegmentBlock", "EachBlock", "ValueSpec", "XmlElement", "str"})


def _fetch(resolve: Resolve, name: str, mark: Mark) -> str:
    try:
        return resolve(name)
    except (LookupError, OSError) as exc:
        raise config_error(f"cannot read {name!r}: {exc}", mark) from exc


def _swap(items: MarkedList, patches: MarkedMap, used: set[str]) -> MarkedList:
    """``items`` with each block or element whose ``id`` is patched replaced or removed."""
    out = MarkedList(items.mark)
    for item, mark in zip(items, items.marks, strict=True):
        key = item.get("id") if isinstance(item, MarkedMap) else None
        if isinstance(key, str) and key in patches:
            used.add(key)
            item, mark = patches[key], patches.marks[key]
            if item is None:
                continue
        if isinstance(item, MarkedMap):
            item = _patch_node(item, patches, used)
        out.append(item)
        out.marks.append(mark)
    return out


def _patch_node(node: MarkedMap, patches: MarkedMap, used: set[str]) -> MarkedMap:
    out = MarkedMap(node.mark)
    for key, value in node.items():
        if key in ("body", "children") and isinstance(value, MarkedList):
            value = _swap(value, patches, used)
        out[key], out.marks[key] = value, node.marks[key]
    return out


def _apply(tree: MarkedMap, patches: MarkedMap) -> MarkedMap:
    used: set[str] = set()
    out = _patch_node(tree, patches, used)
    root = out.get("root")
    if isinstance(root, MarkedMap):
        if root.get("id") in patches:
            raise config_error("the root element cannot be replaced; give root: in full",
                               patches.marks[str(root["id"])])  # fmt: skip
        out["root"] = _patch_node(root, patches, used)
    for key in patches:
        if key not in used:
            raise config_error(f"replace: no block or element has id {key!r}", patches.marks[key])
    return out


def _read_tree(text: str, name: str, resolve: Resolve, chain: list[str]) -> MarkedMap:
    """The file merged over everything it extends, replacements applied; ``chain`` grows."""
    tree = read_marked_yaml(text, name)
    chain.append(name)
    base_name = tree.get("extends")
    if not isinstance(base_name, str):
        return tree
    mark = tree.marks["extends"]
    if base_name in chain or len(chain) > MAX_EXTENDS:
        raise config_error(f"extends loops back or is too deep: {' -> '.join(chain)}", mark)
    base = _read_tree(_fetch(resolve, base_name, mark), base_name, resolve, chain)
    child = MarkedMap(tree.mark)
    for key, value in tree.items():
        if key not in ("extends", "replace"):
            child[key], child.marks[key] = value, tree.marks[key]
    merged = merge_mapping(base, child)
    patches = tree.get("replace")
    return _apply(merged, patches) if isinstance(patches, MarkedMap) else merged


def _validate(tree: MarkedMap) -> OutboundFile:
    try:
        return OutboundFile.model_validate(tree)
    except pydantic.ValidationError as exc:
        worst = max(exc.errors(), key=lambda e: len(e["loc"]))
        where = ".".join(
            str(p) for p in worst["loc"] if str(p) not in _UNION_TAGS and "[" not in str(p)
        )
        mark = mark_at(tree, tuple(worst["loc"])) or tree.mark
        raise config_error(f"{worst['msg']} (at {where})", mark) from exc


def _tables(file: OutboundFile, tree: MarkedMap, resolve: Resolve) -> dict[str, CodeTable]:
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


def _header(file: OutboundFile) -> MessageHeader:
    return MessageHeader(
        message=file.message or "",
        functional_id=file.functional_id,
        version=file.version,
        release=file.release,
        agency=file.agency,
        association=file.association,
        syntax_identifier=file.syntax_identifier,
    )


def load_outbound_mapping(text: str, *, source_name: str, resolve: Resolve) -> OutboundSpec:
    """Read, merge, check and compile an outbound map."""
    chain: list[str] = []
    tree = _read_tree(text, source_name, resolve, chain)
    file = _validate(tree)
    if file.direction != "outbound" or file.format is None or file.document is None:
        raise config_error(
            "an outbound map needs direction: outbound, format: and document:", tree.mark
        )
    document = DOCUMENTS.get(file.document)
    if document is None:
        known = ", ".join(sorted(DOCUMENTS))
        raise config_error(f"unknown document {file.document!r}; known: {known}",
                           mark_at(tree, ("document",)) or tree.mark)  # fmt: skip
    compiler = OutboundCompiler(tree, _tables(file, tree, resolve), file.format)
    scope = {".": document, "doc": document, "envelope": object, "control": object}
    if file.format == "xml" and file.root is None:
        raise config_error("an xml map needs root:", tree.mark)
    if file.format != "xml" and not file.message:
        raise config_error("an EDI map needs message: (855, DESADV…)", tree.mark)
    hierarchy = file.hierarchy
    return OutboundSpec(
        name=source_name,
        chain=tuple(chain),
        format=file.format,
        document=document,
        header=_header(file),
        tables=dict(compiler.tables),
        body=compiler.blocks(list(file.body), scope, "", ("body",)),
        hierarchy_segment=hierarchy.segment if hierarchy else "HL",
        child_code=hierarchy.child_code if hierarchy else True,
        root=None if file.root is None else compiler.xml(file.root, scope, "", ("root",)),
        doctype=file.doctype,
    )
