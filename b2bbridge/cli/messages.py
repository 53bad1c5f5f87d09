"""``b2bbridge messages``: what was received, what became of it, and its lineage."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from b2bbridge.cli.console import console, err_console, opened_app
from b2bbridge.cli.lineage import render_lineage, render_trail
from b2bbridge.ports import NotFoundError
from b2bbridge.services.lineage import trace_document, trace_message

app = typer.Typer(help="Inspect received messages and their documents.", no_args_is_help=True)


@app.command("list")
def list_messages(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="Only this status (e.g. rejected).")] = None,
    partner: Annotated[str | None, typer.Option(help="Only this partner.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """List received messages with their status and stored documents.

    Example: b2bbridge messages list --status rejected
    """
    with opened_app(ctx) as app, app.ctx.uow() as uow:
        msgs = uow.messages.list(status=status, partner=partner, limit=limit)
        docs = {m.id: uow.documents.for_message(m.id) for m in msgs}
    if as_json:
        for m in msgs:
            typer.echo(
                json.dumps(
                    {
                        "id": m.id,
                        "file": m.filename,
                        "partner": m.partner,
                        "status": m.status,
                        "received_at": m.created_at.isoformat(),
                        "documents": [
                            {"id": d.id, "type": d.doc_type, "number": d.doc_number}
                            for d in docs[m.id]
                        ],
                    }
                )
            )
        return
    table = Table(title=f"messages ({len(msgs)})")
    for col in ("id", "received", "file", "partner", "status", "documents"):
        table.add_column(col)
    for m in msgs:
        numbers = ", ".join(f"{d.doc_type} {d.doc_number}" for d in docs[m.id][:4])
        more = len(docs[m.id]) - 4
        table.add_row(
            str(m.id),
            m.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            m.filename or "-",
            m.partner or "-",
            m.status,
            numbers + (f" (+{more})" if more > 0 else ""),
        )
    console.print(table)


@app.command("show")
def show_message(
    ctx: typer.Context,
    message_id: Annotated[
        int,
        typer.Argument(help="The message id from `messages list` (a document id with --document)."),
    ],
    lineage: Annotated[
        bool,
        typer.Option(
            "--lineage/--no-lineage",
            help="Show the tree: interchanges, transactions, documents, acks, dead letters.",
        ),
    ] = True,
    document: Annotated[
        bool,
        typer.Option("--document", help="The id is a document: trace it back to its file."),
    ] = False,
) -> None:
    """Show one message with its events and lineage, or trace a document back to its file.

    Example: b2bbridge messages show 3 --lineage
    Example: b2bbridge messages show 17 --document
    """
    with opened_app(ctx) as built:
        try:
            if document:
                trail = trace_document(built.ctx, message_id)
                found = trace_message(built.ctx, trail.message.id)
            else:
                found = trace_message(built.ctx, message_id)
        except NotFoundError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from None
    if document:
        console.print(render_trail(trail))
    m = found.message
    console.print(f"[bold]message {m.id}[/bold]  {m.status}")
    console.print(
        f"  file {m.filename or '-'} via {m.connector}, partner {m.partner or '-'}, "
        f"{m.size} bytes, sha256 {m.payload_sha256[:16]}…, correlation {m.correlation_id}"
    )
    table = Table(title="events")
    for col in ("at", "state", "component", "code", "detail"):
        table.add_column(col)
    for e in found.events:
        table.add_row(
            e.created_at.strftime("%H:%M:%S.%f")[:-3],
            e.state,
            e.component,
            e.code or "",
            json.dumps(e.detail) if e.detail else "",
        )
    console.print(table)
    if lineage:
        console.print(render_lineage(found))
