"""``b2bbridge validate``: check EDI files against their message schemas, like ``inspect``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from b2bbridge.adapters.files.schemas import FileSchemaCatalog
from b2bbridge.cli.console import console
from b2bbridge.cli.mapping_files import settings_dir
from b2bbridge.core.edi.detect import sniff
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.edi.reader import read_events
from b2bbridge.core.edi.summary import has_errors, summarize
from b2bbridge.core.errors import B2BError
from b2bbridge.core.schemas.validator import validate_events


def validate(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="EDI files to check (X12 or EDIFACT).")],
    partner: Annotated[
        str | None, typer.Option("--partner", "-p", help="Apply this partner's overlays.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the inspect JSON contract instead.")
    ] = False,
    schemas: Annotated[
        Path | None,
        typer.Option("--schemas", help="Schema folder. Default: the settings' schemas_dir."),
    ] = None,
) -> None:
    """Read each file and check every message against its schema; print every problem.

    Output has the shape of ``inspect``: envelope problems and structure problems
    (segment and element, with position) in one ``errors`` list. A message whose set has
    no schema is reported as ``transaction_unsupported``. Exit status: 0 clean, 1 errors
    found, 2 usage (a file or the schema folder cannot be read, or a schema is broken).

    Example: b2bbridge validate inbox/po.x12 --partner acme --json
    """
    root = settings_dir(ctx, schemas, "schemas_dir", "schemas")
    catalog = FileSchemaCatalog(root)
    summaries = []
    for path in files:
        if not path.is_file():
            console.print(f"[red]error:[/red] {path}: no such file")
            raise typer.Exit(2)
        try:
            summaries.append(_summary(path, catalog, partner))
        except B2BError as exc:
            console.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
            raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps({"files": summaries}, indent=1))
    else:
        for s in summaries:
            _print(s)
    raise typer.Exit(1 if any(has_errors(s) for s in summaries) else 0)


def _summary(path: Path, catalog: FileSchemaCatalog, partner: str | None) -> dict[str, Any]:
    with path.open("rb") as fh:
        syntax = sniff(fh.read(4096)).syntax
        fh.seek(0)
        events = validate_events(read_events(fh, ReadOptions(file=str(path))), catalog, partner)
        return summarize(str(path), syntax, events)


def _print(s: dict[str, Any]) -> None:
    count = sum(len(g["transactions"]) for ic in s["interchanges"] for g in ic["groups"])
    errors = s["errors"]
    status = "[green]valid[/green]" if not has_errors(s) else "[red]invalid[/red]"
    console.print(f"[bold]{s['path']}[/bold]  {s['syntax']}  {count} messages  {status}")
    for e in errors:
        color = "red" if e["severity"] == "error" else "yellow"
        where = ", ".join(
            f"{k} {e[k]}"
            for k in ("transaction", "segment_id", "segment_index", "element", "line")
            if e[k] is not None
        )
        console.print(f"  [{color}]{e['code']}[/{color}]: {e['message']} ({where})")
