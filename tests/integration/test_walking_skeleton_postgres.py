"""The walking skeleton on PostgreSQL: the same CLI run, the store a real server."""

from __future__ import annotations

from pathlib import Path

from e2e_support import (
    FIXTURES,
    REPO,
    check_997,
    check_contrl,
    check_example_results,
    make_deployment,
    stored_orders,
)


def test_example_run_stores_orders_in_postgresql(tmp_path: Path, postgres_schema_url: str) -> None:
    dep = make_deployment(tmp_path, database_url=postgres_schema_url)
    dep.drop(*(REPO / "examples" / "inbox").iterdir())
    result = dep.cli("run", "--once")
    assert result.returncode == 0, result.stdout + result.stderr
    check_example_results(dep, result.stdout, postgres_schema_url)
    check_997(dep)
    check_contrl(dep)


def test_bad_input_on_postgresql_is_rejected_without_losing_good_files(
    tmp_path: Path, postgres_schema_url: str
) -> None:
    dep = make_deployment(tmp_path, database_url=postgres_schema_url)
    dep.drop(*(REPO / "examples" / "inbox").iterdir(), FIXTURES / "inbound" / "not_edi.txt")
    result = dep.cli("run", "--once")
    assert result.returncode == 1
    assert dep.files("error") == ["not_edi.txt"]
    assert sorted(stored_orders(dep, postgres_schema_url)) == [
        "4500012345",
        "4500012346",
        "PO-77120",
    ]
