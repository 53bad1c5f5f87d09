"""``b2bbridge schemas export``: the canonical JSON Schemas written as files."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from b2bbridge.cli import canonical
from b2bbridge.core.model.schemas import canonical_json_schemas

runner = CliRunner()
cli = typer.Typer()
cli.callback()(lambda: None)
cli.add_typer(canonical.app, name="schemas")


def test_export_writes_one_file_per_document_and_removes_stale_ones(tmp_path: Path) -> None:
    (tmp_path / "gone.schema.json").write_text("{}")
    result = runner.invoke(cli, ["schemas", "export", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    expected = canonical_json_schemas()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(expected)
    assert (tmp_path / "order.schema.json").read_text() == expected["order.schema.json"]


def test_export_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    runner.invoke(cli, ["schemas", "export", "--out", str(tmp_path)])
    result = runner.invoke(cli, ["schemas", "export", "--out", str(tmp_path)])
    assert f"{len(canonical_json_schemas())} schemas in {tmp_path}, 0 changed" in result.stdout
