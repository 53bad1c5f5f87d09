"""The API's settings come from ``[b2bbridge.api]`` in b2bbridge.toml, checked at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from b2bbridge.config import load_settings
from b2bbridge.core.errors import ConfigError


def test_the_api_table_sets_retention_in_flight_and_skew(tmp_path: Path) -> None:
    toml = tmp_path / "b2bbridge.toml"
    toml.write_text(
        "[b2bbridge.api]\nidempotency_retention_hours = 48\n"
        "idempotency_in_flight_seconds = 30\nsignature_max_skew_seconds = 60\n"
    )
    api = load_settings(toml, env={}).api
    assert (
        api.idempotency_retention_hours,
        api.idempotency_in_flight_seconds,
        api.signature_max_skew_seconds,
    ) == (48, 30, 60)


def test_without_the_table_the_documented_defaults_apply() -> None:
    api = load_settings(None, env={}).api
    assert (api.idempotency_retention_hours, api.signature_max_skew_seconds) == (24, 300)


def test_a_window_of_zero_seconds_is_refused_naming_the_key(tmp_path: Path) -> None:
    toml = tmp_path / "b2bbridge.toml"
    toml.write_text("[b2bbridge.api]\nsignature_max_skew_seconds = 0\n")
    with pytest.raises(ConfigError, match=r"setting 'api\.signature_max_skew_seconds'"):
        load_settings(toml, env={})
