"""Every connector kind documents itself the same way, and registers the name it is listed under."""

import importlib

import pytest

from b2bbridge.adapters.connectors.base import _REGISTRY, KIND_MODULES


@pytest.mark.parametrize("kind", sorted(KIND_MODULES))
def test_each_kind_module_documents_features_connection_and_options(kind: str) -> None:
    doc = importlib.import_module(KIND_MODULES[kind]).__doc__ or ""
    positions = [doc.find(f"\n{section}\n") for section in ("Features", "Connection", "Options")]
    assert -1 not in positions, f"{KIND_MODULES[kind]} lacks a section"
    assert positions == sorted(positions)


@pytest.mark.parametrize("kind", sorted(KIND_MODULES))
def test_importing_a_kind_module_registers_that_kind(kind: str) -> None:
    importlib.import_module(KIND_MODULES[kind])
    assert kind in _REGISTRY
