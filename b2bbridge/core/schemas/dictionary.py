"""The element, composite and segment dictionary of one standard and version, from YAML.

A dictionary file defines data elements (``"353": ID 2 2 Purpose Code``), composites and
segments (their element uses in order, written ``"<ref> <M|O|X|C>[ <repeat>]"``), syntax
notes and code lists. ``extends:`` names a base dictionary whose entries this one keeps
unless it redefines them, so that 005010 states only what changed since 004010.

Segments are compiled lazily, on first use, and cached on the dictionary: a schema set
shares one dictionary, and most of its segments are never needed by a given message.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.mapping.marks import Mark, MarkedList, MarkedMap, config_error, read_marked_yaml
from b2bbridge.core.schemas.model import (
    KNOWN_TYPES,
    UNBOUNDED,
    ElementDef,
    ElementUse,
    SegmentDef,
    SyntaxNote,
)

Resolve = Callable[[str], str]
CODE = "schema_invalid"
MAX_EXTENDS = 6

_ELEMENT = re.compile(r"^(\S+)\s+(\d+)\s+(\d+)(?:\s+(.*))?$")
_USE = re.compile(r"^([A-Za-z0-9]+)\s+([MOXC])(?:\s+(\d+|>1))?$")
_NOTE = re.compile(r"^([PRECL])((?:\d\d){2,})$")
SECTIONS = ("elements", "composites", "segments", "codes")


def schema_error(message: str, mark: Mark) -> ConfigError:
    return config_error(message, mark, code=CODE)


def read_yaml(text: str, name: str) -> MarkedMap:
    """The marked YAML tree of a schema file; YAML errors carry code ``schema_invalid``."""
    try:
        return read_marked_yaml(text, name)
    except ConfigError as exc:
        raise ConfigError(exc.message, code=CODE, location=exc.location) from exc


def fetch(resolve: Resolve, name: str, mark: Mark) -> str:
    """The text of another schema file, or a ConfigError naming the line that wanted it."""
    try:
        return resolve(name)
    except (LookupError, OSError) as exc:
        raise schema_error(f"cannot read {name!r}: {exc}", mark) from exc


def parse_note(text: object, mark: Mark) -> SyntaxNote:
    """``P0607`` -> SyntaxNote("P", (6, 7))."""
    found = _NOTE.match(str(text))
    if found is None:
        raise schema_error(f"syntax note {text!r} is not like P0607, R0102 or L010203", mark)
    digits = found.group(2)
    positions = tuple(int(digits[i : i + 2]) for i in range(0, len(digits), 2))
    return SyntaxNote(found.group(1), positions)


class Dictionary:
    """The merged sections of a dictionary file and its bases, with their marks."""

    def __init__(self, name: str, standard: str, sections: dict[str, MarkedMap]) -> None:
        self.name = name
        self.standard = standard
        self.sections = sections
        self._elements: dict[str, ElementDef] = {}
        self._segments: dict[str, SegmentDef] = {}

    @property
    def segment_tags(self) -> frozenset[str]:
        return frozenset(self.sections["segments"])

    def check(self) -> list[ConfigError]:
        """Compile every element and segment, collecting each one's error."""
        errors: list[ConfigError] = []
        for section, compile_one in (("elements", self.element), ("segments", self.segment)):
            part = self.sections[section]
            for key in part:
                try:
                    compile_one(key, part.marks[key])
                except ConfigError as exc:
                    errors.append(exc)
        return errors

    def element(self, ref: str, mark: Mark) -> ElementDef:
        found = self._elements.get(ref)
        if found is None:
            found = self._compile_element(ref, mark)
            self._elements[ref] = found
        return found

    def segment(self, tag: str, mark: Mark) -> SegmentDef:
        found = self._segments.get(tag)
        if found is None:
            found = self._compile_segment(tag, mark)
            self._segments[tag] = found
        return found

    def _compile_element(self, ref: str, mark: Mark) -> ElementDef:
        elements = self.sections["elements"]
        if ref not in elements:
            raise schema_error(f"element {ref} is not in dictionary {self.name}", mark)
        spec = str(elements[ref])
        found = _ELEMENT.match(spec)
        where = elements.marks[ref]
        if found is None or found.group(1) not in KNOWN_TYPES:
            raise schema_error(f"element {ref}: {spec!r} is not 'TYPE MIN MAX [name]'", where)
        low, high = int(found.group(2)), int(found.group(3))
        if low > high:
            raise schema_error(f"element {ref}: minimum length {low} exceeds {high}", where)
        codes = self.sections["codes"].get(ref)
        code_set = frozenset(str(c) for c in codes) if isinstance(codes, list) else None
        return ElementDef(ref, found.group(1), low, high, found.group(4) or "", code_set)

    def _compile_segment(self, tag: str, mark: Mark) -> SegmentDef:
        segments = self.sections["segments"]
        spec = segments.get(tag)
        if not isinstance(spec, MarkedMap):
            raise schema_error(f"segment {tag} is not in dictionary {self.name}", mark)
        uses = self._uses(spec.get("elements"), spec.mark, f"segment {tag}")
        notes = self._notes(spec, len(uses))
        return SegmentDef(tag, uses, notes, str(spec.get("name", "")))

    def _notes(self, spec: MarkedMap, count: int) -> tuple[SyntaxNote, ...]:
        raw = spec.get("notes")
        if raw is None:
            return ()
        if not isinstance(raw, MarkedList):
            raise schema_error("notes must be a list", spec.marks.get("notes", spec.mark))
        notes = tuple(parse_note(n, m) for n, m in zip(raw, raw.marks, strict=True))
        for note, m in zip(notes, raw.marks, strict=True):
            if max(note.positions) > count:
                raise schema_error(f"syntax note {note.render('')} names a missing element", m)
        return notes

    def _uses(self, raw: object, mark: Mark, what: str) -> tuple[ElementUse, ...]:
        if not isinstance(raw, MarkedList):
            raise schema_error(f"{what} needs an elements list", mark)
        pairs = enumerate(zip(raw, raw.marks, strict=True), 1)
        return tuple(self._use(str(item), pos, m) for pos, (item, m) in pairs)

    def _use(self, text: str, position: int, mark: Mark) -> ElementUse:
        found = _USE.match(text)
        if found is None:
            raise schema_error(f"element use {text!r} is not '<ref> <M|O|X|C>[ <repeat>]'", mark)
        ref, req, rep = found.group(1), found.group(2), found.group(3)
        repeat = 1 if rep is None else (UNBOUNDED if rep == ">1" else int(rep))
        composites = self.sections["composites"]
        if ref in composites:
            spec = composites[ref]
            if not isinstance(spec, MarkedMap):
                raise schema_error(f"composite {ref} must be a mapping", composites.marks[ref])
            parts = self._uses(spec.get("elements"), spec.mark, f"composite {ref}")
            notes = self._notes(spec, len(parts))
            return ElementUse(position, ref, req == "M", repeat, None, parts, notes)
        return ElementUse(position, ref, req == "M", repeat, self.element(ref, mark))


def load_dictionary(
    text: str, name: str, resolve: Resolve, cache: dict[str, Dictionary] | None = None
) -> Dictionary:
    """Read a dictionary file and the chain of files it extends."""
    if cache is not None and name in cache:
        return cache[name]
    tree = read_yaml(text, name)
    chain = [tree]
    while isinstance(chain[-1].get("extends"), str):
        base_name = str(chain[-1]["extends"])
        if len(chain) > MAX_EXTENDS:
            raise schema_error("extends goes too deep", chain[-1].marks["extends"])
        chain.append(read_yaml(fetch(resolve, base_name, chain[-1].marks["extends"]), base_name))
    sections = {key: MarkedMap(tree.mark) for key in SECTIONS}
    for layer in reversed(chain):
        if layer.get("kind") != "dictionary":
            raise schema_error("a dictionary file needs kind: dictionary", layer.mark)
        for key in SECTIONS:
            _merge_section(sections[key], layer, key)
    found = Dictionary(name, str(tree.get("standard", "")), sections)
    if cache is not None:
        cache[name] = found
    return found


def _merge_section(into: MarkedMap, layer: MarkedMap, key: str) -> None:
    part = layer.get(key)
    if part is None:
        return
    if not isinstance(part, MarkedMap):
        raise schema_error(f"{key} must be a mapping", layer.marks[key])
    for entry, value in part.items():
        into[entry], into.marks[entry] = value, part.marks[entry]
