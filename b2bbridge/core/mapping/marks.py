"""YAML read with line and column marks kept, and the ``extends`` merge that preserves them.

Mapping files are edited by people, so every error must say where: the loader composes
the YAML node tree and converts it into plain dicts and lists that remember, for each key
or item, the file, line and column it came from. The merge of a partner map over its base
keeps those marks, so an error in an inherited rule names the base file.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.location import Location


@dataclass(frozen=True, slots=True)
class Mark:
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def render(self) -> str:
        return f"{self.file}, line {self.line}, column {self.column}"


class MarkedMap(dict[str, object]):
    """A YAML mapping whose ``marks`` give each key's position."""

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.marks: dict[str, Mark] = {}


class MarkedList(list[object]):
    """A YAML sequence whose ``marks`` give each item's position."""

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.marks: list[Mark] = []


class MappingFileError(ConfigError):
    """A ConfigError in a mapping file that keeps its :class:`Mark` and bare ``detail``,
    so a linter can print ``file:line:column: detail``."""

    def __init__(self, detail: str, mark: Mark, code: str) -> None:
        super().__init__(
            f"{mark.render()}: {detail}",
            code=code,
            location=Location(file=mark.file, line=mark.line),
        )
        self.mark = mark
        self.detail = detail


def config_error(message: str, mark: Mark, code: str = "mapping_invalid") -> ConfigError:
    """A mapping-file error naming the file, line and column."""
    return MappingFileError(message, mark, code)


def _mark(node: yaml.Node, name: str) -> Mark:
    return Mark(name, node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node: yaml.Node, name: str, loader: yaml.SafeLoader) -> object:
    if isinstance(node, yaml.MappingNode):
        out = MarkedMap(_mark(node, name))
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise config_error("mapping keys must be text", _mark(key_node, name))
            key = str(key_node.value)  # as written: code 00 stays "00", never the number 0
            if key in out:
                raise config_error(f"key {key!r} given twice", _mark(key_node, name))
            out[key] = _convert(value_node, name, loader)
            out.marks[key] = _mark(key_node, name)
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = MarkedList(_mark(node, name))
        for item in node.value:
            seq.append(_convert(item, name, loader))
            seq.marks.append(_mark(item, name))
        return seq
    return loader.construct_object(node)


# libyaml's parser where PyYAML was built with it: the same nodes and marks, about ten
# times faster, which counts when a schema dictionary of thousands of lines is read.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_marked_yaml(text: str, source_name: str) -> MarkedMap:
    """Parse ``text``; the top level must be a mapping. YAML errors become ConfigErrors."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise config_error("the mapping file is empty", Mark(source_name, 1, 1))
        tree = _convert(node, source_name, loader)
    except yaml.MarkedYAMLError as exc:
        where = exc.problem_mark or exc.context_mark
        mark = Mark(source_name, where.line + 1, where.column + 1) if where else None
        raise config_error(
            f"not valid YAML: {exc.problem}", mark or Mark(source_name, 1, 1)
        ) from exc
    finally:
        loader.dispose()
    if not isinstance(tree, MarkedMap):
        raise config_error("the top level must be a mapping", _mark(node, source_name))
    return tree


def _merge_fields(base: object, child: object) -> object:
    if not isinstance(base, MarkedMap) or not isinstance(child, MarkedMap):
        return child
    out = MarkedMap(child.mark)
    for key in base:
        out[key], out.marks[key] = base[key], base.marks[key]
    for key, rule in child.items():
        mark = child.marks[key]
        if rule is None:
            out.pop(key, None)
            out.marks.pop(key, None)
            continue
        old = out.get(key)
        if isinstance(rule, MarkedMap) and isinstance(old, MarkedMap) and "fields" in rule:
            merged = _merge_keys(old, rule)
            merged["fields"] = _merge_fields(old.get("fields"), rule["fields"])
            rule = merged
        out[key], out.marks[key] = rule, mark
    return out


def _merge_keys(base: MarkedMap, child: MarkedMap) -> MarkedMap:
    out = MarkedMap(child.mark)
    for src in (base, child):
        for key, value in src.items():
            out[key], out.marks[key] = value, src.marks[key]
    return out


def merge_mapping(base: MarkedMap, child: MarkedMap) -> MarkedMap:
    """Lay ``child`` over ``base``: scalars replace; ``codes``, ``loops`` and ``namespaces``
    merge by name (``null`` removes one); ``fields`` merge by name, recursing into groups
    (rules with ``fields:``); any other rule is replaced whole."""
    out = _merge_keys(base, child)  # the base's own extends, if any, carries the chain on
    for section in ("codes", "loops", "namespaces"):
        if isinstance(base.get(section), MarkedMap) and isinstance(child.get(section), MarkedMap):
            out[section] = _merge_keys(base[section], child[section])  # type: ignore[arg-type]
    if "fields" in base and "fields" in child:
        out["fields"] = _merge_fields(base["fields"], child["fields"])
    return out


def mark_at(tree: object, path: tuple[str | int, ...]) -> Mark | None:
    """The mark of the deepest key or item along ``path`` (a pydantic error location)."""
    found: Mark | None = tree.mark if isinstance(tree, MarkedMap | MarkedList) else None
    node = tree
    for key in path:
        if isinstance(node, MarkedMap) and str(key) in node:
            found, node = node.marks[str(key)], node[str(key)]
        elif isinstance(node, MarkedList) and isinstance(key, int) and 0 <= key < len(node):
            found, node = node.marks[key], node[key]
    return found
