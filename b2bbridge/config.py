"""Validated settings: one ``b2bbridge.toml`` file plus ``B2BBRIDGE_*`` environment overrides.

Every setting has a default, so b2bbridge starts with no file at all (SQLite under
``var/``, the store-backed queue, the folders beside the configuration). A bad setting
stops start-up with a :class:`ConfigError` that names the file and the key, rather than
failing later in the middle of a run. Relative paths are resolved against the directory of
the configuration file, so a deployment can be moved as one folder.

Environment overrides (they win over the file):

====================================  =========================================
``B2BBRIDGE_DATABASE_URL``            ``database_url``
``B2BBRIDGE_BROKER_URL``              ``broker_url``
``B2BBRIDGE_DATA_DIR``                ``data_dir``
``B2BBRIDGE_LOG_FORMAT``              ``log_format``
``B2BBRIDGE_LOG_LEVEL``               ``log_level``
====================================  =========================================
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.location import Location

ENV_OVERRIDES = {
    "B2BBRIDGE_DATABASE_URL": "database_url",
    "B2BBRIDGE_BROKER_URL": "broker_url",
    "B2BBRIDGE_DATA_DIR": "data_dir",
    "B2BBRIDGE_LOG_FORMAT": "log_format",
    "B2BBRIDGE_LOG_LEVEL": "log_level",
}


class PipelineSettings(BaseModel):
    """How inbound work is retried and leased."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_attempts: int = Field(5, ge=1, description="attempts before a message is dead-lettered")
    retry_base_seconds: float = Field(2.0, gt=0, description="first retry delay; doubles each time")
    retry_max_seconds: float = Field(300.0, gt=0, description="cap on one retry delay")
    lease_seconds: float = Field(120.0, gt=0, description="how long a worker owns a work item")
    batch_size: int = Field(50, ge=1, description="work items leased at once")
    duplicate_window_days: int = Field(
        90, ge=0, description="how far back a repeated ISA13/UNB5 counts as a duplicate"
    )
    group_commit: bool | Literal["auto"] = Field(
        "auto",
        description="commit the messages of one leased batch together (one sync); auto: "
        "on for SQLite, off for PostgreSQL",
    )


class ApiSettings(BaseModel):
    """The HTTP API's replay protection: idempotency keys and signed-request freshness."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    idempotency_retention_hours: float = Field(
        24.0, gt=0, description="how long an Idempotency-Key's answer is kept for a retry"
    )
    idempotency_in_flight_seconds: float = Field(
        60.0, gt=0, description="a claimed key with no answer after this is taken over"
    )
    signature_max_skew_seconds: int = Field(
        300, ge=1, description="how far X-B2B-Timestamp may be from the server's clock"
    )


class Settings(BaseModel):
    """All of b2bbridge's settings; see the README's configuration table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    home: Path = Field(Path("."), description="directory relative paths are resolved against")
    data_dir: Path = Field(Path("var"), description="runtime data: database, partner folders")
    database_url: str = Field("", description="SQLAlchemy URL; empty means SQLite in data_dir")
    broker_url: str = Field("", description="AMQP URL for scale-out; empty means the store queue")
    mappings_dir: Path = Field(Path("mappings"), description="mapping tables and code lists")
    connectors_dir: Path = Field(Path("connectors"), description="connectors and partner profiles")
    schemas_dir: Path = Field(Path("schemas"), description="EDI structure schemas")
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    pipeline: PipelineSettings = Field(default_factory=PipelineSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)

    def path(self, p: Path) -> Path:
        """Resolve a configured path against ``home``."""
        return p if p.is_absolute() else (self.home / p).resolve()

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.path(self.data_dir) / 'b2bbridge.db'}"


SUB_TABLES = frozenset({"pipeline", "api"})


def _settings_tables(raw: dict[str, object], path: Path) -> dict[str, object]:
    """The settings of one file: ``[b2bbridge]`` and its sub-tables, or the top level.

    With a ``[b2bbridge]`` table, ``[pipeline]`` and ``[api]`` may still be written at the
    top level; a table given both ways, or any other top-level table, is an error rather
    than a setting silently ignored.
    """
    if "b2bbridge" not in raw:
        return dict(raw)
    section = raw["b2bbridge"]
    if not isinstance(section, dict):
        raise ConfigError("[b2bbridge] must be a table", location=Location(file=str(path)))
    data = dict(section)
    for name, table in raw.items():
        if name == "b2bbridge":
            continue
        if name not in SUB_TABLES:
            raise ConfigError(
                f"unknown table [{name}]: settings go under [b2bbridge]"
                f" (sub-tables: {', '.join(sorted(SUB_TABLES))})",
                location=Location(file=str(path)),
            )
        if name in data:
            raise ConfigError(
                f"[{name}] is given twice, as [{name}] and as [b2bbridge.{name}]",
                location=Location(file=str(path)),
            )
        data[name] = table
    return data


def load_settings(path: Path | None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the TOML file (when given and present), apply environment overrides, validate.

    A missing file is only an error when it was named explicitly by the caller with
    ``must_exist`` semantics, which the CLI handles; here a None path means defaults.
    """
    env = os.environ if env is None else env
    data: dict[str, object] = {}
    home = Path.cwd()
    if path is not None:
        home = path.resolve().parent
        try:
            with path.open("rb") as fh:
                raw = tomllib.load(fh)
        except FileNotFoundError as exc:
            raise ConfigError(
                f"configuration file {path} does not exist",
                code="config_missing",
                location=Location(file=str(path)),
            ) from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"configuration file is not valid TOML: {exc}",
                location=Location(file=str(path)),
            ) from exc
        data.update(_settings_tables(raw, path))
    for var, key in ENV_OVERRIDES.items():
        if env.get(var):
            data[key] = env[var]
    data.setdefault("home", home)
    try:
        return Settings.model_validate(data)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"setting {key!r}: {first['msg']}",
            location=Location(file=str(path) if path else None),
        ) from exc
