"""``b2bbridge acks``: acknowledgements we expect from partners, and the late ones."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from b2bbridge.cli.console import console, opened_app
from b2bbridge.services.reconcile import overdue_acks

app = typer.Typer(help="Acknowledgements expected from partners.", no_args_is_help=True)


@app.command("overdue")
def overdue(
    ctx: typer.Context,
    partner: Annotated[str | None, typer.Option(help="Only this partner.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """List documents we sent whose acknowledgement is late, the longest overdue first.

    An expected ack is matched by control numbers when it arrives (997/999 by our GS06,
    TA1 and CONTRL by our ISA13/UNB5). Exit status 1 when any is overdue.

    Example: b2bbridge acks overdue --partner acme
    """
    with opened_app(ctx) as built:
        now = built.ctx.clock.now()
        late = [e for e in overdue_acks(built.ctx, limit=limit) if partner in (None, e.partner)]
    if as_json:
        for e in late:
            row = {
                "id": e.id,
                "partner": e.partner,
                "outbound_id": e.outbound_id,
                "interchange": e.interchange_control_number,
                "group": e.group_control_number,
                "due_at": e.due_at.isoformat(),
            }
            typer.echo(json.dumps(row))
    else:
        table = Table(title=f"overdue acks ({len(late)})")
        for col in ("id", "partner", "sent", "interchange", "group", "due", "late by"):
            table.add_column(col)
        for e in late:
            table.add_row(
                str(e.id),
                e.partner,
                f"outbound {e.outbound_id}",
                e.interchange_control_number,
                e.group_control_number or "-",
                e.due_at.strftime("%Y-%m-%d %H:%M"),
                str(now - e.due_at).split(".")[0],
            )
        console.print(table)
    raise typer.Exit(1 if late else 0)
