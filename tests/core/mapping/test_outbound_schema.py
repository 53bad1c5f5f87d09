"""The outbound-map JSON Schema is current, and every shipped outbound map passes it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from mapping_support import MAPPINGS, REPO
from outbound_support import FIXTURES, load_outbound

from b2bbridge.core.mapping.outbound_spec import outbound_json_schema

SCHEMA_FILE = REPO / "schemas" / "outbound-mapping.schema.json"
OUTBOUND = sorted(
    p
    for p in MAPPINGS.rglob("*.yaml")
    if (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("direction") == "outbound"
)


def test_shipped_schema_matches_the_outbound_model() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == outbound_json_schema()


@pytest.mark.parametrize("path", OUTBOUND, ids=lambda p: str(p.relative_to(MAPPINGS)))
def test_shipped_outbound_map_passes_the_schema_and_loads(path: Path) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
    spec = load_outbound(str(path.relative_to(MAPPINGS)))
    assert spec.body or spec.root is not None


def test_partner_override_fixture_passes_the_schema() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = yaml.safe_load((FIXTURES / "partner-856.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["extends"] == "x12/856.yaml"


def test_schema_refuses_a_segment_tag_in_lower_case() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"body": [{"segment": "bsn"}]}, schema)


def test_every_promised_outbound_map_is_shipped() -> None:
    names = {str(p.relative_to(MAPPINGS)) for p in OUTBOUND}
    assert names >= {
        "x12/855.yaml", "x12/856.yaml", "x12/810.yaml", "x12/846.yaml", "x12/850-out.yaml",
        "edifact/ORDRSP.yaml", "edifact/DESADV.yaml", "edifact/INVOIC.yaml",
        "edifact/INVRPT.yaml", "cxml/ConfirmationRequest.yaml", "cxml/ShipNoticeRequest.yaml",
    }  # fmt: skip
