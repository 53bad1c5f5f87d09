import os
import time
from pathlib import Path

import typer
from typer.testing import CliRunner

from b2bbridge.cli import connectors as connectors_cmd
from b2bbridge.cli.console import CliState
from b2bbridge.config import load_settings
from tests.e2e_support import make_deployment

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "x12" / "850_two_pos.edi"


def _cli(root: Path) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = CliState(settings=load_settings(root / "b2bbridge.toml", env={}))

    app.add_typer(connectors_cmd.app, name="connectors")
    return app


def test_receive_processes_a_folder_inbox_in_batches_and_sums_up(tmp_path: Path) -> None:
    make_deployment(tmp_path)
    inbox = tmp_path / "var" / "partners" / "acme" / "inbox"
    inbox.mkdir(parents=True)
    past = time.time() - 120
    data = FIXTURE.read_bytes()
    for i in range(3):
        path = inbox / f"po{i}.edi"
        path.write_bytes(
            data.replace(b"000000123", f"{i + 1:09d}".encode()).replace(
                b"PO-100", f"P{i}-".encode()
            )
        )
        os.utime(path, (past, past))
    result = CliRunner().invoke(
        _cli(tmp_path), ["connectors", "receive", "acme-folder", "--batch", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "3 file(s): 3 acknowledged" in result.output
    assert list(inbox.iterdir()) == []


def test_list_names_the_example_folder_connector(tmp_path: Path) -> None:
    make_deployment(tmp_path)
    result = CliRunner().invoke(_cli(tmp_path), ["connectors", "list"])
    assert "acme-folder" in result.output
    assert "every 10s" in result.output


def test_test_on_a_folder_connector_polls_it(tmp_path: Path) -> None:
    make_deployment(tmp_path)
    result = CliRunner().invoke(_cli(tmp_path), ["connectors", "test", "acme-folder"])
    assert result.exit_code == 0
    assert "0 file(s) ready" in result.output
