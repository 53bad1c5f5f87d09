"""``b2bbridge validate``: structure problems reported the way ``inspect`` reports errors."""

from __future__ import annotations

import json

import typer
from e2e_support import REPO
from typer.testing import CliRunner

from b2bbridge.cli import validate

runner = CliRunner()
cli = typer.Typer()
cli.callback()(lambda: None)
cli.command("validate")(validate.validate)
cli.command("other")(lambda: None)
FIXTURES = REPO / "tests" / "fixtures" / "schemas"
SCHEMAS = str(REPO / "schemas")


def test_json_lists_the_partner_overlay_problem_with_its_position() -> None:
    path = str(FIXTURES / "850_no_contact.edi")
    args = ["validate", "--json", "--schemas", SCHEMAS, "--partner", "retailer", path]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output
    (f,) = json.loads(result.stdout)["files"]
    assert [(e["code"], e["segment_id"], e["segment_index"]) for e in f["errors"]] == [
        ("segment_missing", "PER", 5)
    ]
    assert f["interchanges"][0]["groups"][0]["transactions"][0]["type"] == "850"


def test_same_file_without_the_partner_is_clean_and_exits_zero() -> None:
    path = str(FIXTURES / "850_no_contact.edi")
    result = runner.invoke(cli, ["validate", "--schemas", SCHEMAS, path])
    assert result.exit_code == 0, result.output
    assert "1 messages  valid" in result.stdout


def test_missing_file_is_a_usage_error() -> None:
    result = runner.invoke(cli, ["validate", "--schemas", SCHEMAS, "no/such/file.edi"])
    assert result.exit_code == 2
