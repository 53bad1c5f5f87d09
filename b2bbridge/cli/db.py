"""``b2bbridge db``: the database schema."""

from __future__ import annotations

import typer

from b2bbridge.bootstrap import upgrade
from b2bbridge.cli.console import CliState, console, err_console
from b2bbridge.core.errors import B2BError

app = typer.Typer(help="Database schema commands.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_cmd(ctx: typer.Context) -> None:
    """Create or migrate the database schema to the latest version (alembic).

    Safe to run any number of times. Example: b2bbridge db upgrade
    """
    state: CliState = ctx.obj
    try:
        url = upgrade(state.settings)
    except B2BError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    console.print(f"database schema is up to date: {_redact(url)}")


def _redact(url: str) -> str:
    """Hide a password in a database URL before printing it."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in creds else url
