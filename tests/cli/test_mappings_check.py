"""``b2bbridge mappings check``: every problem in every map, as file:line:column: message."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer
from e2e_support import REPO
from typer.testing import CliRunner

from b2bbridge.cli import mappings

runner = CliRunner()
cli = typer.Typer()
cli.callback()(lambda: None)
cli.add_typer(mappings.app, name="mappings")


def _copy_maps(tmp_path: Path) -> Path:
    root = tmp_path / "mappings"
    shutil.copytree(REPO / "mappings", root)
    return root


def test_shipped_mappings_check_clean() -> None:
    result = runner.invoke(cli, ["mappings", "check", "--mappings", str(REPO / "mappings")])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert " mapping files checked, 0 problems" in result.stderr


def test_each_problem_is_printed_as_file_line_column_message(tmp_path: Path) -> None:
    root = _copy_maps(tmp_path)
    (root / "xml" / "bad.yaml").write_text(
        "format: xml\ndocument: order\ncodes:\n  uom: codes/missing.csv\nfields:\n"
        "  number: OrderID\n  colour: Colour\n  order_date: {path: '@d', transform: [decimal]}\n"
    )
    result = runner.invoke(cli, ["mappings", "check", "--mappings", str(root), "xml/bad.yaml"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    prefix = (root / "xml" / "bad.yaml").as_posix()
    assert [line.split(": ")[0] for line in lines] == [
        f"{prefix}:4:3",
        f"{prefix}:7:3",
        f"{prefix}:8:28",
    ]
    assert "cannot read 'codes/missing.csv'" in lines[0]
    assert "unknown canonical field 'colour'" in lines[1]
    assert "type mismatch: field 'order_date' holds a date" in lines[2]
    assert "1 mapping files checked, 3 problems" in result.stderr


def test_a_broken_code_table_is_reported_at_its_own_line(tmp_path: Path) -> None:
    root = _copy_maps(tmp_path)
    with (root / "codes" / "uom.csv").open("a") as fh:
        fh.write("EA,,each,each again\n")
    result = runner.invoke(cli, ["mappings", "check", "--mappings", str(root), "csv/reorder.yaml"])
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    assert line.startswith(f"{(root / 'codes' / 'uom.csv').as_posix()}:")
    assert "EA" in line
