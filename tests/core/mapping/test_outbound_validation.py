"""Outbound EDI passes structure validation against the shipped schemas in schemas/.

Every shipped EDI map's golden output is checked, the D.96A ORDRSP and INVRPT included.
The 004010 dictionary has no TXI segment yet, so the 810's TXI (valid X12) is the one
problem tolerated until it is added.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mapping_support import REPO
from outbound_support import (
    CATALOG,
    GOLDEN,
    fixture,
    golden_cases,
    load_outbound,
    read_back,
    render,
    structure_problems,
)

from b2bbridge.core.errors import Problem
from b2bbridge.core.model import Pack, Shipment, ShippedItem, ShippedOrder

CASES = [c for c in golden_cases() if c["expected"].endswith(".edi")]


def _problems(text: str) -> list[Problem]:
    transactions, problems = read_back(text)
    assert len(transactions) == 1
    return problems + structure_problems(transactions[0])


def _not_txi(problems: list[Problem]) -> list[tuple[str, str]]:
    return [
        (p.code, p.message)
        for p in problems
        if not (p.code == "segment_unrecognized" and p.message.startswith("TXI "))
    ]


@pytest.mark.parametrize("case", CASES, ids=[c["expected"] for c in CASES])
def test_golden_output_is_valid_against_its_message_schema(case: dict[str, str]) -> None:
    text = Path(GOLDEN / case["expected"]).read_text(encoding="utf-8")
    assert _not_txi(_problems(text)) == []


def test_every_shipped_edi_map_has_a_schema_to_check_against() -> None:
    assert {c["map"] for c in CASES} == {
        "x12/850-out.yaml", "x12/855.yaml", "x12/856.yaml", "x12/810.yaml", "x12/846.yaml",
        "edifact/DESADV.yaml", "edifact/INVOIC.yaml", "edifact/ORDRSP.yaml",
        "edifact/INVRPT.yaml",
    }  # fmt: skip


@pytest.mark.parametrize("name", ["edifact-ORDRSP.edi", "edifact-INVRPT.edi"])
def test_d96a_ordrsp_and_invrpt_are_checked_against_a_d96a_schema(name: str) -> None:
    text = Path(GOLDEN / name).read_text(encoding="utf-8")
    [tx], _ = read_back(text)
    chosen = CATALOG.file_for(tx.header.type, tx.header.version or "")
    assert chosen is not None
    assert chosen.startswith("edifact/D96A/")
    # A broken copy (the mandatory BGM dropped) is caught, so the check is a real one.
    broken = "".join(line for line in text.splitlines(True) if not line.startswith("BGM+"))
    assert "segment_missing" in [p.code for p in _problems(broken)]


def test_partner_005010_856_is_valid_against_the_005010_schema() -> None:
    extra = {
        "partners/acme-856.yaml": (REPO / "tests/fixtures/outbound/partner-856.yaml").read_text(),
        "codes/acme_units.csv": (REPO / "tests/fixtures/outbound/acme_units.csv").read_text(),
    }
    spec = load_outbound("partners/acme-856.yaml", extra)
    assert _problems(render(spec, fixture(spec, "shipment"))) == []


def test_856_of_a_minimal_shipment_is_still_valid() -> None:
    spec = load_outbound("x12/856.yaml")
    item = ShippedItem(quantity=1)
    doc = Shipment.model_validate(
        {"number": "S-1", "ship_date": "2026-01-02",
         "orders": [ShippedOrder(order_number="PO-1", packs=[Pack(items=[item])])]}
    )  # fmt: skip
    assert _problems(render(spec, doc)) == []
