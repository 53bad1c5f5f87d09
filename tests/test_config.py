from pathlib import Path

import pytest

from b2bbridge.config import load_settings
from b2bbridge.core.errors import ConfigError


def test_defaults_need_no_file_and_put_sqlite_under_var(tmp_path: Path) -> None:
    settings = load_settings(None, env={})
    assert settings.database_url == ""
    assert settings.resolved_database_url.endswith("var/b2bbridge.db")
    assert settings.pipeline.max_attempts == 5


def test_relative_paths_resolve_against_the_config_file_folder(tmp_path: Path) -> None:
    cfg = tmp_path / "b2bbridge.toml"
    cfg.write_text('[b2bbridge]\ndata_dir = "data"\n')
    settings = load_settings(cfg, env={})
    assert settings.path(settings.data_dir) == (tmp_path / "data").resolve()


def test_environment_overrides_win_over_the_file(tmp_path: Path) -> None:
    cfg = tmp_path / "b2bbridge.toml"
    cfg.write_text('[b2bbridge]\ndatabase_url = "sqlite:///from-file.db"\n')
    settings = load_settings(
        cfg,
        env={
            "B2BBRIDGE_DATABASE_URL": "postgresql+psycopg://x@h/db",
            "B2BBRIDGE_BROKER_URL": "amqp://guest:guest@127.0.0.1//",
        },
    )
    assert settings.database_url == "postgresql+psycopg://x@h/db"
    assert settings.broker_url == "amqp://guest:guest@127.0.0.1//"


def test_unknown_setting_stops_start_up_naming_the_key(tmp_path: Path) -> None:
    cfg = tmp_path / "b2bbridge.toml"
    cfg.write_text("[b2bbridge]\ndatabse_url = 'x'\n")
    with pytest.raises(ConfigError, match="databse_url"):
        load_settings(cfg, env={})


def test_pipeline_section_is_validated(tmp_path: Path) -> None:
    cfg = tmp_path / "b2bbridge.toml"
    cfg.write_text("[b2bbridge.pipeline]\nmax_attempts = 0\n")
    with pytest.raises(ConfigError, match=r"pipeline\.max_attempts"):
        load_settings(cfg, env={})


def test_missing_named_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", env={})


def test_top_level_api_and_pipeline_tables_apply_beside_the_b2bbridge_table(
    tmp_path: Path,
) -> None:
    cfg = tmp_path / "b2bbridge.toml"
    cfg.write_text(
        '[b2bbridge]\ndata_dir = "data"\n\n[api]\nidempotency_retention_hours = 48\n\n'
        "[pipeline]\nbatch_size = 7\n"
    )
    settings = load_settings(cfg, env={})
    assert (settings.api.idempotency_retention_hours, settings.pipeline.batch_size) == (48, 7)


def test_an_unknown_top_level_table_is_refused_rather_than_ignored(tmp_path: Path) -> None:
    cfg = tmp_path / "b2bbridge.toml"
    cfg.write_text("[b2bbridge]\nlog_level = 'info'\n\n[pipline]\nbatch_size = 7\n")
    with pytest.raises(ConfigError, match=r"unknown table \[pipline\]"):
        load_settings(cfg, env={})


def test_a_table_given_both_at_the_top_and_under_b2bbridge_is_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "b2bbridge.toml"
    cfg.write_text(
        "[b2bbridge.api]\nsignature_max_skew_seconds = 10\n\n"
        "[api]\nsignature_max_skew_seconds = 20\n"
    )
    with pytest.raises(ConfigError, match=r"\[api\] is given twice"):
        load_settings(cfg, env={})
