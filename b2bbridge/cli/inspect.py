"""``b2bbridge inspect``: the structure of EDI files and every problem in them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.tree import Tree

from b2bbridge.cli.console import console
from b2bbridge.core.edi.detect import sniff
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.edi.reader import read_events
from b2bbridge.core.edi.summary import has_errors, summarize


def inspect(
    files: Annotated[list[Path], typer.Argument(help="EDI files to read (X12 or EDIFACT).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the JSON contract instead.")
    ] = False,
    strip_preamble: Annotated[
        bool, typer.Option(help="Skip non-EDI bytes before the first header.")
    ] = False,
    strict_charset: Annotated[
        bool, typer.Option(help="Treat bytes that break the declared charset as errors.")
    ] = False,
) -> None:
    """Print each file's interchanges, groups and transactions, and every error found.

    Reads with the full envelope checks and never stops at the first problem. Exit status:
    0 clean, 1 errors found, 2 usage (a file that cannot be opened).

    Example: b2bbridge inspect inbox/*.edi --json
    """
    summaries = []
    for path in files:
        if not path.is_file():
            console.print(f"[red]error:[/red] {path}: no such file")
            raise typer.Exit(2)
        options = ReadOptions(
            file=str(path),
            strip_preamble=strip_preamble,
            charset_policy="strict" if strict_charset else "lenient",
        )
        with path.open("rb") as fh:
            syntax = sniff(fh.read(4096)).syntax
            fh.seek(0)
            summaries.append(summarize(str(path), syntax, read_events(fh, options)))
    if as_json:
        typer.echo(json.dumps({"files": summaries}, indent=1))
    else:
        for s in summaries:
            _print_tree(s)
    raise typer.Exit(1 if any(has_errors(s) for s in summaries) else 0)


def _print_tree(s: dict[str, Any]) -> None:
    tree = Tree(f"[bold]{s['path']}[/bold]  {s['syntax']} {s['encoding'] or ''}")
    for ic in s["interchanges"]:
        node = tree.add(
            f"interchange {ic['control_number']} {ic['sender']['id']} -> {ic['receiver']['id']} "
            f"{ic['date'] or ''} {ic['time'] or ''} v{ic['version']}"
            + (" [yellow]test[/yellow]" if ic["test"] else "")
        )
        for g in ic["groups"]:
            gnode = node.add(f"group {g['control_number'] or '-'} {g['functional_id'] or ''}")
            for t in g["transactions"]:
                gnode.add(f"{t['type']} {t['control_number']} ({t['segment_count']} segments)")
    for e in s["errors"]:
        color = "red" if e["severity"] == "error" else "yellow"
        where = ", ".join(
            f"{k} {e[k]}" for k in ("line", "segment_id", "element", "transaction") if e[k]
        )
        tree.add(f"[{color}]{e['severity']} {e['code']}[/{color}]: {e['message']} ({where})")
    console.print(tree)
