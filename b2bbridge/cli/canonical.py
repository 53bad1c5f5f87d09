"""``b2bbridge schemas export``: the JSON Schema of each canonical document, as files.

Editors and partners' developers read ``schemas/canonical/*.json`` to know what a
canonical document holds; a test fails when the checked-in files differ from the models,
so run this after changing a model and commit the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from b2bbridge.cli.console import console
from b2bbridge.core.model.schemas import canonical_json_schemas

app = typer.Typer(help="JSON Schemas of the canonical documents.", no_args_is_help=True)


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema to ``folder``; remove stale ``*.schema.json`` files; return changed."""
    folder.mkdir(parents=True, exist_ok=True)
    schemas = canonical_json_schemas()
    changed = []
    for name, text in schemas.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    for stale in sorted(folder.glob("*.schema.json")):
        if stale.name not in schemas:
            stale.unlink()
            changed.append(stale)
    return changed


@app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="Folder to write to.")] = Path(
        "schemas/canonical"
    ),
) -> None:
    """Write the JSON Schema of each canonical document to schemas/canonical/.

    Example: b2bbridge schemas export --out schemas/canonical
    """
    changed = write_schemas(out)
    for path in changed:
        console.print(f"wrote {path}" if path.exists() else f"removed {path}")
    console.print(f"{len(canonical_json_schemas())} schemas in {out}, {len(changed)} changed")
