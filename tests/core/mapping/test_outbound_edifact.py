"""Outbound EDIFACT documents read back through the syntax layer with the right structure."""

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


def test_desadv_cps_numbers_consignment_then_packs_under_it() -> None:
    tx = _one("edifact/DESADV.yaml", "shipment")
    assert _elements(tx, "CPS") == [["1", "", "1"], ["2", "1", "3"], ["3", "1", "3"],
                                    ["4", "1", "3"]]  # fmt: skip


def test_desadv_each_pack_has_pac_sscc_then_its_lines() -> None:
    tx = _one("edifact/DESADV.yaml", "shipment")
    order = tags(tx)
    first_pack = order[order.index("CPS", order.index("CPS") + 1) :][:8]
    assert first_pack == ["CPS", "PAC", "PCI", "GIN", "LIN", "PIA", "QTY", "GIN"]
    assert _elements(tx, "GIN")[0] == ["BJ", "000123450000000017"]


def test_desadv_lines_refer_to_their_order_and_cnt_counts_them() -> None:
    tx = _one("edifact/DESADV.yaml", "shipment")
    assert [v[0] for v in _elements(tx, "RFF")[1:]] == ["ON:PO-1001"] * 3 + ["ON:PO-1002"]
    assert _elements(tx, "CNT") == [["2:4"]]
    assert tx.segments[-1].values() == [str(len(tx.segments)), "1"]


def test_desadv_quantities_use_edifact_unit_codes() -> None:
    tx = _one("edifact/DESADV.yaml", "shipment")
    assert _elements(tx, "QTY") == [["12:12:PCE"], ["12:2:CS"], ["12:5:PCE"], ["12:1.5:KGM"]]


def test_ordrsp_lines_carry_action_codes_and_both_quantities() -> None:
    tx = _one("edifact/ORDRSP.yaml", "acknowledgement")
    assert tx.header.type == "ORDRSP"
    assert _elements(tx, "BGM") == [["231", "ACK-3001", "4"]]
    assert _elements(tx, "LIN") == [["1", "5"], ["2", "3"], ["3", "7"]]
    assert _elements(tx, "QTY")[2:4] == [["21:5:CS"], ["113:3:CS"]]
    assert _elements(tx, "CNT") == [["2:3"]]


def test_invoic_totals_follow_uns_with_two_decimal_amounts() -> None:
    tx = _one("edifact/INVOIC.yaml", "invoice")
    order = tags(tx)
    after = order[order.index("UNS") :]
    assert after[:5] == ["UNS", "CNT", "MOA", "MOA", "MOA"]
    assert [v[0] for v in _elements(tx, "MOA")][-6:-3] == ["77:119.98", "79:110.00", "176:2.48"]


def test_invoic_allowance_and_charge_amounts_use_their_own_qualifiers() -> None:
    tx = _one("edifact/INVOIC.yaml", "invoice")
    moas = [v[0] for v in _elements(tx, "MOA")]
    assert "204:5.00" in moas
    assert moas[-1] == "23:12.50"


def test_invrpt_reports_actual_and_available_stock_at_the_warehouse() -> None:
    tx = _one("edifact/INVRPT.yaml", "stock_level")
    assert _elements(tx, "QTY") == [["145:140:PCE"], ["17:120.5:PCE"]]
    assert _elements(tx, "LOC") == [["18", "RENO-1"]]
    assert _elements(tx, "DTM")[1] == ["366:202611221400:203"]
