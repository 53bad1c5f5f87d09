"""``b2bbridge schemas``: lint the EDI structure schemas, dictionaries and partner overlays."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from b2bbridge.adapters.files.schemas import FileSchemaCatalog
from b2bbridge.cli.console import console, err_console
from b2bbridge.cli.mapping_files import settings_dir

app = typer.Typer(help="EDI structure schemas: check them.", no_args_is_help=True)


@app.command("check")
def check(
    ctx: typer.Context,
    schemas: Annotated[
        Path | None,
        typer.Option("--schemas", help="Schema folder. Default: the settings' schemas_dir."),
    ] = None,
) -> None:
    """Compile every schema, dictionary and overlay; print each problem as file:line:column.

    Every dictionary entry is compiled, used or not, and every overlay is applied to each
    schema of its set. Exit status: 0 clean, 1 problems found.

    Example: b2bbridge schemas check --schemas schemas/
    """
    root = settings_dir(ctx, schemas, "schemas_dir", "schemas")
    if not root.is_dir():
        err_console.print(f"[red]error:[/red] {root}: no such folder")
        raise typer.Exit(2)
    catalog = FileSchemaCatalog(root)
    errors = catalog.check()
    for error in errors:
        console.print(_render(root, str(error)), markup=False, highlight=False)
    err_console.print(f"{len(catalog.names)} schema files checked, {len(errors)} problems")
    raise typer.Exit(1 if errors else 0)


def _render(root: Path, message: str) -> str:
    """``schemas/x12/850.yaml:12:5: text`` from ``x12/850.yaml, line 12, column 5: text``."""
    head, sep, rest = message.partition(": ")
    parts = head.split(", ")
    if sep and len(parts) == 3 and parts[1].startswith("line ") and parts[2].startswith("column "):
        line, column = parts[1][5:], parts[2][7:]
        return f"{(root / parts[0]).as_posix()}:{line}:{column}: {rest}"
    return message
