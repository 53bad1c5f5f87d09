"""``b2bbridge inspect``: its JSON shape is a contract, and its exit status says clean or not."""

from __future__ import annotations

import json
from pathlib import Path

from e2e_support import FIXTURES, REPO
from typer.testing import CliRunner

from b2bbridge.cli.app import app

runner = CliRunner()


def test_json_output_names_structure_and_counts_of_a_clean_x12_file() -> None:
    result = runner.invoke(
        app, ["inspect", "--json", str(REPO / "examples/inbox/acme_850_20241104.x12")]
    )
    assert result.exit_code == 0, result.output
    (f,) = json.loads(result.stdout)["files"]
    assert (f["syntax"], f["encoding"]) == ("x12", "latin-1")
    assert f["delimiters"] == {
        "element": "*",
        "component": ">",
        "segment": "~",
        "repetition": None,
        "release": None,
        "decimal": ".",
    }
    (ic,) = f["interchanges"]
    assert ic["control_number"] == "000000101"
    assert ic["sender"] == {"qualifier": "ZZ", "id": "ACMEBUYER"}
    assert (ic["date"], ic["time"], ic["version"], ic["test"]) == (
        "2024-11-04",
        "09:30",
        "00401",
        False,
    )
    (group,) = ic["groups"]
    assert [
        (t["type"], t["control_number"], t["segment_count"]) for t in group["transactions"]
    ] == [
        ("850", "0001", 23),
        ("850", "0002", 21),
    ]
    assert f["errors"] == []


def test_edifact_messages_without_ung_sit_in_a_group_with_null_control_number() -> None:
    result = runner.invoke(
        app, ["inspect", "--json", str(REPO / "examples/inbox/acme_orders_20241104.edi")]
    )
    assert result.exit_code == 0, result.output
    (f,) = json.loads(result.stdout)["files"]
    (group,) = f["interchanges"][0]["groups"]
    assert group["control_number"] is None
    assert group["transactions"] == [
        {"type": "ORDERS", "control_number": "1", "segment_count": 24, "version": "D:96A:UN"}
    ]
    assert f["delimiters"]["release"] == "?"


def test_errors_carry_code_position_and_control_numbers_and_exit_1() -> None:
    result = runner.invoke(
        app, ["inspect", "--json", str(FIXTURES / "inbound/acme_850_bad_se_count.x12")]
    )
    assert result.exit_code == 1
    (err,) = json.loads(result.stdout)["files"][0]["errors"]
    assert err["code"] == "segment_count_mismatch"
    assert (err["segment_id"], err["line"], err["element"]) == ("SE", 46, 1)
    assert (err["interchange"], err["group"], err["transaction"]) == ("000000102", "102", "0002")


def test_a_file_that_is_not_edi_is_reported_as_unknown() -> None:
    result = runner.invoke(app, ["inspect", "--json", str(FIXTURES / "inbound/not_edi.txt")])
    assert result.exit_code == 1
    (f,) = json.loads(result.stdout)["files"]
    assert f["syntax"] == "unknown"
    assert [e["code"] for e in f["errors"]] == ["not_edi"]


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["inspect", str(tmp_path / "nope.edi")])
    assert result.exit_code == 2
