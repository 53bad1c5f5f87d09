"""Read a YAML configuration file into a validated model, naming file, key and line on error.

Ops engineers edit these files by hand; a typo must come back as
``connectors/acme.yaml:7:3: options.inbox: Field required``, not as a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.location import Location

M = TypeVar("M", bound=BaseModel)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely (no Python tags), with the file named in any error."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot read {path}: {exc.strerror}", location=Location(file=str(path))
        ) from exc
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise ConfigError(
            f"{path}:{line}: invalid YAML: {exc.problem}",
            code="config_yaml_invalid",
            location=Location(file=str(path), line=line),
        ) from exc


def _key_line(path: Path, keys: tuple[str | int, ...]) -> tuple[int | None, int | None]:
    """The line and column of the deepest key of ``keys`` that exists in the YAML file."""
    try:
        node: Any = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None, None
    found: Any = node
    for key in keys:
        nxt = None
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == str(key)), None)
            key_node = next((k for k, _ in node.value if k.value == str(key)), None)
            if key_node is not None:
                found = key_node
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            nxt = node.value[key]
            found = nxt
        if nxt is None:
            break
        node = nxt
    mark = getattr(found, "start_mark", None)
    return (mark.line + 1, mark.column + 1) if mark else (None, None)


def load_model(path: Path, model: type[M], *, extra: dict[str, Any] | None = None) -> M:
    """Read ``path`` and validate it as ``model``; errors say ``file:line:column: key: why``."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: expected a mapping at the top level", location=Location(file=str(path))
        )
    if extra:
        data = {**data, **extra}
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        keys = tuple(first["loc"])
        line, col = _key_line(path, keys)
        key = ".".join(str(k) for k in keys) or "(top level)"
        where = f"{path}:{line}:{col}" if line else str(path)
        raise ConfigError(
            f"{where}: {key}: {first['msg']}",
            code="config_invalid",
            location=Location(file=str(path), line=line),
        ) from exc
