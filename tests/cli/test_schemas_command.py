"""``b2bbridge schemas check``: the shipped schemas are clean; a broken one is named by line."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer
from e2e_support import REPO
from typer.testing import CliRunner

from b2bbridge.cli import schemas

runner = CliRunner()
cli = typer.Typer()
cli.callback()(lambda: None)
cli.add_typer(schemas.app, name="schemas")


def test_shipped_schemas_check_clean() -> None:
    result = runner.invoke(cli, ["schemas", "check", "--schemas", str(REPO / "schemas")])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "schema files checked, 0 problems" in result.stderr


def test_broken_dictionary_entry_and_overlay_are_each_printed_as_file_line_column(
    tmp_path: Path,
) -> None:
    root = tmp_path / "schemas"
    shutil.copytree(REPO / "schemas", root, ignore=shutil.ignore_patterns("*.json", "canonical"))
    dictionary = root / "x12" / "004010" / "dictionary.yaml"
    text = dictionary.read_text().replace('"92": ID 2 2', '"92": ID 2 x', 1)
    dictionary.write_text(text)
    line = text.splitlines().index('  "92": ID 2 x Purchase Order Type Code') + 1
    (root / "partners" / "bad").mkdir()
    (root / "partners" / "bad" / "855.yaml").write_text(
        'kind: overlay\nset: "855"\nchanges:\n  - {segment: NOPE, req: M}\n'
    )
    result = runner.invoke(cli, ["schemas", "check", "--schemas", str(root)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{root.as_posix()}/x12/004010/dictionary.yaml:{line}:3: element 92:" in lines[0]
    assert any(x.startswith(f"{root.as_posix()}/partners/bad/855.yaml:4:") for x in lines)
    assert any("path 'NOPE'" in x for x in lines)
