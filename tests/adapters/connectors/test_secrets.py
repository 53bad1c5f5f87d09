from pathlib import Path

import pytest

from b2bbridge.adapters.connectors.base import ConnectorDefinition, create_connector
from b2bbridge.adapters.connectors.secrets import Secret, SecretRef
from b2bbridge.core.errors import ConfigError


def _sftp(tmp_path: Path, **options: object) -> ConnectorDefinition:
    (tmp_path / "known_hosts").write_text("")
    opts: dict[str, object] = {
        "host": "sftp.example.com",
        "username": "acme",
        "known_hosts": "known_hosts",
        "inbox": "/in",
    }
    opts.update(options)
    return ConnectorDefinition(name="acme-sftp", kind="sftp", options=opts)


def test_an_inline_password_is_refused_without_repeating_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="option 'password': inline secrets are refused") as e:
        create_connector(_sftp(tmp_path, password="hunter2-s3cret"), tmp_path)
    assert "hunter2-s3cret" not in str(e.value)
    assert e.value.code == "connector_schema_invalid"


def test_a_secret_reference_names_exactly_one_source() -> None:
    with pytest.raises(ValueError, match="exactly one of env or file"):
        SecretRef(env="A", file=Path("b"))


def test_an_env_reference_reads_the_variable() -> None:
    secret = SecretRef(env="ACME_PW").resolve(Path("."), env={"ACME_PW": "pw-value"})
    assert secret.reveal() == "pw-value"


def test_a_file_reference_reads_the_file_relative_to_home(tmp_path: Path) -> None:
    (tmp_path / "pw.txt").write_text("from-file\n")
    assert SecretRef(file=Path("pw.txt")).resolve(tmp_path).reveal() == "from-file"


def test_a_missing_variable_is_a_config_error_naming_the_variable() -> None:
    with pytest.raises(ConfigError, match="ACME_MISSING is not set"):
        SecretRef(env="ACME_MISSING").resolve(Path("."), env={})


def test_a_revealed_secret_is_masked_in_repr_str_and_formatting() -> None:
    secret = Secret("p4ss")
    assert (repr(secret), str(secret), f"{secret}") == ("Secret(***)", "***", "***")


def test_an_sftp_connector_with_a_password_reference_builds_without_connecting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_SFTP_PW", "pw")
    c = create_connector(_sftp(tmp_path, password={"env": "ACME_SFTP_PW"}), tmp_path)
    assert (c.name, c.session.connects) == ("acme-sftp", 0)  # type: ignore[attr-defined]
    assert repr(c.session.settings.credentials.password) == "Secret(***)"  # type: ignore[attr-defined]
