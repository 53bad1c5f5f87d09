"""Loading a message schema: YAML text in, a compiled :class:`MessageSchema` out.

The core opens nothing: the caller passes the text and a ``resolve`` function that
returns the text of any other file the schema names (its dictionary, the schema it
``extends``), by the name written in the file (``x12/004010/dictionary.yaml``).

A message file lists its structure in order. A segment is ``"TAG REQ MAX"`` (``"REF O
>1"``); a loop is a mapping ``{loop: N1, req: O, max: 200, body: [...]}`` whose first body
item is its trigger segment. ``extends:`` reuses another message's structure (a 005010
variant of a 004010 set states only its version and dictionary).

Every problem is a ConfigError with code ``schema_invalid`` whose message starts with
``file, line L, column C``.
"""

from __future__ import annotations

import re

from b2bbridge.core.mapping.marks import Mark, MarkedList, MarkedMap
from b2bbridge.core.schemas.dictionary import (
    MAX_EXTENDS,
    Dictionary,
    Resolve,
    fetch,
    load_dictionary,
    read_yaml,
    schema_error,
)
from b2bbridge.core.schemas.model import UNBOUNDED, LoopDef, MessageSchema, Slot

_ITEM = re.compile(r"^([A-Z0-9]{2,3})\s+([MOC])\s+(\d+|>1)$")
_LOOP_KEYS = frozenset({"loop", "req", "max", "body"})
_HEADS = frozenset({"kind", "standard", "version", "set", "name", "dictionary", "hierarchy"})
_MESSAGE_KEYS = _HEADS | {"structure", "extends", "description"}


def parse_max(raw: object, mark: Mark) -> int:
    if raw == ">1":
        return UNBOUNDED
    if isinstance(raw, int) and raw >= 1:
        return raw
    if isinstance(raw, str) and raw.isdigit() and int(raw) >= 1:
        return int(raw)
    raise schema_error(f"max must be a positive number or '>1', not {raw!r}", mark)


def parse_req(raw: object, mark: Mark) -> int:
    if raw in ("M", "O", "C"):
        return 1 if raw == "M" else 0
    raise schema_error(f"req must be M, O or C, not {raw!r}", mark)


class _Compiler:
    def __init__(self, dictionary: Dictionary) -> None:
        self.dictionary = dictionary
        self.used: set[str] = set()

    def loop(self, loop_id: str, body: object, mark: Mark) -> LoopDef:
        if not isinstance(body, MarkedList) or not body:
            raise schema_error(f"loop {loop_id} needs a non-empty body list", mark)
        slots = [self.item(item, m) for item, m in zip(body, body.marks, strict=True)]
        if loop_id != "(root)" and slots[0].loop is not None:
            raise schema_error(f"loop {loop_id} must start with a segment", body.marks[0])
        found = LoopDef(loop_id, slots)
        found.reindex()
        return found

    def item(self, item: object, mark: Mark) -> Slot:
        if isinstance(item, MarkedMap):
            return self.loop_slot(item, mark)
        found = _ITEM.match(str(item))
        if found is None:
            raise schema_error(f"{item!r} is not 'TAG REQ MAX' nor a loop mapping", mark)
        tag = found.group(1)
        self.used.add(tag)
        segment = self.dictionary.segment(tag, mark)
        low = parse_req(found.group(2), mark)
        return Slot(tag, low, parse_max(found.group(3), mark), segment=segment)

    def loop_slot(self, item: MarkedMap, mark: Mark) -> Slot:
        unknown = set(item) - _LOOP_KEYS
        if unknown:
            key = sorted(unknown)[0]
            raise schema_error(f"unknown loop key {key!r}", item.marks[key])
        if "loop" not in item:
            raise schema_error("a loop mapping needs loop: <id>", mark)
        loop = self.loop(str(item["loop"]), item.get("body"), item.marks.get("body", mark))
        low = parse_req(item.get("req", "O"), item.marks.get("req", mark))
        high = parse_max(item.get("max", 1), item.marks.get("max", mark))
        return Slot(loop.slots[0].tag, low, high, loop=loop)


def _read_chain(text: str, name: str, resolve: Resolve) -> MarkedMap:
    """The message file merged over the files it extends: own keys win."""
    tree = read_yaml(text, name)
    depth = 0
    while isinstance(tree.get("extends"), str):
        depth += 1
        if depth > MAX_EXTENDS:
            raise schema_error("extends goes too deep", tree.marks["extends"])
        base_name = str(tree["extends"])
        base = read_yaml(fetch(resolve, base_name, tree.marks["extends"]), base_name)
        merged = MarkedMap(tree.mark)
        for layer in (base, tree):
            for key, value in layer.items():
                if layer is tree and key == "extends":
                    continue
                merged[key], merged.marks[key] = value, layer.marks[key]
        tree = merged
    return tree


def load_schema(
    text: str, name: str, resolve: Resolve, cache: dict[str, Dictionary] | None = None
) -> MessageSchema:
    """Compile one message schema file (``kind: message``)."""
    tree = _read_chain(text, name, resolve)
    if tree.get("kind") != "message":
        raise schema_error("a message schema needs kind: message", tree.mark)
    for key in tree:
        if key not in _MESSAGE_KEYS:
            raise schema_error(f"unknown key {key!r}", tree.marks[key])
    for key in ("standard", "version", "set", "dictionary", "structure"):
        if key not in tree:
            raise schema_error(f"missing key {key!r}", tree.mark)
    dict_name = str(tree["dictionary"])
    mark = tree.marks["dictionary"]
    dictionary = load_dictionary(fetch(resolve, dict_name, mark), dict_name, resolve, cache)
    compiler = _Compiler(dictionary)
    root = compiler.loop("(root)", tree["structure"], tree.marks["structure"])
    hierarchy = tree.get("hierarchy")
    return MessageSchema(
        standard=str(tree["standard"]),
        version=str(tree["version"]),
        set_id=str(tree["set"]),
        name=str(tree.get("name", "")),
        root=root,
        known_tags=dictionary.segment_tags | compiler.used,
        hierarchy=str(hierarchy) if hierarchy else None,
        source=name,
        dictionary=dict_name,
    )
