"""Shared CLI state and consoles: results go to stdout, diagnostics and logs to stderr."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import typer
from rich.console import Console

from b2bbridge.bootstrap import App, build_app
from b2bbridge.config import Settings
from b2bbridge.core.errors import B2BError


def _console(*, stderr: bool = False) -> Console:
    """A console that does not squeeze tables to 80 columns when output is piped to a file."""
    c = Console(stderr=stderr)
    return c if c.is_terminal else Console(stderr=stderr, width=200)


console = _console()
err_console = _console(stderr=True)


@dataclass
class CliState:
    settings: Settings


@contextmanager
def opened_app(ctx: typer.Context, *, migrate: bool = True) -> Iterator[App]:
    """Build the app for a command; configuration errors exit 2 with one clear line."""
    state: CliState = ctx.obj
    try:
        app = build_app(state.settings, migrate=migrate)
    except B2BError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    try:
        yield app
    finally:
        app.close()
