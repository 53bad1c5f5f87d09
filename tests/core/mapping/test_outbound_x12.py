"""Outbound X12 documents read back through the syntax layer with the right structure."""

from __future__ import annotations

from outbound_support import fixture, load_outbound, read_back, render, tags

from b2bbridge.core.edi.events import Transaction


def _one(map_name: str, doc_name: str) -> Transaction:
    spec = load_outbound(map_name)
    transactions, problems = read_back(render(spec, fixture(spec, doc_name)))
    assert problems == []
    assert len(transactions) == 1
    return transactions[0]


def _elements(tx: Transaction, tag: str) -> list[list[str]]:
    return [seg.values() for seg in tx.segments if seg.tag == tag]


def test_855_reads_back_with_one_po1_and_ack_per_line_and_ctt_counting_them() -> None:
    tx = _one("x12/855.yaml", "acknowledgement")
    assert tx.header.type == "855"
    assert tags(tx) == ["ST", "BAK", "PO1", "ACK", "PO1", "ACK", "PO1", "ACK", "CTT", "SE"]
    assert _elements(tx, "ACK") == [["IA", "12", "EA"], ["IQ", "3", "CA", "068", "20261201"],
                                    ["IR", "0", "EA"]]  # fmt: skip
    assert _elements(tx, "CTT") == [["3"]]
    assert tx.segments[-1].values() == ["10", "0001"]


def test_855_header_names_the_order_and_the_acknowledgement() -> None:
    tx = _one("x12/855.yaml", "acknowledgement")
    assert _elements(tx, "BAK") == [
        ["00", "AC", "PO-1001", "20261120", "", "", "", "ACK-3001", "20261121"]
    ]


def test_856_hl_segments_number_shipment_order_pack_item_with_parents() -> None:
    tx = _one("x12/856.yaml", "shipment")
    hls = [tuple(v) for v in _elements(tx, "HL")]
    assert hls == [
        ("1", "", "S", "1"),
        ("2", "1", "O", "1"),
        ("3", "2", "P", "1"),
        ("4", "3", "I", "0"),
        ("5", "3", "I", "0"),
        ("6", "2", "P", "1"),
        ("7", "6", "I", "0"),
        ("8", "1", "O", "1"),
        ("9", "8", "P", "1"),
        ("10", "9", "I", "0"),
    ]


def test_856_ctt_counts_hl_segments_and_se_counts_every_segment() -> None:
    tx = _one("x12/856.yaml", "shipment")
    assert _elements(tx, "CTT") == [["10"]]
    assert int(tx.segments[-1].values()[0]) == len(tx.segments) == 39


def test_856_packs_carry_their_sscc_and_items_their_quantities_in_x12_units() -> None:
    tx = _one("x12/856.yaml", "shipment")
    assert [v[1] for v in _elements(tx, "MAN")] == [
        "000123450000000017", "000123450000000024", "000123450000000031",
    ]  # fmt: skip
    assert _elements(tx, "SN1") == [["1", "12", "EA"], ["2", "2", "CA"], ["3", "5", "EA"],
                                    ["1", "1.5", "KG"]]  # fmt: skip


def test_856_lin_qualifier_pairs_leave_no_gap_for_missing_item_ids() -> None:
    tx = _one("x12/856.yaml", "shipment")
    assert _elements(tx, "LIN")[2] == ["3", "BP", "B-77"]


def test_856_carrier_name_is_written_back_as_its_scac_code() -> None:
    tx = _one("x12/856.yaml", "shipment")
    assert _elements(tx, "TD5") == [["B", "2", "UPSN", "M", "UPS Ground"]]


def test_810_totals_are_implied_decimal_and_ctt_counts_it1_lines() -> None:
    tx = _one("x12/810.yaml", "invoice")
    assert _elements(tx, "TDS") == [["11998", "11000"]]
    assert _elements(tx, "CTT") == [["2"]]
    assert [v[0] for v in _elements(tx, "SAC")] == ["A", "C"]


def test_846_reports_on_hand_and_available_for_the_sku_at_the_warehouse() -> None:
    tx = _one("x12/846.yaml", "stock_level")
    assert _elements(tx, "N1") == [["WH", "", "92", "RENO-1"]]
    assert _elements(tx, "QTY") == [["17", "140", "EA"], ["33", "120.5", "EA"]]
    assert _elements(tx, "BIA")[0][3:] == ["20261122", "1400"]
