"""Secrets by reference: a connector file names where a secret lives, never the secret itself.

A secret option is written ``{env: ACME_SFTP_PASSWORD}`` or ``{file: secrets/acme.key}``.
A plain string is refused with an error that names the option but never repeats its value,
because a value typed inline in a YAML file ends up in version control. Once read, the
value is held in :class:`Secret`, whose ``repr`` and ``str`` are masked, so a secret that
reaches a log line, an exception message or the store shows as ``***``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.location import Location

MASK = "***"


class InlineSecretError(ValueError):
    """A secret option holds a value instead of a reference."""


class Secret:
    """A revealed secret; only :meth:`reveal` gives the value back."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK})"

    def __str__(self) -> str:
        return MASK


def _refuse_inline(value: object) -> object:
    if isinstance(value, str | bytes | int | float):
        raise InlineSecretError("inline secrets are refused: write {env: VARIABLE} or {file: PATH}")
    return value


class SecretRef(BaseModel):
    """Where a secret lives: an environment variable or a file (first line, stripped)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    env: str | None = None
    file: Path | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> SecretRef:
        if (self.env is None) == (self.file is None):
            raise ValueError("a secret reference names exactly one of env or file")
        return self

    def describe(self) -> str:
        """Where the secret comes from, safe to print."""
        return f"env {self.env}" if self.env else f"file {self.file}"

    def resolve(self, home: Path, env: Mapping[str, str] | None = None) -> Secret:
        """Read the secret now; a missing variable or unreadable file is a ConfigError."""
        if self.env is not None:
            source = os.environ if env is None else env
            value = source.get(self.env)
            if not value:
                raise ConfigError(
                    f"secret environment variable {self.env} is not set",
                    code="secret_missing",
                )
            return Secret(value)
        assert self.file is not None
        path = self.file if self.file.is_absolute() else home / self.file
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(
                f"cannot read secret file {path}: {exc.strerror}",
                code="secret_missing",
                location=Location(file=str(path)),
            ) from exc
        return Secret(text.strip())


SecretOption = Annotated[SecretRef, BeforeValidator(_refuse_inline)]
"""The type of every secret option in a connector's options model."""


def mask_secrets(options: Mapping[str, Any], secret_keys: frozenset[str]) -> dict[str, Any]:
    """A copy of ``options`` safe to print: secret keys show their reference, never a value."""
    out: dict[str, Any] = {}
    for key, value in options.items():
        if key in secret_keys and not isinstance(value, Mapping):
            out[key] = MASK
        elif isinstance(value, Mapping):
            out[key] = mask_secrets(value, secret_keys)
        else:
            out[key] = value
    return out
