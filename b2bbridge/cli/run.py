"""``b2bbridge run``: receive, process and acknowledge partner files.

Documents stored by the run enqueue the sync flows they trigger (``trigger:`` in
``connectors/flows/``), and the run does those too before it exits: the summary ends
with one line per triggered flow, saying what it wrote or why it is still queued. The
exit status is about the files; a failed flow is retried by the next worker or run and
then dead-lettered, as the summary says.
"""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from b2bbridge.bootstrap import settle_heap
from b2bbridge.cli.console import console, opened_app
from b2bbridge.cli.sync_wiring import opened_sync, with_triggers
from b2bbridge.services.run import SummaryRow, run_once
from b2bbridge.services.sync_triggers import SyncTriggers, TriggeredRun

STATUS_STYLE = {
    "acknowledged": "green",
    "stored": "green",
    "duplicate": "yellow",
    "partial": "red",
    "rejected": "red",
    "dead": "red",
}


def run(
    ctx: typer.Context,
    once: Annotated[
        bool, typer.Option("--once", help="Process what is ready now, print a summary, exit.")
    ] = False,
    interval: Annotated[
        float, typer.Option(help="Seconds between polls when running continuously.")
    ] = 10.0,
) -> None:
    """Pick up partner files from every inbound connector, process and acknowledge them.

    Each file is stored before it is processed; each interchange is stored in one
    transaction; acks go to the partner's outbox; sources move to the archive, or to the
    error folder when rejected. Exit status 1 when any file was rejected.

    Example: b2bbridge run --once
    """
    with opened_app(ctx) as app, opened_sync(app) as sync:
        service, triggers = with_triggers(app.ctx, sync, remember=True)
        connectors = list(app.connectors.values())
        if once:
            rows = run_once(service, connectors)
            _print_summary(rows)
            _print_triggered(triggers)
            raise typer.Exit(1 if any(r.failed for r in rows) else 0)
        settle_heap()  # only a polling run lives long enough to repay the full collection
        console.print(f"polling {len(connectors)} connector(s) every {interval:g}s; Ctrl-C stops")
        try:
            while True:
                rows = run_once(service, connectors)
                if rows:
                    _print_summary(rows)
                _print_triggered(triggers)
                time.sleep(interval)
        except KeyboardInterrupt:
            console.print("stopped")


def _print_summary(rows: list[SummaryRow]) -> None:
    if not rows:
        console.print("nothing to do: no files were ready in any inbox")
        return
    table = Table(title="b2bbridge run", show_lines=False)
    for col in ("file", "partner", "message", "documents", "status", "detail"):
        table.add_column(col, justify="right" if col in ("message", "documents") else "left")
    for r in rows:
        style = STATUS_STYLE.get(r.status, "")
        table.add_row(
            r.file,
            r.partner or "-",
            str(r.message_id),
            str(r.documents),
            f"[{style}]{r.status}[/{style}]" if style else r.status,
            r.detail,
        )
    console.print(table)
    failed = sum(r.failed for r in rows)
    docs = sum(r.documents for r in rows)
    console.print(f"{len(rows)} file(s), {docs} document(s) stored, {failed} failed")


def _print_triggered(triggers: SyncTriggers | None) -> None:
    """One line per triggered flow run or still queued; printed outcomes are forgotten."""
    if triggers is None:
        return
    for item_id in sorted(triggers.queued):
        run = triggers.queued[item_id]
        console.print(f"sync {run.flow} (triggered by message {run.message_id}): {_outcome(run)}")
        if run.report is not None or run.error is not None:
            del triggers.queued[item_id]


def _outcome(run: TriggeredRun) -> str:
    if run.report is not None:
        r = run.report
        line = f"read {r.read}, written {r.written}, skipped {r.skipped}, failed {r.failed}"
        if r.dead_letters:
            line += f" (dead letters {', '.join(map(str, r.dead_letters))})"
        return line
    if run.error is not None:
        return (
            f"[red]failed[/red]: {escape(run.error)}; retried by the next worker or run, "
            "then dead-lettered (b2bbridge dlq list)"
        )
    return "queued (a worker or the next run does it)"
