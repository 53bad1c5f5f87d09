"""Partner profiles (``connectors/partners/*.yaml``) and connectors (``connectors/*.yaml``)."""

from __future__ import annotations

from pathlib import Path

from b2bbridge.adapters.connectors.base import ConnectorDefinition
from b2bbridge.adapters.files.yamlfile import load_model
from b2bbridge.core.partner import PartnerDirectory, PartnerProfile


def load_partners(connectors_dir: Path) -> PartnerDirectory:
    """Every partner profile under ``connectors_dir/partners``; none is a valid answer."""
    folder = connectors_dir / "partners"
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")) if folder.is_dir() else []
    return PartnerDirectory(load_model(p, PartnerProfile) for p in files)


def load_connector_definitions(connectors_dir: Path) -> list[ConnectorDefinition]:
    """Every connector definition directly under ``connectors_dir``, sorted by file name."""
    if not connectors_dir.is_dir():
        return []
    files = sorted(connectors_dir.glob("*.yaml")) + sorted(connectors_dir.glob("*.yml"))
    return [load_model(p, ConnectorDefinition, extra={"source": str(p)}) for p in files]
