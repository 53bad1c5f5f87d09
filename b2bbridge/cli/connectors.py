"""``b2bbridge connectors``: list connectors, test one against its peer, drain one inbox.

Register with ``app.add_typer(connectors_cmd.app, name="connectors")``.
"""

from __future__ import annotations

from typing import Annotated, Protocol, runtime_checkable

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from b2bbridge.cli.console import console, err_console, opened_app
from b2bbridge.core.errors import B2BError
from b2bbridge.services.intake import receive_in_batches
from b2bbridge.services.run import SummaryRow

app = typer.Typer(help="List connectors and test their connections.", no_args_is_help=True)

SECRET_KEYS = frozenset({"password", "private_key", "passphrase", "hmac_secret", "url"})


@runtime_checkable
class Probeable(Protocol):
    """A connector that can check its own access: (check, ok, detail) rows."""

    def probe(self) -> list[tuple[str, bool, str]]: ...


def _endpoint(kind: str, options: dict[str, object]) -> str:
    if kind == "sftp":
        return f"{options.get('username')}@{options.get('host')}:{options.get('port', 22)}"
    if kind == "folder":
        return str(options.get("inbox", ""))
    if kind == "amqp":
        return f"queue {options.get('inbound_queue') or '-'}"
    return "-"


def _secrets(options: dict[str, object]) -> str:
    refs = []
    for key in sorted(SECRET_KEYS & set(options)):
        ref = options[key]
        if isinstance(ref, dict):
            where = ", ".join(f"{k} {v}" for k, v in ref.items())
            refs.append(f"{key} from {where}")
    return "; ".join(refs) or "-"


@app.command("list")
def list_connectors(ctx: typer.Context) -> None:
    """List every connector with its kind, partner, endpoint, schedule and secret references.

    Secrets are shown by reference (env variable or file), never by value.

    Example: b2bbridge connectors list
    """
    with opened_app(ctx, migrate=False) as built:
        table = Table(title=f"connectors ({len(built.definitions)})")
        for col in ("name", "kind", "partner", "endpoint", "schedule", "secrets"):
            table.add_column(col)
        for d in built.definitions:
            s = d.schedule
            when = f"cron {s.cron}" if s.cron else f"every {s.interval_seconds or 10:g}s"
            table.add_row(
                d.name,
                d.kind,
                d.partner or "-",
                _endpoint(d.kind, d.options),
                when,
                _secrets(d.options),
            )
        console.print(table)


@app.command("test")
def test_connector(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The connector's name.")]
) -> None:
    """Connect, list the inbox, and report the host key and any permission problem.

    Exit status 1 when a check fails. Nothing is moved or downloaded.

    Example: b2bbridge connectors test acme-sftp
    """
    with opened_app(ctx, migrate=False) as built:
        connector = built.connectors.get(name)
        if connector is None:
            err_console.print(
                f"[red]error:[/red] no connector {name!r}; defined: "
                + (", ".join(sorted(built.connectors)) or "none")
            )
            raise typer.Exit(2)
        rows = _checks(connector)
    table = Table(title=f"connector {name}")
    for col in ("check", "result", "detail"):
        table.add_column(col)
    for check, ok, detail in rows:
        table.add_row(check, "[green]ok[/green]" if ok else "[red]FAILED[/red]", detail)
    console.print(table)
    raise typer.Exit(0 if all(ok for _, ok, _ in rows) else 1)


@app.command("receive")
def receive(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The connector's name.")],
    batch: Annotated[int, typer.Option(min=1, help="Files stored and processed at a time.")] = 200,
) -> None:
    """Receive and process everything one connector has ready, with a progress display.

    Works through inboxes of any size in batches, so memory holds one batch at a time.
    Exit status 1 when any file was rejected.

    Example: b2bbridge connectors receive acme-sftp --batch 500
    """
    with opened_app(ctx) as built:
        connector = built.connectors.get(name)
        if connector is None:
            err_console.print(f"[red]error:[/red] no connector {name!r}")
            raise typer.Exit(2)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
        ) as bar:
            task = bar.add_task(f"receiving from {name}", total=None)

            def progress(done: int, row: SummaryRow) -> None:
                bar.update(task, completed=done, description=f"{name}: {row.file}")

            counts = receive_in_batches(built.ctx, [connector], batch=batch, progress=progress)
    total = sum(counts.values())
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing ready"
    console.print(f"{total} file(s): {summary}")
    failed = sum(n for status, n in counts.items() if status in ("rejected", "partial", "dead"))
    raise typer.Exit(1 if failed else 0)


def _checks(connector: object) -> list[tuple[str, bool, str]]:
    if isinstance(connector, Probeable):
        return connector.probe()
    poll = getattr(connector, "poll", None)
    if poll is None:
        return [("poll", False, "this connector cannot be polled")]
    try:
        count = sum(1 for _ in poll())
    except (B2BError, OSError) as exc:
        return [("poll", False, str(exc))]
    return [("poll", True, f"{count} file(s) ready")]
