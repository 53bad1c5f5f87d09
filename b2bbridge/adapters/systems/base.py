"""The system adapter registry: one name per kind of external system, built from settings.

A flow names systems (``erp``, ``wms``, ``storefront``); the sync settings say what kind
each is (``tryton``, ``oscar``, ``memory``) and how to reach it. Kinds register a factory
here; asking for an unknown kind is a :class:`ConfigError` with a "did you mean".
The :class:`b2bbridge.ports.SystemAdapter` protocol itself lives in the ports.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping

from b2bbridge.core.errors import ConfigError
from b2bbridge.ports import SystemAdapter

SystemFactory = Callable[[str, Mapping[str, object]], SystemAdapter]
_FACTORIES: dict[str, SystemFactory] = {}


def register_system(kind: str, factory: SystemFactory) -> None:
    """Make ``kind`` buildable by :func:`build_system`; registering twice replaces."""
    _FACTORIES[kind] = factory


def build_system(name: str, settings: Mapping[str, object]) -> SystemAdapter:
    """The adapter for system ``name``, of the kind ``settings["kind"]`` names."""
    kind = str(settings.get("kind", ""))
    factory = _FACTORIES.get(kind)
    if factory is None:
        close = difflib.get_close_matches(kind, list(_FACTORIES), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ConfigError(f"system {name!r} has unknown kind {kind!r}{hint}")
    return factory(name, settings)


def system_kinds() -> list[str]:
    return sorted(_FACTORIES)
