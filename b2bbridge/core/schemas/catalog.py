"""Schemas by transaction set, version and partner: a catalog over schema texts.

The layout of names is the contract: ``<standard>/<version>/<SET>.yaml`` is a message
schema (``x12/004010/850.yaml``, ``edifact/D96A/ORDERS.yaml``), ``<standard>/.../
dictionary.yaml`` a dictionary, and ``partners/<partner>/<file>.yaml`` an overlay whose
``set:`` names the set it changes. The catalog reads texts through ``resolve``, so the
files may live in a folder, a package or a test's dict; the adapter in
``b2bbridge.adapters.files.schemas`` gives it a folder.

Version choice: the message's version is reduced to its release (``004010VICS`` ->
``004010``, ``D:03B:UN:EAN008`` -> ``D03B``); the catalog uses the newest schema of that
set not newer than the message, since later releases mostly add to earlier ones: a
D.03B ORDERS is checked against ``edifact/D01B/``, a D.97B one against ``edifact/D96A/``.
A message older than every schema of its set has none: it is reported unsupported rather
than judged by rules it never followed.

CONTRL is versioned by syntax, not by directory: ``2:2`` -> ``22``, ``4:1`` -> ``41``, and
the ``D:3`` that syntax 3 CONTRL messages carry -> ``30``, which falls between the two and
so uses the 2:2 layout, the one syntax 3 kept. Compiled schemas are cached, one per
(file, partner).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Protocol

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.schemas.dictionary import Dictionary, load_dictionary
from b2bbridge.core.schemas.loader import load_schema
from b2bbridge.core.schemas.model import MessageSchema
from b2bbridge.core.schemas.overlay import Overlay, apply_overlay, load_overlay

Resolve = Callable[[str], str]
_EDIFACT_RELEASE = re.compile(r"^(\d\d)([A-Z])$")


class SchemaSource(Protocol):
    """What the validator needs: the schema for a set and version, with overlays applied."""

    def schema_for(
        self, set_id: str, version: str, partner: str | None = None
    ) -> MessageSchema | None: ...


def release_of(set_id: str, version: str) -> str:
    """The release a version string names: ``004010``, ``005010``, ``D96A``, ``22``, ``30``."""
    if set_id.isdigit():
        head = version[:6]
        return head if head.isdigit() else version
    parts = version.split(":")
    if len(parts) < 2:
        return version
    if _EDIFACT_RELEASE.match(parts[1]):
        return f"D{parts[1]}"
    if parts[0] == "D" and parts[1].isdigit():
        return f"{parts[1]}0"  # CONTRL:D:3 -> syntax 3, release 0
    return f"{parts[0]}{parts[1]}"


def _order(release: str) -> tuple[int, str]:
    found = _EDIFACT_RELEASE.match(release[1:])
    if release.startswith("D") and found:
        year = int(found.group(1))
        return (1900 + year if year >= 80 else 2000 + year, found.group(2))
    return (int(release), "") if release.isdigit() else (0, release)


class TextSchemaCatalog:
    """The SchemaSource over named texts: ``names`` lists every schema and overlay file."""

    def __init__(self, resolve: Resolve, names: Iterable[str]) -> None:
        self.resolve = resolve
        self.names = sorted(names)
        self.messages: dict[str, dict[str, str]] = {}  # set -> release -> file name
        for name in self.names:
            parts = name.split("/")
            if len(parts) == 3 and parts[0] in ("x12", "edifact") and parts[2] != "dictionary.yaml":
                set_id = parts[2].removesuffix(".yaml")
                self.messages.setdefault(set_id, {})[parts[1]] = name
        self._dictionaries: dict[str, Dictionary] = {}
        self._compiled: dict[tuple[str, str | None], MessageSchema] = {}
        self._overlays: dict[tuple[str, str], list[Overlay]] | None = None
        self._chosen: dict[tuple[str, str, str | None], MessageSchema | None] = {}

    def file_for(self, set_id: str, version: str) -> str | None:
        """The schema file used for ``set_id`` at ``version``, if any."""
        releases = self.messages.get(set_id)
        if not releases:
            return None
        want = _order(release_of(set_id, version))
        fitting = sorted((r for r in releases if _order(r) <= want), key=_order)
        return releases[fitting[-1]] if fitting else None

    def schema_for(
        self, set_id: str, version: str, partner: str | None = None
    ) -> MessageSchema | None:
        chosen = self._chosen.get((set_id, version, partner))
        if chosen is not None or (set_id, version, partner) in self._chosen:
            return chosen
        name = self.file_for(set_id, version)
        found = None if name is None else self._compile(name, set_id, partner)
        self._chosen[(set_id, version, partner)] = found
        return found

    def _compile(self, name: str, set_id: str, partner: str | None) -> MessageSchema:
        key = (name, partner)
        found = self._compiled.get(key)
        if found is None:
            found = self.load(name)
            for overlay in self.overlays_for(partner, set_id) if partner else []:
                found = apply_overlay(found, overlay, self._dictionary_of(found))
            self._compiled[key] = found
        return found

    def load(self, name: str) -> MessageSchema:
        """Compile one message schema file, without overlays (cached)."""
        key = (name, None)
        if key not in self._compiled:
            self._compiled[key] = load_schema(
                self.resolve(name), name, self.resolve, self._dictionaries
            )
        return self._compiled[key]

    def overlays_for(self, partner: str, set_id: str) -> list[Overlay]:
        if self._overlays is None:
            self._overlays = {}
            for name in self.names:
                parts = name.split("/")
                if len(parts) == 3 and parts[0] == "partners":
                    overlay = load_overlay(self.resolve(name), name)
                    target = overlay.set_id or parts[2].removesuffix(".yaml")
                    self._overlays.setdefault((parts[1], target), []).append(overlay)
        return self._overlays.get((partner, set_id), [])

    def check(self) -> list[ConfigError]:
        """Every problem in every schema, dictionary and overlay, each with file and line.

        A file stops at its first structural error; a dictionary reports each bad entry.
        Each overlay is applied to every schema of its set.
        """
        errors: list[ConfigError] = []
        for name in self.names:
            if name.startswith("partners/"):
                continue
            try:
                if name.endswith("/dictionary.yaml"):
                    text = self.resolve(name)
                    errors.extend(
                        load_dictionary(text, name, self.resolve, self._dictionaries).check()
                    )
                else:
                    self.load(name)
            except ConfigError as exc:
                errors.append(exc)
        errors.extend(self._check_overlays())
        return errors

    def _check_overlays(self) -> list[ConfigError]:
        errors: list[ConfigError] = []
        try:
            self.overlays_for("", "")
        except ConfigError as exc:
            return [exc]
        for (_partner, set_id), overlays in (self._overlays or {}).items():
            for name in self.messages.get(set_id, {}).values():
                for overlay in overlays:
                    try:
                        base = self.load(name)
                        apply_overlay(base, overlay, self._dictionary_of(base))
                    except ConfigError as exc:
                        errors.append(exc)
        return errors

    def _dictionary_of(self, schema: MessageSchema) -> Dictionary | None:
        return self._dictionaries.get(schema.dictionary)
