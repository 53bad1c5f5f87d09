"""The ``b2bbridge`` command: global options, the command groups, and error reporting.

Commands are thin: they parse arguments, call :mod:`b2bbridge.bootstrap` and one service,
and print. A configuration error is printed as one clear line with exit status 2, never as
a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from b2bbridge.cli import acks as acks_cmd
from b2bbridge.cli import canonical as canonical_cmd
from b2bbridge.cli import connectors as connectors_cmd
from b2bbridge.cli import db as db_cmd
from b2bbridge.cli import dlq as dlq_cmd
from b2bbridge.cli import inspect as inspect_cmd
from b2bbridge.cli import mappings as mappings_cmd
from b2bbridge.cli import messages as messages_cmd
from b2bbridge.cli import render as render_cmd
from b2bbridge.cli import run as run_cmd
from b2bbridge.cli import schemas as schemas_cmd
from b2bbridge.cli import serve as serve_cmd
from b2bbridge.cli import sync as sync_cmd
from b2bbridge.cli import translate as translate_cmd
from b2bbridge.cli import validate as validate_cmd
from b2bbridge.cli import worker as worker_cmd
from b2bbridge.cli.console import CliState, err_console
from b2bbridge.config import load_settings
from b2bbridge.core.errors import B2BError
from b2bbridge.logs import configure_logging

app = typer.Typer(
    name="b2bbridge",
    help=(
        "EDI/ERP integration middleware: partner orders in, canonical documents and acks out.\n\n"
        "Example: b2bbridge --config b2bbridge.toml run --once"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
app.command("run")(run_cmd.run)
app.command("serve")(serve_cmd.serve)
app.command("worker")(worker_cmd.worker)
app.command("inspect")(inspect_cmd.inspect)
app.command("validate")(validate_cmd.validate)
app.command("translate")(translate_cmd.translate)
app.command("render")(render_cmd.render)
app.add_typer(messages_cmd.app, name="messages")
app.add_typer(dlq_cmd.app, name="dlq")
app.add_typer(acks_cmd.app, name="acks")
app.add_typer(connectors_cmd.app, name="connectors")
app.add_typer(mappings_cmd.app, name="mappings")
schemas_cmd.app.command("export")(canonical_cmd.export)
app.add_typer(schemas_cmd.app, name="schemas")
app.add_typer(sync_cmd.app, name="sync")
app.add_typer(db_cmd.app, name="db")


def _default_config() -> Path | None:
    env = os.environ.get("B2BBRIDGE_CONFIG")
    if env:
        return Path(env)
    here = Path("b2bbridge.toml")
    return here if here.exists() else None


@app.callback()
def root(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="Settings file (TOML). Default: $B2BBRIDGE_CONFIG, else ./b2bbridge.toml, "
            "else built-in defaults.",
        ),
    ] = None,
    log_level: Annotated[
        str | None, typer.Option(help="debug, info, warning or error (overrides the file).")
    ] = None,
) -> None:
    """Global options; every command reads the same settings."""
    try:
        settings = load_settings(config or _default_config())
    except B2BError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if log_level:
        settings = settings.model_copy(update={"log_level": log_level})
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    ctx.obj = CliState(settings=settings)


def main() -> None:
    app()
