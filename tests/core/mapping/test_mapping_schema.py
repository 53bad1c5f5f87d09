from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from mapping_support import MAPPINGS, REPO

from b2bbridge.core.mapping.spec import mapping_json_schema

SCHEMA_FILE = REPO / "schemas" / "mapping.schema.json"
MAP_FILES = sorted(
    p
    for p in MAPPINGS.rglob("*.yaml")
    if "tests" not in p.relative_to(MAPPINGS).parts
    if (yaml.safe_load(p.read_text()) or {}).get("direction") != "outbound"
)  # outbound maps have their own schema


def test_shipped_schema_matches_the_mapping_model() -> None:
    assert SCHEMA_FILE.read_text() == mapping_json_schema()


@pytest.mark.parametrize("path", MAP_FILES, ids=lambda p: str(p.relative_to(MAPPINGS)))
def test_shipped_mapping_files_pass_the_schema(path: object) -> None:
    schema = json.loads(SCHEMA_FILE.read_text())
    jsonschema.validate(yaml.safe_load(path.read_text()), schema)  # type: ignore[attr-defined]


def test_schema_refuses_an_unknown_top_level_key() -> None:
    schema = json.loads(SCHEMA_FILE.read_text())
    with pytest.raises(jsonschema.ValidationError, match="colour"):
        jsonschema.validate({"format": "x12", "colour": "blue"}, schema)


def test_there_are_shipped_maps_to_check() -> None:
    assert {p.name for p in MAP_FILES} >= {"850.yaml", "ORDERS.yaml"}
