"""X12 943 and 947, EDIFACT D.96A ORDRSP, ORDCHG, INVRPT, RECADV and the D.01B directory.

Each set has a small valid fixture that must validate clean, and broken copies of it
(a mandatory segment left out, a group repeated past its maximum, a bad code or value)
whose findings are pinned down to code, segment and position. Positions count as in a
997 AK302 or a CONTRL UCS: the ST/UNH segment is 1.
"""

from __future__ import annotations

import pytest
from schemas_support import (
    CATALOG,
    REPO,
    Brief,
    brief_of,
    broken_copy_brief,
    check_clean_fixture,
    fixture,
    problems_of,
    transactions,
)

from b2bbridge.core.mapping.marks import Mark
from b2bbridge.core.schemas.catalog import TextSchemaCatalog
from b2bbridge.core.schemas.dictionary import Dictionary, load_dictionary

NEW_FILES = [
    "x12/004010/943.yaml",
    "x12/004010/947.yaml",
    "x12/005010/943.yaml",
    "x12/005010/947.yaml",
    "edifact/D96A/ORDRSP.yaml",
    "edifact/D96A/ORDCHG.yaml",
    "edifact/D96A/INVRPT.yaml",
    "edifact/D96A/RECADV.yaml",
    *(
        f"edifact/D01B/{s}.yaml"
        for s in ("ORDERS", "ORDRSP", "ORDCHG", "DESADV", "INVOIC", "INVRPT", "RECADV", "APERAK")
    ),
]

# fixture -> the schema file the catalog must pick for it
FIXTURE_SCHEMAS = {
    "943_4010_stock_transfer_shipment.edi": "x12/004010/943.yaml",
    "947_4010_inventory_adjustment.edi": "x12/004010/947.yaml",
    "ordrsp_d96a_response.edi": "edifact/D96A/ORDRSP.yaml",
    "ordchg_d96a_change.edi": "edifact/D96A/ORDCHG.yaml",
    "invrpt_d96a_stock.edi": "edifact/D96A/INVRPT.yaml",
    "recadv_d96a_receipt.edi": "edifact/D96A/RECADV.yaml",
    "orders_d01b_order.edi": "edifact/D01B/ORDERS.yaml",
    "ordrsp_d01b_response.edi": "edifact/D01B/ORDRSP.yaml",
    "ordchg_d01b_change.edi": "edifact/D01B/ORDCHG.yaml",
    "desadv_d01b_despatch.edi": "edifact/D01B/DESADV.yaml",
    "invoic_d01b_invoice.edi": "edifact/D01B/INVOIC.yaml",
    "invrpt_d01b_stock.edi": "edifact/D01B/INVRPT.yaml",
    "recadv_d01b_receipt.edi": "edifact/D01B/RECADV.yaml",
    "aperak_d01b_error.edi": "edifact/D01B/APERAK.yaml",
}

RFF10 = "RFF+AAK:X'\n" * 10
MARK = Mark("test", 1, 1)

# (fixture, text to replace, replacement, expected findings)
BROKEN: list[tuple[str, str, str, Brief]] = [
    # X12 943: W27 is mandatory; the N1 loop repeats at most 10 times; G62 needs a real date.
    (
        "943_4010_stock_transfer_shipment.edi",
        "W27*M*ABCD*ROUTE 66*PP~\n",
        "",
        [("segment_missing", "W27", 7, None)],
    ),
    (
        "943_4010_stock_transfer_shipment.edi",
        "N1*SF*ACME FACTORY~\n",
        "N1*SF*ACME FACTORY~\n" * 11,
        [("loop_over_max", "N1", 13, None), ("loop_over_max", "N1", 14, None)],
    ),
    (
        "943_4010_stock_transfer_shipment.edi",
        "G62*17*20261125",
        "G62*17*20261131",
        [("element_invalid_date", "G62", 6, 2)],
    ),
    # X12 947: W15 and the N1 loop are mandatory; the N1 loop repeats at most 100 times;
    # W1902 is a number; W1502 and W1503 come together (P0203); W1910 needs its
    # qualifier and unit (C101112); the W19 loop is not inside an LX loop in 004010.
    (
        "947_4010_inventory_adjustment.edi",
        "W15*20261121*ADJ-1001*DEP-77~\n",
        "",
        [("segment_missing", "W15", 2, None)],
    ),
    (
        "947_4010_inventory_adjustment.edi",
        "N1*WH*RENO DC*9*0012345670000~\n",
        "",
        [("segment_missing", "N1", 3, None)],
    ),
    (
        "947_4010_inventory_adjustment.edi",
        "N1*WH*RENO DC*9*0012345670000~\n",
        "N1*WH*RENO DC*9*0012345670000~\n" * 101,
        [("loop_over_max", "N1", 103, None)],
    ),
    (
        "947_4010_inventory_adjustment.edi",
        "W19*AA*-2*",
        "W19*AA*-2X*",
        [("element_not_numeric", "W19", 6, 2)],
    ),
    (
        "947_4010_inventory_adjustment.edi",
        "*ADJ-1001*DEP-77~",
        "*ADJ-1001~",
        [("element_conditional_missing", "W15", 2, 3)],
    ),
    (
        "947_4010_inventory_adjustment.edi",
        "W19*AB*3*EA**VN*GADGET-2~",
        "W19*AB*3*EA**VN*GADGET-2****120~",
        [
            ("element_conditional_missing", "W19", 8, 11),
            ("element_conditional_missing", "W19", 8, 12),
        ],
    ),
    (
        "947_4010_inventory_adjustment.edi",
        "G62*11*20261121~\n",
        "G62*11*20261121~\nLX*1~\n",
        [("segment_unexpected", "LX", 6, None)],
    ),
    # D.96A ORDRSP: UNS is mandatory; SG2 (AJT) occurs once; UNS01 is D or S.
    ("ordrsp_d96a_response.edi", "UNS+S'\n", "", [("segment_missing", "UNS", 18, None)]),
    (
        "ordrsp_d96a_response.edi",
        "AJT+AB+1'\n",
        "AJT+AB+1'\nAJT+AB+2'\n",
        [("loop_over_max", "AJT", 7, None)],
    ),
    ("ordrsp_d96a_response.edi", "UNS+S", "UNS+X", [("element_invalid_code", "UNS", 18, 1)]),
    # D.96A ORDCHG: BGM is mandatory; SG1 (RFF) max 10.
    ("ordchg_d96a_change.edi", "BGM+230+CHG-17+5'\n", "", [("segment_missing", "BGM", 2, None)]),
    (
        "ordchg_d96a_change.edi",
        "RFF+ON:PO-1001'\n",
        "RFF+ON:PO-1001'\n" + RFF10,
        [("loop_over_max", "RFF", 14, None)],
    ),
    ("ordchg_d96a_change.edi", "UNS+S", "UNS+X", [("element_invalid_code", "UNS", 13, 1)]),
    # D.96A INVRPT: DTM is mandatory; SG1 max 10; quantities are numeric.
    ("invrpt_d96a_stock.edi", "DTM+137:20261122:102'\n", "", [("segment_missing", "DTM", 3, None)]),
    (
        "invrpt_d96a_stock.edi",
        "RFF+AAK:DESADV-4'\n",
        "RFF+AAK:DESADV-4'\n" + RFF10,
        [("loop_over_max", "RFF", 14, None)],
    ),
    (
        "invrpt_d96a_stock.edi",
        "QTY+17:120.5:PCE",
        "QTY+17:12O.5:PCE",
        [("element_not_numeric", "QTY", 13, 1)],
    ),
    # D.96A RECADV: BGM is mandatory; SG1 max 10; the control value is numeric.
    ("recadv_d96a_receipt.edi", "BGM+632+REC-204+9'\n", "", [("segment_missing", "BGM", 2, None)]),
    (
        "recadv_d96a_receipt.edi",
        "RFF+AAK:DESADV-4'\n",
        "RFF+AAK:DESADV-4'\n" + RFF10,
        [("loop_over_max", "RFF", 15, None)],
    ),
    ("recadv_d96a_receipt.edi", "CNT+2:2", "CNT+2:two", [("element_not_numeric", "CNT", 16, 1)]),
    # D.01B ORDERS: UNS is mandatory; SG7 (CUX) max 5; UNS01 is D or S.
    ("orders_d01b_order.edi", "UNS+S'\n", "", [("segment_missing", "UNS", 21, None)]),
    (
        "orders_d01b_order.edi",
        "CUX+2:EUR:9'\n",
        "CUX+2:EUR:9'\n" * 6,
        [("loop_over_max", "CUX", 16, None)],
    ),
    ("orders_d01b_order.edi", "UNS+S", "UNS+X", [("element_invalid_code", "UNS", 21, 1)]),
    # D.01B ORDRSP: BGM is mandatory; the line's AJT group (SG29) occurs once.
    (
        "ordrsp_d01b_response.edi",
        "BGM+231+ACK-3002:1+4'\n",
        "",
        [("segment_missing", "BGM", 2, None)],
    ),
    (
        "ordrsp_d01b_response.edi",
        "AJT+AB'\nFTX",
        "AJT+AB'\nAJT+AC'\nFTX",
        [("loop_over_max", "AJT", 13, None)],
    ),
    ("ordrsp_d01b_response.edi", "UNS+S", "UNS+X", [("element_invalid_code", "UNS", 19, 1)]),
    # D.01B ORDCHG: UNS is mandatory; the header AJT group (SG2) occurs once.
    ("ordchg_d01b_change.edi", "UNS+S'\n", "", [("segment_missing", "UNS", 10, None)]),
    (
        "ordchg_d01b_change.edi",
        "DTM+171:20261121:102'\n",
        "DTM+171:20261121:102'\nAJT+AB'\nAJT+AC'\n",
        [("loop_over_max", "AJT", 7, None)],
    ),
    ("ordchg_d01b_change.edi", "UNS+S", "UNS+X", [("element_invalid_code", "UNS", 10, 1)]),
    # D.01B DESADV: BGM is mandatory; SG1 max 10; the control value is numeric.
    (
        "desadv_d01b_despatch.edi",
        "BGM+351+DES-55:1+9'\n",
        "",
        [("segment_missing", "BGM", 2, None)],
    ),
    (
        "desadv_d01b_despatch.edi",
        "RFF+ON:PO-2001'\n",
        "RFF+ON:PO-2001'\n" + RFF10,
        [("loop_over_max", "RFF", 15, None)],
    ),
    ("desadv_d01b_despatch.edi", "CNT+2:2", "CNT+2:two", [("element_not_numeric", "CNT", 16, 1)]),
    # D.01B INVOIC: UNS is mandatory; the header AJT group (SG23) occurs once.
    ("invoic_d01b_invoice.edi", "UNS+S'\n", "", [("segment_missing", "UNS", 16, None)]),
    (
        "invoic_d01b_invoice.edi",
        "LIN+1++",
        "AJT+AB'\nAJT+AC'\nLIN+1++",
        [("loop_over_max", "AJT", 12, None)],
    ),
    ("invoic_d01b_invoice.edi", "UNS+S", "UNS+X", [("element_invalid_code", "UNS", 16, 1)]),
    # D.01B INVRPT: DTM is mandatory; SG1 max 10; 4501 is an..3.
    ("invrpt_d01b_stock.edi", "DTM+137:20261122:102'\n", "", [("segment_missing", "DTM", 3, None)]),
    (
        "invrpt_d01b_stock.edi",
        "DTM+137:20261122:102'\n",
        "DTM+137:20261122:102'\n" + RFF10 + "RFF+AAK:X'\n",
        [("loop_over_max", "RFF", 14, None)],
    ),
    (
        "invrpt_d01b_stock.edi",
        "INV+2+1++1",
        "INV+2222+1++1",
        [("element_too_long", "INV", 8, 1)],
    ),
    # D.01B RECADV: BGM is mandatory; SG1 max 10; the control value is numeric.
    (
        "recadv_d01b_receipt.edi",
        "BGM+632+REC-205:1+9'\n",
        "",
        [("segment_missing", "BGM", 2, None)],
    ),
    (
        "recadv_d01b_receipt.edi",
        "RFF+AAK:DES-55'\n",
        "RFF+AAK:DES-55'\n" + RFF10,
        [("loop_over_max", "RFF", 14, None)],
    ),
    ("recadv_d01b_receipt.edi", "CNT+2:1", "CNT+2:one", [("element_not_numeric", "CNT", 13, 1)]),
    # D.01B APERAK: BGM is mandatory; SG2 (RFF) max 9; the error code is an..8.
    ("aperak_d01b_error.edi", "BGM+313+ERR-1:1+27'\n", "", [("segment_missing", "BGM", 2, None)]),
    (
        "aperak_d01b_error.edi",
        "RFF+ACW:INV-9001'\n",
        "RFF+ACW:INV-9001'\n" + "RFF+ACW:X'\n" * 9,
        [("loop_over_max", "RFF", 13, None)],
    ),
    ("aperak_d01b_error.edi", "ERC+12", "ERC+123456789", [("element_too_long", "ERC", 7, 1)]),
]


def test_every_new_schema_file_loads_and_the_shipped_set_checks_clean() -> None:
    catalog = TextSchemaCatalog(CATALOG.resolve, CATALOG.names)
    for name in NEW_FILES:
        assert catalog.load(name).source == name
    assert catalog.check() == []


@pytest.mark.parametrize("name", sorted(FIXTURE_SCHEMAS))
def test_valid_fixture_of_each_new_set_validates_clean(name: str) -> None:
    check_clean_fixture(name, FIXTURE_SCHEMAS[name])


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"), BROKEN, ids=[f"{b[0]}-{i}" for i, b in enumerate(BROKEN)]
)
def test_broken_copy_of_a_fixture_reports_exactly_its_defect(
    name: str, old: str, new: str, expected: Brief
) -> None:
    assert broken_copy_brief(name, old, new) == expected


def test_every_new_set_has_a_missing_segment_an_over_max_and_a_bad_value_case() -> None:
    kinds: dict[str, set[str]] = {}
    for name, _old, _new, expected in BROKEN:
        for code, *_ in expected:
            over = "over" if code.endswith("over_max") else "bad"
            kind = "missing" if code == "segment_missing" else over
            kinds.setdefault(name, set()).add(kind)
    assert set(kinds) == set(FIXTURE_SCHEMAS)
    assert all(found == {"missing", "over", "bad"} for found in kinds.values())


@pytest.mark.parametrize(
    "name", ["943_4010_stock_transfer_shipment.edi", "947_4010_inventory_adjustment.edi"]
)
def test_005010_copy_of_a_warehouse_fixture_uses_the_005010_schema_and_is_clean(
    name: str,
) -> None:
    data = fixture(name).replace(b"*00401*", b"*00501*").replace(b"*X*004010~", b"*X*005010~")
    [tx] = transactions(data)
    schema = CATALOG.schema_for(tx.header.type, tx.header.version or "")
    assert schema is not None
    assert (schema.version, schema.source) == ("005010", f"x12/005010/{tx.header.type}.yaml")
    assert problems_of(data) == [[]]


def test_d01b_inventory_quantity_without_its_inv_trigger_is_out_of_place() -> None:
    # D.01B starts each quantity group of a line with INV; D.96A started it with QTY.
    data = fixture("invrpt_d01b_stock.edi").replace(b"INV+1'\n", b"")
    assert brief_of(data) == [("segment_out_of_order", "QTY", 11, None)]


def test_d01b_order_checked_as_d96a_reports_what_d96a_lacks() -> None:
    data = fixture("orders_d01b_order.edi").replace(b":D:01B:", b":D:96A:")
    found = brief_of(data)
    assert ("element_too_many_components", "BGM", 2, 2) in found  # C106 is D.01B
    assert ("segment_unexpected", "GIR", 5, None) in found  # no header GIR in D.96A
    assert ("segment_unrecognized", "CCI", 16, None) in found  # no CCI in D.96A
    assert problems_of(fixture("orders_d01b_order.edi")) == [[]]


@pytest.mark.parametrize(
    ("set_id", "version", "expected"),
    [
        ("ORDERS", "D:01B:UN:EAN010", "edifact/D01B/ORDERS.yaml"),
        ("ORDERS", "D:03B:UN", "edifact/D01B/ORDERS.yaml"),
        ("RECADV", "D:10A:UN", "edifact/D01B/RECADV.yaml"),
        ("ORDERS", "D:01A:UN", "edifact/D96A/ORDERS.yaml"),
        ("INVRPT", "D:97B:UN", "edifact/D96A/INVRPT.yaml"),
        ("ORDRSP", "D:93A:UN", None),
        ("CONTRL", "D:3:UN", "edifact/22/CONTRL.yaml"),
        ("CONTRL", "2:2:UN", "edifact/22/CONTRL.yaml"),
        ("CONTRL", "4:1:UN", "edifact/41/CONTRL.yaml"),
        ("947", "004010", "x12/004010/947.yaml"),
        ("943", "005010", "x12/005010/943.yaml"),
        ("943", "003050", None),
    ],
)
def test_catalog_picks_the_newest_schema_not_newer_than_the_message(
    set_id: str, version: str, expected: str | None
) -> None:
    assert CATALOG.file_for(set_id, version) == expected


@pytest.mark.parametrize("name", ["edifact-ORDRSP.edi", "edifact-INVRPT.edi"])
def test_outbound_d96a_order_response_and_inventory_report_are_valid(name: str) -> None:
    data = (REPO / "mappings" / "tests" / "outbound" / name).read_bytes()
    assert problems_of(data) == [[]]


def test_d01b_dictionary_redefines_changed_segments_and_inherits_the_rest() -> None:
    def dictionary(release: str) -> Dictionary:
        name = f"edifact/{release}/dictionary.yaml"
        return load_dictionary(CATALOG.resolve(name), name, CATALOG.resolve)

    d96a, d01b = dictionary("D96A"), dictionary("D01B")
    assert [u.ref for u in d96a.segment("BGM", MARK).elements][:2] == ["C002", "1004"]
    assert [u.ref for u in d01b.segment("BGM", MARK).elements][:2] == ["C002", "C106"]
    assert d01b.segment("UCI", MARK) == d96a.segment("UCI", MARK)  # CONTRL's, inherited
    assert "CCI" in d01b.segment_tags
    assert "CCI" not in d96a.segment_tags
