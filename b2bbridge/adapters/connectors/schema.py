"""The JSON Schema check of connector files (``schemas/connector.schema.json``).

The schema is the contract published for people who write ``connectors/*.yaml`` by hand
(editors can use it for completion). Errors name the file and the option path; they never
quote the offending value, because that value may be a secret typed inline by mistake.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.location import Location

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "schemas" / "connector.schema.json"
SECRET_KEYS = frozenset({"password", "private_key", "passphrase", "hmac_secret", "url"})
"""Options that hold secrets (by reference) for the connector kinds b2bbridge ships."""


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def _describe(error: SchemaError) -> str:
    instance: Any = error.instance
    expected: Any = error.validator_value
    schema: Any = error.schema
    parts = [str(p) for p in error.absolute_path]
    if parts[:1] == ["options"] and len(parts) > 1:
        path = f"option {'.'.join(parts[1:])!r}"
    else:
        path = f"field {'.'.join(parts)!r}" if parts else "the definition"
    if error.absolute_path and error.absolute_path[-1] in SECRET_KEYS:
        return f"{path}: inline secrets are refused; write {{env: VARIABLE}} or {{file: PATH}}"
    if error.validator == "additionalProperties":
        extra = sorted(set(instance) - set(schema.get("properties", {})))
        return f"{path}: unknown option(s) {', '.join(extra)}"
    if error.validator == "required":
        missing = [k for k in expected if k not in instance]
        return f"{path}: missing {', '.join(missing)}"
    if error.validator == "enum":
        return f"{path}: must be one of {', '.join(map(str, expected))}"
    if error.validator in ("type", "pattern", "minimum", "maximum", "exclusiveMinimum"):
        return f"{path}: must satisfy {error.validator} {expected!r}"
    return f"{path}: does not match the schema ({error.validator})"


def _without_none(document: dict[str, Any]) -> dict[str, Any]:
    """YAML ``key: null`` means "not set", as it does for the options models."""
    return {
        k: _without_none(v) if isinstance(v, dict) else v
        for k, v in document.items()
        if v is not None
    }


def check_definition(document: dict[str, Any], source: str | None) -> None:
    """Raise a ConfigError naming the file and every offending option path."""
    document = _without_none(document)
    errors = sorted(
        _validator().iter_errors(document), key=lambda e: list(map(str, e.absolute_path))
    )
    if not errors:
        return
    leaves = [e for e in errors if not e.context] or errors
    detail = "; ".join(_describe(e) for e in leaves[:5])
    name = document.get("name", "?")
    raise ConfigError(
        f"connector {name!r} ({source or 'inline definition'}) does not match "
        f"connector.schema.json: {detail}",
        code="connector_schema_invalid",
        location=Location(file=source),
    )
