"""``b2bbridge sync``: run a flow, see where flows stand, move a watermark, replay.

Register in ``cli/app.py`` with ``app.add_typer(sync_cmd.app, name="sync")``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from b2bbridge.bootstrap_sync import build_sync
from b2bbridge.cli.console import CliState, console, err_console
from b2bbridge.core.errors import B2BError
from b2bbridge.services.sync import run_flow
from b2bbridge.services.sync_context import SyncContext
from b2bbridge.services.sync_replay import replay_sync_dead_letter
from b2bbridge.services.sync_status import flow_statuses, reset_watermark

app = typer.Typer(help="Synchronise the ERP, WMS, CRM and storefront.", no_args_is_help=True)


@contextmanager
def _opened(ctx: typer.Context) -> Iterator[SyncContext]:
    state: CliState = ctx.obj
    try:
        sync = build_sync(state.settings)
    except B2BError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    try:
        yield sync
    finally:
        for system in sync.systems.values():
            system.close()


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not an ISO 8601 time") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command("run")
def run(
    ctx: typer.Context,
    flow: Annotated[str, typer.Argument(help="The flow's name, from connectors/flows/.")],
    since: Annotated[
        str | None, typer.Option(help="Start from this time (ISO 8601, UTC if no offset).")
    ] = None,
) -> None:
    """Run one flow once, from its watermark (or --since).

    Example: b2bbridge sync run storefront-orders --since 2026-11-01T00:00:00
    """
    with _opened(ctx) as sync:
        try:
            report = run_flow(sync, flow, since=_instant(since) if since else None)
        except B2BError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from exc
    console.print(
        f"{report.flow}: read {report.read}, written {report.written}, "
        f"skipped {report.skipped}, failed {report.failed}, conflicts {len(report.conflicts)}"
    )
    for conflict in report.conflicts:
        console.print(f"  conflict {conflict.key}.{conflict.field}: {conflict.reason}")
    if report.failed:
        ids = ", ".join(str(i) for i in report.dead_letters)
        err_console.print(f"dead-lettered: {ids} (replay with: b2bbridge sync replay ID)")
        raise typer.Exit(1)


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Per flow: watermark, lag, last run, pending dead letters, errors.

    Example: b2bbridge sync status
    """
    with _opened(ctx) as sync:
        rows = flow_statuses(sync)
    table = Table(title="sync flows")
    for column in (
        "flow",
        "watermark",
        "lag",
        "last run",
        "status",
        "written",
        "failed",
        "pending",
    ):
        table.add_column(column)
    for row in rows:
        last = row.last_run
        table.add_row(
            row.flow,
            row.watermark.isoformat() if row.watermark else "-",
            str(row.lag).split(".")[0] if row.lag is not None else "-",
            last.started_at.strftime("%Y-%m-%d %H:%M:%S") if last else "never",
            last.status if last else "-",
            str(last.written) if last else "-",
            str(last.failed) if last else "-",
            str(row.pending),
        )
    console.print(table)


@app.command("reset")
def reset(
    ctx: typer.Context,
    flow: Annotated[str, typer.Argument(help="The flow's name.")],
    to: Annotated[str, typer.Option("--to", help="New watermark (ISO 8601) or 'start'.")],
) -> None:
    """Move a flow's watermark; the id map is kept, so nothing is created twice.

    Example: b2bbridge sync reset wms-stock --to 2026-11-22T00:00:00
    """
    with _opened(ctx) as sync:
        reset_watermark(sync, flow, None if to == "start" else _instant(to))
    console.print(f"{flow}: watermark set to {to}")


@app.command("replay")
def replay(
    ctx: typer.Context,
    dead_letter_id: Annotated[int, typer.Argument(help="A sync dead letter's id.")],
) -> None:
    """Send a dead-lettered sync record to its target again, or re-run a dead-lettered run.

    Example: b2bbridge sync replay 42
    """
    with _opened(ctx) as sync:
        try:
            result = replay_sync_dead_letter(sync, dead_letter_id)
        except B2BError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from exc
    if result.report is not None:
        r = result.report
        console.print(
            f"replayed {dead_letter_id}: {r.flow} ran, read {r.read}, written {r.written}, "
            f"failed {r.failed}"
        )
        raise typer.Exit(0 if result.ok else 1)
    if not result.ok:
        err_console.print(f"replay failed again: dead letter {result.new_dead_letter_id}")
        raise typer.Exit(1)
    console.print(f"replayed {dead_letter_id}: external id {result.external_id}")
