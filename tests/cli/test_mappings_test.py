"""``b2bbridge mappings test``: the golden pairs under mappings/tests/, with diffs."""

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


def test_shipped_golden_pairs_all_pass() -> None:
    result = runner.invoke(cli, ["mappings", "test", "--mappings", str(REPO / "mappings")])
    assert result.exit_code == 0, result.output
    assert "ok   inbound xml/cxml_order.yaml cxml_order.xml -> cxml_order.json" in result.stdout
    assert "ok   inbound csv/reorder.yaml reorder.csv -> reorder.json" in result.stdout
    assert " 0 failed" in result.stderr


def test_a_changed_value_fails_with_a_readable_diff(tmp_path: Path) -> None:
    root = _copy_maps(tmp_path)
    expected = root / "tests" / "inbound" / "cxml_order.json"
    expected.write_text(expected.read_text().replace('"quantity": "5"', '"quantity": "6"'))
    result = runner.invoke(cli, ["mappings", "test", "--mappings", str(root)])
    assert result.exit_code == 1
    assert "FAIL inbound xml/cxml_order.yaml cxml_order.xml -> cxml_order.json" in result.stdout
    assert '-        "quantity": "6",' in result.stdout
    assert '+        "quantity": "5",' in result.stdout
    assert " 1 failed" in result.stderr


def test_a_broken_map_fails_its_case_with_the_error(tmp_path: Path) -> None:
    root = _copy_maps(tmp_path)
    path = root / "json" / "order.yaml"
    path.write_text(path.read_text().replace("quantity: {path: quantity", "qty: {path: quantity"))
    result = runner.invoke(cli, ["mappings", "test", "--mappings", str(root)])
    assert result.exit_code == 1
    assert "unknown canonical field 'qty'" in result.stdout


def test_update_rewrites_the_expected_file_of_a_failing_case(tmp_path: Path) -> None:
    root = _copy_maps(tmp_path)
    expected = root / "tests" / "inbound" / "ubl_order.json"
    original = expected.read_text()
    expected.write_text("[]\n")
    result = runner.invoke(cli, ["mappings", "test", "--mappings", str(root), "--update"])
    assert result.exit_code == 1
    assert expected.read_text() == original
    again = runner.invoke(cli, ["mappings", "test", "--mappings", str(root)])
    assert again.exit_code == 0
