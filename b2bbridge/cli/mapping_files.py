"""Where the mapping commands find their files: the settings' folders, or the options given."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer

from b2bbridge.cli.console import CliState


def settings_dir(ctx: typer.Context, given: Path | None, attribute: str, default: str) -> Path:
    """``given`` if set, else the folder the settings name, else ``default`` (for tests)."""
    if given is not None:
        return given
    state = ctx.obj
    if isinstance(state, CliState):
        found = getattr(state.settings, attribute, None)
        if isinstance(found, Path):
            return found
    return Path(default)


def text_resolver(root: Path) -> Callable[[str], str]:
    """A loader's ``resolve``: the text of ``root/name``; a missing file raises OSError."""
    return lambda name: (root / name).read_text(encoding="utf-8")


def mapping_names(root: Path) -> list[str]:
    """Every mapping file under ``root``, except code tables and the golden suites."""
    names = []
    for path in sorted(root.rglob("*.y*ml")):
        rel = path.relative_to(root)
        if rel.parts[0] not in ("codes", "tests"):
            names.append(rel.as_posix())
    return names
