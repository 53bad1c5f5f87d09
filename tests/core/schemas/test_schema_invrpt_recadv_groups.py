"""INVRPT and RECADV of D.96A and D.01B follow the segment tables of their directories.

Each fixture uses the groups the published tables define and earlier schemas lacked
(INVRPT: the package view SG6-SG8, GIN and STS in the quantity group SG11, its owner,
price, reference and packaging groups SG12-SG17, D.01B's SG18 GIR; RECADV: attached
equipment SG14, package variances and identity numbers SG17-SG21, the line's SG23-SG32,
D.01B's GEI/MOA references). Broken copies pin the exact finding; positions count from
UNH = 1 as in a CONTRL UCS.
"""

from __future__ import annotations

import pytest
from schemas_support import (
    Brief,
    brief_of,
    broken_copy_brief,
    check_clean_fixture,
    fixture,
    problems_of,
)

FIXTURE_SCHEMAS = {
    "invrpt_d96a_packages.edi": "edifact/D96A/INVRPT.yaml",
    "invrpt_d01b_packages.edi": "edifact/D01B/INVRPT.yaml",
    "recadv_d96a_equipment.edi": "edifact/D96A/RECADV.yaml",
    "recadv_d01b_equipment.edi": "edifact/D01B/RECADV.yaml",
}

NAD_GO = "NAD+GO+5412345000013::9'\n"

# (fixture, text to replace, replacement, expected findings)
BROKEN: list[tuple[str, str, str, Brief]] = [
    # GIN belongs to the quantity group (SG11) or the package groups, never to LIN's own level.
    (
        "invrpt_d96a_packages.edi",
        "PIA+5+WIDGET-1:SA'\n",
        "PIA+5+WIDGET-1:SA'\nGIN+BX+LOT-A1'\n",
        [("segment_unexpected", "GIN", 18, None)],
    ),
    # D.96A has no header FTX and no CNT (D.01B added the FTX).
    (
        "invrpt_d96a_packages.edi",
        "BGM+35+INV-90+9'\n",
        "BGM+35+INV-90+9'\nFTX+AAI+++NOTE'\n",
        [("segment_unexpected", "FTX", 3, None)],
    ),
    # SG12 (owner of the stock) repeats at most 5 times per quantity.
    ("invrpt_d96a_packages.edi", NAD_GO, NAD_GO * 6, [("loop_over_max", "NAD", 32, None)]),
    # STS may occur 9 times in SG11.
    (
        "invrpt_d96a_packages.edi",
        "STS+1+ACC'\n",
        "STS+1+ACC'\n" * 10,
        [("segment_over_max", "STS", 35, None)],
    ),
    # D.01B: INV triggers SG11 and its QTY is mandatory.
    (
        "invrpt_d01b_packages.edi",
        "INV+2'\nQTY+145:12:PCE'\n",
        "INV+2'\n",
        [("segment_missing", "QTY", 44, None)],
    ),
    # D.01B: SG18 (GIR-DTM) sits inside the package identification group SG17 only.
    (
        "invrpt_d01b_packages.edi",
        "PIA+5+WIDGET-1:SA'\n",
        "PIA+5+WIDGET-1:SA'\nGIR+3+LABEL-9:BN'\n",
        [("segment_unexpected", "GIR", 19, None)],
    ),
    # RECADV SG4 (parties) is the one mandatory group of the message.
    (
        "recadv_d96a_equipment.edi",
        "NAD+SU+5412345000013::9'\nNAD+DP+5412345000099::9'\nLOC+7+RENO-1'\n"
        "RFF+VA:BE0123456789'\nCTA+RD+:RECEIVING'\nCOM+3212345678:TE'\n",
        "",
        [("segment_missing", "NAD", 8, None)],
    ),
    # RECADV SG13: the seal's CDI is mandatory; its absence shows at the next segment.
    (
        "recadv_d96a_equipment.edi",
        "SEL+S-123'\nCDI+1'\n",
        "SEL+S-123'\n",
        [("segment_missing", "CDI", 22, None)],
    ),
    # D.01B's SG1 carries amounts (MOA); D.96A's is RFF-DTM only.
    (
        "recadv_d96a_equipment.edi",
        "RFF+AAK:DES-55'\nDOC",
        "RFF+AAK:DES-55'\nMOA+128:1725.00'\nDOC",
        [("segment_unexpected", "MOA", 6, None)],
    ),
    # D.01B RECADV: SG4 repeats at most 99 times.
    (
        "recadv_d01b_equipment.edi",
        "NAD+DP+5412345000099::9'\n",
        "NAD+DP+5412345000099::9'\n" * 99,
        [("loop_over_max", "NAD", 108, None)],
    ),
]


@pytest.mark.parametrize("name", sorted(FIXTURE_SCHEMAS))
def test_message_using_the_published_groups_validates_clean(name: str) -> None:
    check_clean_fixture(name, FIXTURE_SCHEMAS[name])


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"), BROKEN, ids=[f"{b[0]}-{i}" for i, b in enumerate(BROKEN)]
)
def test_message_breaking_the_published_structure_gets_the_exact_finding(
    name: str, old: str, new: str, expected: Brief
) -> None:
    assert broken_copy_brief(name, old, new) == expected


def test_a_code_list_identification_longer_than_three_is_d01b_only() -> None:
    """1131 is an..3 (code list qualifier) in D.96A and an..17 in D.01B."""
    long_list = "PIA+5+WIDGET-1:SA:GS1-ITEMLIST'\n"
    d96a = fixture("invrpt_d96a_packages.edi").replace(
        b"PIA+5+WIDGET-1:SA'\n", long_list.encode(), 1
    )
    d01b = fixture("invrpt_d01b_packages.edi").replace(
        b"PIA+5+WIDGET-1:SA'\n", long_list.encode(), 1
    )
    assert [code for code, *_ in brief_of(d96a)] == ["element_too_long"]
    assert problems_of(d01b) == [[]]
