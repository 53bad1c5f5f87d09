"""``b2bbridge dlq``, ``messages show --lineage`` and ``acks overdue`` on a real store.

The command groups are mounted on a small root app here, the way ``cli/app.py`` mounts
them, so they run exactly as the CLI runs them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import typer
from e2e_support import Deployment, make_deployment
from typer.testing import CliRunner

from b2bbridge.cli import acks, dlq, messages
from b2bbridge.cli.console import CliState
from b2bbridge.config import load_settings
from b2bbridge.services.worker import drain

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from pipeline_support import (
    break_850_mapping,
    open_app,
    order_850,
    receive,
    restore_850_mapping,
)

runner = CliRunner()


def cli_for(dep: Deployment) -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = CliState(settings=load_settings(dep.root / "b2bbridge.toml", env={}))

    root.add_typer(dlq.app, name="dlq")
    root.add_typer(messages.app, name="messages")
    root.add_typer(acks.app, name="acks")
    return root


@pytest.fixture
def failed(tmp_path: Path) -> tuple[Deployment, str]:
    """Two orders that failed on a broken mapping; returns the deployment and good text."""
    dep = make_deployment(tmp_path)
    good = break_850_mapping(dep)
    app = open_app(dep)
    receive(app, order_850(31, "PO-CLI-1"), "first.x12")
    receive(app, order_850(32, "PO-CLI-2"), "second.x12")
    drain(app.ctx)
    app.close()
    return dep, good


def _listed(dep: Deployment, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(cli_for(dep), ["dlq", "list", "--json", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_dlq_list_filters_by_code_and_partner(failed: tuple[Deployment, str]) -> None:
    dep, _ = failed
    rows = _listed(dep, "--code", "mapping_required_missing", "--partner", "acme")
    assert sorted(r["message_id"] for r in rows) == [1, 2]
    assert _listed(dep, "--code", "segment_count_mismatch") == []
    assert _listed(dep, "--since", "1h", "--status", "discarded") == []


def test_dlq_show_prints_the_error_and_the_payload_at_its_position(
    failed: tuple[Deployment, str],
) -> None:
    dep, _ = failed
    result = runner.invoke(cli_for(dep), ["dlq", "show", "1"])
    assert result.exit_code == 0, result.output
    assert "mapping_required_missing" in result.stdout
    assert ">>ST*850*0001~" in result.stdout
    assert "BEG*00*SA*PO-CLI-1" in result.stdout


def test_dlq_replay_dry_run_changes_nothing(failed: tuple[Deployment, str]) -> None:
    dep, good = failed
    restore_850_mapping(dep, good)
    result = runner.invoke(cli_for(dep), ["dlq", "replay", "--partner", "acme", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would replay 2 dead letter(s) in 2 message(s)" in result.stdout
    assert len(_listed(dep)) == 2


def test_bulk_replay_after_the_fix_stores_both_orders_and_closes_the_letters(
    failed: tuple[Deployment, str],
) -> None:
    dep, good = failed
    restore_850_mapping(dep, good)
    result = runner.invoke(cli_for(dep), ["dlq", "replay", "--code", "mapping_required_missing"])
    assert result.exit_code == 0, result.output
    assert _listed(dep) == []
    assert [r["status"] for r in _listed(dep, "--status", "replayed")] == ["replayed"] * 2
    again = runner.invoke(cli_for(dep), ["dlq", "replay", "1", "2"])
    assert again.exit_code == 0, again.output
    assert "already stored: nothing new" in again.stdout
    app = open_app(dep)
    with app.ctx.uow() as uow:
        numbers = sorted(d.doc_number for d in uow.documents.list())
    assert numbers == ["PO-CLI-1", "PO-CLI-2"]


def test_replay_without_a_selection_is_refused(failed: tuple[Deployment, str]) -> None:
    dep, _ = failed
    result = runner.invoke(cli_for(dep), ["dlq", "replay"])
    assert result.exit_code == 2


def test_dlq_discard_closes_the_letter_with_the_reason(failed: tuple[Deployment, str]) -> None:
    dep, _ = failed
    result = runner.invoke(cli_for(dep), ["dlq", "discard", "2", "--reason", "resent as PO-9"])
    assert result.exit_code == 0, result.output
    (row,) = _listed(dep, "--status", "discarded")
    assert row["id"] == 2


def test_messages_show_lineage_and_document_trail(failed: tuple[Deployment, str]) -> None:
    dep, good = failed
    restore_850_mapping(dep, good)
    runner.invoke(cli_for(dep), ["dlq", "replay", "1"])
    down = runner.invoke(cli_for(dep), ["messages", "show", "1", "--lineage"])
    assert down.exit_code == 0, down.output
    assert "interchange X12 000000031" in down.stdout
    assert "document 1 order PO-CLI-1" in down.stdout
    assert "dead letter 1 mapping_required_missing" in down.stdout
    up = runner.invoke(cli_for(dep), ["messages", "show", "1", "--document"])
    assert up.exit_code == 0, up.output
    assert "in file first.x12 (message 1" in up.stdout


def test_acks_overdue_is_empty_and_exits_zero(failed: tuple[Deployment, str]) -> None:
    dep, _ = failed
    result = runner.invoke(cli_for(dep), ["acks", "overdue", "--json"])
    assert (result.exit_code, result.stdout) == (0, "")


def test_dlq_replay_leaves_a_sync_flows_dead_letter_to_sync_replay(tmp_path: Path) -> None:
    from b2bbridge.core.errors import TransientError
    from b2bbridge.ports import SyncRecord
    from b2bbridge.services.sync_deadletter import dead_letter_record

    dep = make_deployment(tmp_path)
    app = open_app(dep)
    with app.ctx.uow() as uow:
        record = SyncRecord(entity="stock", key="stock:SKU-1", fields={"sku": "SKU-1"})
        failure = TransientError("storefront unreachable", code="system_unreachable")
        letter = dead_letter_record(
            uow, flow="stock", target="storefront", record=record, failure=failure, attempts=3
        )
        uow.commit()
    app.close()

    result = runner.invoke(cli_for(dep), ["dlq", "replay", str(letter)])

    assert result.exit_code == 0, result.output
    assert f"replay it with: b2bbridge sync replay {letter}" in result.output
    assert "nothing to replay: 0 dead letter(s)" in result.stdout
