"""``b2bbridge dlq``: list, inspect, replay and discard dead letters.

Dead letters never expire: each stays ``open`` until it is replayed (a new attempt from
the stored raw payload, with the mappings as they are now) or discarded with a reason.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from b2bbridge.cli.console import console, err_console, opened_app
from b2bbridge.ports import DeadLetterRecord, NotFoundError
from b2bbridge.services.context import ServiceContext
from b2bbridge.services.excerpt import cut_excerpt
from b2bbridge.services.replay import (
    ReplayResult,
    discard_dead_letter,
    replay_dead_letters,
    select_dead_letters,
    split_sync_dead_letters,
)

app = typer.Typer(help="Dead letters: list, show, replay, discard.", no_args_is_help=True)

_SPAN = re.compile(r"^(\d+)([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}

Since = Annotated[
    str | None,
    typer.Option(help="Only newer than this: 2h, 3d, 1w, or a date/time (2026-11-22T08:00)."),
]


def parse_since(text: str | None, *, now: datetime) -> datetime | None:
    """A relative span (``90m``, ``2h``, ``3d``, ``1w``) or an ISO date/time, as UTC."""
    if text is None:
        return None
    span = _SPAN.match(text.strip())
    if span:
        return now - timedelta(**{_UNITS[span.group(2)]: int(span.group(1))})
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is neither a span like 2h nor a date") from exc
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@app.command("list")
def list_dead_letters(
    ctx: typer.Context,
    partner: Annotated[str | None, typer.Option(help="Only this partner.")] = None,
    since: Since = None,
    code: Annotated[str | None, typer.Option(help="Only this error code.")] = None,
    status: Annotated[str, typer.Option(help="open, replayed, discarded, or all.")] = "open",
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """List dead letters, newest first.

    Example: b2bbridge dlq list --partner acme --since 1d --code mapping_required_missing
    """
    with opened_app(ctx) as built, built.ctx.uow() as uow:
        found = uow.dead_letters.list(
            partner=partner,
            code=code,
            since=parse_since(since, now=built.ctx.clock.now()),
            status=None if status == "all" else status,
            limit=limit,
        )
    if as_json:
        for dl in found:
            typer.echo(json.dumps(_as_json(dl)))
        return
    table = Table(title=f"dead letters ({len(found)})")
    for col in ("id", "created", "partner", "message", "code", "status", "reason"):
        table.add_column(col)
    for dl in found:
        table.add_row(
            str(dl.id),
            dl.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            dl.partner or "-",
            str(dl.message_id),
            dl.code,
            dl.status + (f" (replay of {dl.replay_of})" if dl.replay_of else ""),
            escape(dl.reason[:80]),
        )
    console.print(table)


def _as_json(dl: DeadLetterRecord) -> dict[str, object]:
    return {
        "id": dl.id,
        "message_id": dl.message_id,
        "partner": dl.partner,
        "code": dl.code,
        "reason": dl.reason,
        "status": dl.status,
        "attempts": dl.attempts,
        "replay_of": dl.replay_of,
        "location": dl.location,
        "created_at": dl.created_at.isoformat(),
    }


@app.command("show")
def show_dead_letter(
    ctx: typer.Context,
    dead_letter_id: Annotated[int, typer.Argument(help="The id from `dlq list`.")],
    radius: Annotated[int, typer.Option(min=16, help="Bytes of payload either side.")] = 240,
) -> None:
    """Show a dead letter: the error, its context, and the raw payload around the error.

    Example: b2bbridge dlq show 12
    """
    with opened_app(ctx) as built, built.ctx.uow() as uow:
        try:
            dl = uow.dead_letters.get(dead_letter_id)
        except NotFoundError:
            err_console.print(f"[red]error:[/red] no dead letter {dead_letter_id}")
            raise typer.Exit(1) from None
        msg = uow.messages.get(dl.message_id)
        data = uow.payloads.get(msg.payload_sha256)
    console.print(f"[bold]dead letter {dl.id}[/bold]  {dl.status}  [red]{dl.code}[/red]")
    console.print(f"  reason    {escape(dl.reason)}")
    console.print(f"  message   {msg.id}: {msg.filename or '-'} via {msg.connector}")
    console.print(f"  partner   {dl.partner or '-'}   attempts {dl.attempts}")
    if dl.replay_of:
        console.print(f"  replay of dead letter {dl.replay_of}")
    if dl.note:
        console.print(f"  note      {escape(dl.note)}")
    for key, value in dl.location.items():
        console.print(f"  {key:<14}{value}")
    console.print(f"  last error {escape(dl.last_error)}")
    offset = dl.location.get("byte_offset")
    excerpt = cut_excerpt(data, offset if isinstance(offset, int) else None, radius=radius)
    console.print(f"[bold]payload[/bold] bytes {excerpt.start}..{excerpt.end} of {len(data)}:")
    console.print(
        escape(excerpt.before) + "[reverse]>>[/reverse]" + escape(excerpt.after)
        if excerpt.marker is not None
        else escape(excerpt.text),
        highlight=False,
    )


@app.command("replay")
def replay(
    ctx: typer.Context,
    ids: Annotated[list[int] | None, typer.Argument(help="Dead-letter ids to replay.")] = None,
    partner: Annotated[str | None, typer.Option(help="All open ones of this partner.")] = None,
    code: Annotated[str | None, typer.Option(help="All open ones with this code.")] = None,
    since: Since = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be replayed; change nothing.")
    ] = False,
) -> None:
    """Re-run dead letters from their stored raw payload with the current mappings.

    A replay is a new attempt linked to the original; replaying again never stores a
    second copy of a document. Exit status 1 when any replay failed again.

    Example: b2bbridge dlq replay --partner acme --code mapping_required_missing --dry-run
    """
    if not ids and partner is None and code is None and since is None:
        err_console.print("[red]error:[/red] name dead-letter ids, or --partner/--code/--since")
        raise typer.Exit(2)
    with opened_app(ctx) as built:
        try:
            chosen = select_dead_letters(
                built.ctx,
                ids=ids or (),
                partner=partner,
                code=code,
                since=parse_since(since, now=built.ctx.clock.now()),
            )
        except NotFoundError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from None
        chosen, sync = split_sync_dead_letters(built.ctx, chosen)
        for dl in sync:
            err_console.print(
                f"[yellow]skipped:[/yellow] dead letter {dl.id} is a sync flow's failure; "
                f"replay it with: b2bbridge sync replay {dl.id}"
            )
        messages = sorted({d.message_id for d in chosen})
        if dry_run or not chosen:
            verb = "would replay" if dry_run else "nothing to replay:"
            console.print(f"{verb} {len(chosen)} dead letter(s) in {len(messages)} message(s)")
            for dl in chosen:
                console.print(f"  {dl.id}  message {dl.message_id}  {dl.code}  {dl.status}")
            return
        results = _replay_with_progress(built.ctx, chosen, len(messages))
    _print_results(results)
    raise typer.Exit(1 if any(r.status in ("rejected", "partial", "error") for r in results) else 0)


def _replay_with_progress(
    service: ServiceContext, chosen: list[DeadLetterRecord], total: int
) -> list[ReplayResult]:
    if total <= 1:
        return replay_dead_letters(service, chosen)
    with Progress(console=err_console, transient=True) as progress:
        task = progress.add_task("replaying", total=total)
        return replay_dead_letters(service, chosen, on_result=lambda _r: progress.advance(task))


def _print_results(results: list[ReplayResult]) -> None:
    table = Table(title=f"replayed {len(results)} message(s)")
    for col in ("message", "dead letters", "status", "documents", "detail"):
        table.add_column(col)
    for r in results:
        detail = r.error or ("; ".join(r.result.errors[:1]) if r.result else "")
        if r.result and r.result.duplicates and not r.result.documents:
            detail = detail or "already stored: nothing new"
        table.add_row(
            str(r.message_id),
            ", ".join(str(i) for i in r.dead_letter_ids),
            r.status,
            str(r.documents),
            escape(detail),
        )
    console.print(table)


@app.command("discard")
def discard(
    ctx: typer.Context,
    dead_letter_id: Annotated[int, typer.Argument(help="The id from `dlq list`.")],
    reason: Annotated[str, typer.Option(help="Why it is closed without a replay.")],
) -> None:
    """Close a dead letter without replaying it; it stays on record with the reason.

    Example: b2bbridge dlq discard 12 --reason "partner resent it as PO 4500012399"
    """
    with opened_app(ctx) as built:
        try:
            discard_dead_letter(built.ctx, dead_letter_id, reason=reason)
        except NotFoundError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from None
        except ValueError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
    console.print(f"dead letter {dead_letter_id} discarded")
