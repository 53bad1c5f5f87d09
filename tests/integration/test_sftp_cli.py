"""``connectors list`` and ``connectors test`` against a real sshd."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from sshd_support import Sshd, start_sshd
from typer.testing import CliRunner

from b2bbridge.cli import connectors as connectors_cmd
from b2bbridge.cli.console import CliState
from b2bbridge.config import load_settings
from tests.e2e_support import make_deployment

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    server = start_sshd(tmp_path_factory.mktemp("sshd-cli"))
    yield server
    server.stop()


def _cli(root: Path) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = CliState(settings=load_settings(root / "b2bbridge.toml", env={}))

    app.add_typer(connectors_cmd.app, name="connectors")
    return app


def _deploy(root: Path, sshd: Sshd, inbox: Path) -> typer.Typer:
    make_deployment(root)
    (root / "connectors" / "acme-sftp.yaml").write_text(
        "name: acme-sftp\nkind: sftp\npartner: acme\nschedule: {cron: '*/5 * * * *'}\n"
        "options:\n"
        f"  host: 127.0.0.1\n  port: {sshd.port}\n  username: {sshd.username}\n"
        f"  private_key: {{file: {sshd.client_key}}}\n  known_hosts: {sshd.known_hosts}\n"
        f"  inbox: {inbox}\n  outbox: {root / 'remote-out'}\n"
        f"  archive: {root / 'remote-archive'}\n  error: {root / 'remote-error'}\n"
    )
    (root / "remote-out").mkdir()
    return _cli(root)


def test_connectors_list_shows_each_connector_with_its_secret_reference_only(
    sshd: Sshd, tmp_path: Path
) -> None:
    app = _deploy(tmp_path, sshd, tmp_path / "remote-in")
    out = CliRunner().invoke(app, ["connectors", "list"]).output
    assert "acme-folder" in out
    assert "acme-sftp" in out
    assert "cron */5 * * * *" in out
    assert f"private_key from file {sshd.client_key}" in " ".join(out.split())
    assert "PRIVATE KEY" not in out


def test_connectors_test_reports_the_host_key_fingerprint_and_the_inbox(
    sshd: Sshd, tmp_path: Path
) -> None:
    (tmp_path / "remote-in").mkdir()
    (tmp_path / "remote-in" / "a.edi").write_bytes(b"x")
    app = _deploy(tmp_path, sshd, tmp_path / "remote-in")
    result = CliRunner().invoke(app, ["connectors", "test", "acme-sftp"])
    flat = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert sshd.fingerprint() in flat
    assert "pinned in known_hosts" in flat
    assert "1 file(s)" in flat
    assert "is writable" in flat


def test_connectors_test_fails_with_exit_1_naming_a_missing_inbox(
    sshd: Sshd, tmp_path: Path
) -> None:
    app = _deploy(tmp_path, sshd, tmp_path / "no-such-inbox")
    result = CliRunner().invoke(app, ["connectors", "test", "acme-sftp"])
    assert result.exit_code == 1
    assert "no-such-inbox does not exist" in " ".join(result.output.split())


def test_connectors_test_of_an_unknown_name_lists_the_defined_ones(
    sshd: Sshd, tmp_path: Path
) -> None:
    app = _deploy(tmp_path, sshd, tmp_path / "remote-in")
    result = CliRunner().invoke(app, ["connectors", "test", "acme-ftp"])
    assert result.exit_code == 2
