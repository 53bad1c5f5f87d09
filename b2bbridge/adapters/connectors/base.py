"""The connector registry: one module per connector kind, chosen by name from ``connectors/*.yaml``.

Every kind implements the :class:`~b2bbridge.ports.Connector` protocol (poll, fetch,
confirm, send, close) and declares an options model; :func:`create_connector` validates a
definition's options against it, so a typo in a connector file stops start-up with the
file and key named, and an unknown kind gets a "did you mean".

A definition is first checked against ``schemas/connector.schema.json`` (the published
contract for hand-written files: an inline secret fails there, with the option named and
the value never repeated), then against the kind's options model. Kind modules are imported
on first use through :data:`KIND_MODULES`, so paramiko or kombu load only when a partner
uses them. ``schedule`` says when ``serve`` polls the connector; ``retry`` bounds how often
a transient connection failure is retried inside one operation (:mod:`retrying`).
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from b2bbridge.adapters.connectors.schedule import Schedule
from b2bbridge.adapters.connectors.schema import check_definition
from b2bbridge.core.errors import ConfigError
from b2bbridge.core.location import Location
from b2bbridge.ports import Connector

KIND_MODULES = {
    "folder": "b2bbridge.adapters.connectors.folder",
    "sftp": "b2bbridge.adapters.connectors.sftp",
    "http": "b2bbridge.adapters.connectors.http",
    "amqp": "b2bbridge.adapters.connectors.amqp",
    "memory": "b2bbridge.adapters.connectors.memory",
}
"""The alias table: each kind's module, which registers the kind when imported."""


class ConnectorRetry(BaseModel):
    """Retries of transient connection errors within one poll or send (never of bad logins)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    attempts: int = Field(3, ge=1, le=20)
    base_seconds: float = Field(0.5, ge=0)
    max_seconds: float = Field(10.0, ge=0)


class ConnectorDefinition(BaseModel):
    """One file under ``connectors/``: a named connector of one kind, for one partner."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    kind: str
    partner: str | None = Field(None, description="the partner this connector serves, if one")
    options: dict[str, Any] = Field(default_factory=dict)
    schedule: Schedule = Field(default_factory=Schedule)
    retry: ConnectorRetry = Field(default_factory=ConnectorRetry)
    source: str | None = Field(None, description="the file it was read from")


Factory = Callable[[ConnectorDefinition, Path], Connector]
_REGISTRY: dict[str, Factory] = {}


def register_kind(kind: str, factory: Factory) -> None:
    """Make a connector kind available by name; each kind's module calls this once."""
    _REGISTRY[kind] = factory


def known_kinds() -> list[str]:
    return sorted(set(_REGISTRY) | set(KIND_MODULES))


def _factory(kind: str) -> Factory | None:
    if kind not in _REGISTRY and kind in KIND_MODULES:
        importlib.import_module(KIND_MODULES[kind])
    return _REGISTRY.get(kind)


def create_connector(definition: ConnectorDefinition, home: Path) -> Connector:
    """Build the connector a definition describes; relative paths resolve against ``home``."""
    factory = _factory(definition.kind)
    if factory is None:
        close = difflib.get_close_matches(definition.kind, known_kinds(), n=1)
        hint = (
            f"; did you mean {close[0]!r}?"
            if close
            else f"; known kinds: {', '.join(known_kinds())}"
        )
        raise ConfigError(
            f"connector {definition.name!r} has unknown kind {definition.kind!r}{hint}",
            code="connector_kind_unknown",
            location=Location(file=definition.source),
        )
    check_definition(
        definition.model_dump(mode="json", exclude={"source"}, exclude_none=True), definition.source
    )
    return factory(definition, home)


T = TypeVar("T", bound=BaseModel)


def parse_options(model: type[T], definition: ConnectorDefinition) -> T:
    """Validate a definition's ``options`` against a kind's model, naming the bad key."""
    try:
        return model.model_validate(definition.options)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"connector {definition.name!r}: option {key!r}: {first['msg']}",
            code="connector_options_invalid",
            location=Location(file=definition.source),
        ) from exc
