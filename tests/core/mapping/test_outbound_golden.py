"""Every golden pair in mappings/tests/outbound renders to exactly its expected text."""

from __future__ import annotations

import pytest
from outbound_support import GOLDEN, fixture, golden_cases, load_outbound, render

CASES = golden_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["expected"] for c in CASES])
def test_golden_document_renders_to_its_expected_text(case: dict[str, str]) -> None:
    spec = load_outbound(case["map"])
    doc = fixture(spec, case["input"].removesuffix(".json"))
    expected = (GOLDEN / case["expected"]).read_text(encoding="utf-8")
    assert render(spec, doc) == expected


def test_every_outbound_map_has_a_golden_case() -> None:
    maps = {c["map"] for c in CASES}
    assert maps >= {
        "x12/855.yaml", "x12/856.yaml", "x12/810.yaml", "x12/846.yaml",
        "edifact/ORDRSP.yaml", "edifact/DESADV.yaml", "edifact/INVOIC.yaml",
        "edifact/INVRPT.yaml", "cxml/ConfirmationRequest.yaml", "cxml/ShipNoticeRequest.yaml",
    }  # fmt: skip
