"""``b2bbridge sync``: run, status and reset against a throw-away configuration.

The group is mounted on a small root here, as ``cli/app.py`` mounts it, so that these
tests do not depend on its registration. No external system is contacted: the flow reads
the pipeline's (empty) store and would only write to the ERP if there were records.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from b2bbridge.cli import sync as sync_cmd
from b2bbridge.cli.console import CliState
from b2bbridge.config import load_settings

runner = CliRunner()


def _root(config: Path) -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = CliState(load_settings(config, env={}))

    root.add_typer(sync_cmd.app, name="sync")
    return root


@pytest.fixture
def root(tmp_path: Path) -> typer.Typer:
    (tmp_path / "connectors" / "systems").mkdir(parents=True)
    (tmp_path / "connectors" / "flows").mkdir()
    (tmp_path / "connectors" / "systems" / "erp.yaml").write_text(
        "kind: tryton\nurl: http://127.0.0.1:9\ndatabase: erp\n"
    )
    (tmp_path / "connectors" / "flows" / "orders.yaml").write_text(
        "name: partner-orders\nentity: order\nsource: pipeline\ntargets: [erp]\ntrigger: order\n"
    )
    config = tmp_path / "b2bbridge.toml"
    config.write_text('[b2bbridge]\ndata_dir = "var"\n')
    return _root(config)


def test_run_reports_what_the_flow_read_and_wrote(root: typer.Typer) -> None:
    result = runner.invoke(root, ["sync", "run", "partner-orders"])

    assert result.exit_code == 0, result.output
    assert "partner-orders: read 0, written 0, skipped 0, failed 0, conflicts 0" in result.stdout


def test_status_lists_each_flow_with_its_last_run(root: typer.Typer) -> None:
    runner.invoke(root, ["sync", "run", "partner-orders"])

    result = runner.invoke(root, ["sync", "status"])

    assert result.exit_code == 0, result.output
    assert "partner-orders" in result.stdout
    assert " ok " in result.stdout


def test_reset_sets_the_watermark_that_status_then_shows(root: typer.Typer) -> None:
    reset = runner.invoke(root, ["sync", "reset", "partner-orders", "--to", "2026-11-01T00:00:00"])

    status = runner.invoke(root, ["sync", "status"])

    assert reset.exit_code == 0, reset.output
    assert "2026-11-01T00:00:00+00:00" in status.stdout


def test_an_unknown_flow_exits_non_zero_and_names_the_known_ones(root: typer.Typer) -> None:
    result = runner.invoke(root, ["sync", "run", "nope"])

    assert result.exit_code == 1
    assert "partner-orders" in result.output


def test_a_malformed_since_is_a_usage_error(root: typer.Typer) -> None:
    result = runner.invoke(root, ["sync", "run", "partner-orders", "--since", "yesterday"])

    assert result.exit_code == 2
