"""Message schemas from the ``schemas/`` folder: the core's catalog over real files.

The core compiles schemas from text; this adapter is the one place that opens schema
files. Names are paths relative to the folder (``x12/004010/850.yaml``), so a schema's
``dictionary:`` and ``extends:`` read the same in every checkout.
"""

from __future__ import annotations

from pathlib import Path

from b2bbridge.core.schemas.catalog import TextSchemaCatalog

# Files under schemas/ that are not EDI structure schemas.
_NOT_SCHEMAS = frozenset({"canonical"})


def schema_names(root: Path) -> list[str]:
    """Every YAML file under ``root``, as a relative name with forward slashes."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.yaml")
        if not _NOT_SCHEMAS & set(p.relative_to(root).parts)
    )


class FileSchemaCatalog(TextSchemaCatalog):
    """The SchemaSource over a folder of schema and overlay files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        super().__init__(self._read, schema_names(root))

    def _read(self, name: str) -> str:
        path = (self.root / name).resolve()
        if self.root.resolve() not in path.parents:
            raise LookupError(f"{name} lies outside {self.root}")
        return path.read_text(encoding="utf-8")
