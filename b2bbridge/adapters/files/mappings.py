"""Mapping tables from ``mappings/``: read on first use, compiled once, cached by name.

The core's loader takes text; this adapter is the only place that opens mapping files,
and it resolves ``extends:`` targets and code tables relative to the mappings folder.
"""

from __future__ import annotations

from pathlib import Path

from b2bbridge.core.errors import ConfigError
from b2bbridge.core.location import Location
from b2bbridge.core.mapping.loader import load_mapping
from b2bbridge.core.mapping.spec import MappingSpec


class FileMappingCatalog:
    """The MappingCatalog port over a folder of mapping files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[str, MappingSpec] = {}

    def _read(self, name: str) -> str:
        path = (self.root / name).resolve()
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(
                f"mapping file {name} cannot be read under {self.root}: {exc.strerror}",
                code="mapping_file_missing",
                location=Location(file=str(path)),
            ) from exc

    def get(self, name: str) -> MappingSpec:
        spec = self._cache.get(name)
        if spec is None:
            spec = load_mapping(self._read(name), source_name=name, resolve=self._read)
            self._cache[name] = spec
        return spec

    def names(self) -> list[str]:
        return sorted(
            str(p.relative_to(self.root))
            for p in self.root.rglob("*.yaml")
            if "codes" not in p.relative_to(self.root).parts
        )
