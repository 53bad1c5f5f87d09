"""Sync configuration files: the systems (``connectors/systems/*.yaml``) and the flows.

Each file in ``connectors/systems/`` defines one external system, named by the file's
stem (``erp.yaml`` → ``erp``), with its ``kind`` and settings; a secret is never written
in the file but named by ``password_env`` and read from the environment the caller
passes. Each file in ``connectors/flows/*.yaml`` declares one flow (see
:class:`~b2bbridge.core.sync.FlowSpec`). A flow naming a system that no file
defines stops start-up with a :class:`ConfigError`, as does any invalid file; the
message names the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError as PydanticValidationError

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.location import Location
from b2bbridge.core.sync import FlowSpec

BUILT_IN = frozenset({"pipeline"})
"""Systems every installation has: ``pipeline`` is b2bbridge's own store of documents."""


@dataclass(frozen=True, slots=True)
class SyncSettings:
    systems: dict[str, dict[str, object]] = field(default_factory=dict)
    flows: dict[str, FlowSpec] = field(default_factory=dict)


def load_sync_settings(connectors_dir: Path, env: Mapping[str, str]) -> SyncSettings:
    """Read ``systems/*.yaml`` and ``flows/*.yaml`` under ``connectors_dir`` (both optional)."""
    systems = {
        path.stem: _resolve_secrets(path, path.stem, _read(path), env)
        for path in sorted((connectors_dir / "systems").glob("*.yaml"))
    }
    flows: dict[str, FlowSpec] = {}
    for path in sorted((connectors_dir / "flows").glob("*.yaml")):
        flow = _load_flow(path)
        if flow.name in flows:
            raise ConfigError(
                f"{path}: flow {flow.name!r} is declared twice", location=Location(file=str(path))
            )
        unknown = sorted({flow.source, *flow.targets} - set(systems) - BUILT_IN)
        if unknown:
            raise ConfigError(
                f"{path}: flow {flow.name!r} names undefined systems {unknown}",
                location=Location(file=str(path)),
            )
        flows[flow.name] = flow
    return SyncSettings(systems=systems, flows=flows)


def _resolve_secrets(
    path: Path, name: str, values: object, env: Mapping[str, str]
) -> dict[str, object]:
    if not isinstance(values, dict) or "kind" not in values:
        raise ConfigError(
            f"{path}: system {name!r} needs a mapping with a 'kind'",
            location=Location(file=str(path)),
        )
    settings = {str(key): value for key, value in values.items()}
    variable = settings.pop("password_env", None)
    if variable is not None:
        if str(variable) not in env:
            raise ConfigError(
                f"{path}: system {name!r}: environment variable {variable} is not set",
                location=Location(file=str(path)),
            )
        settings["password"] = env[str(variable)]
    return settings


def _load_flow(path: Path) -> FlowSpec:
    data = _read(path)
    try:
        return FlowSpec.model_validate(data)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise ConfigError(
            f"{path}: {key}: {first['msg']}", location=Location(file=str(path))
        ) from exc


def _read(path: Path) -> dict[str, object]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}", location=Location(file=str(path))) from exc
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: expected a mapping at the top level", location=Location(file=str(path))
        )
    return data
