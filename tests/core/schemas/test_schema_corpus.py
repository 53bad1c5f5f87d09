"""The validator on the shared corpus: each structural defect in SOURCES.md is found.

Positions are counted as in a 997 AK302: the ST/UNH segment is 1.
"""

from __future__ import annotations

import pytest
from schemas_support import CORPUS, brief, problems_of, transactions

MALFORMED = CORPUS / "malformed"


def _read(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def _briefs(name: str) -> list[list[tuple[str, str | None, int, int | None]]]:
    data = _read(name)
    txs = transactions(data)
    return [brief(ps, t.header.segment.index) for t, ps in zip(txs, problems_of(data), strict=True)]


def test_850_paired_and_conditional_syntax_notes_are_reported_on_po1_and_po4() -> None:
    [found] = _briefs("malformed/850_4010_syntax_note_paired_element_violation.edi")
    assert found == [
        ("element_conditional_missing", "PO1", 13, 7),  # P0607: PO106 without PO107
        ("element_conditional_missing", "PO4", 30, 6),  # C0506: PO405 without PO406
        ("element_conditional_missing", "PO4", 30, 6),  # P0607: PO407 without PO406
    ]


def test_850_syntax_note_messages_name_the_note() -> None:
    data = _read("malformed/850_4010_syntax_note_paired_element_violation.edi")
    [found] = problems_of(data)
    assert [p.message.split(":")[0] for p in found] == [
        "syntax note P0607",
        "syntax note C0506",
        "syntax note P0607",
    ]


def test_940_empty_mandatory_n901_and_extra_w66_element_are_reported() -> None:
    first, second, third = _briefs("malformed/940_4010_two_gs_with_missing_n901.edi")
    assert first == []
    assert second == [("element_missing", "N9", 7, 1)]
    assert third == [("element_too_many", "W66", 3, 6)]


def test_orders_dtm_repeated_beyond_its_maximum_is_reported_once_on_the_36th() -> None:
    [found] = _briefs("malformed/orders_d03b_dtm_repeated_beyond_max.edi")
    assert found[0] == ("segment_over_max", "DTM", 38, None)
    # The COM repeats three C076 with the syntax 4 repetition separator: D.03B allows
    # that, the D.01B ORDERS this D.03B message is checked against does not.
    assert [f[0] for f in found[1:]] == ["element_too_many_components", "element_too_long"]
    assert {f[1] for f in found[1:]} == {"COM"}


def test_invoic_bad_qualifier_non_numeric_quantity_and_price_and_duplicate_uns() -> None:
    [found] = _briefs("malformed/invoic_d97b_bad_qualifier_nonnumeric_dup_uns.edi")
    assert found == [
        ("element_too_long", "NAD", 5, 1),  # NAD+BYZZ: party qualifier is an..3
        ("element_not_numeric", "QTY", 10, 1),  # QTY+47:1020A
        ("element_not_numeric", "PRI", 13, 1),  # PRI+INV:$1.179
        ("segment_over_max", "UNS", 21, None),  # the second UNS
    ]


def test_invoic_non_numeric_quantity_names_its_component() -> None:
    [found] = problems_of(_read("malformed/invoic_d97b_bad_qualifier_nonnumeric_dup_uns.edi"))
    qty = next(p for p in found if p.location.segment_id == "QTY")
    assert qty.location.component == 2


def test_997_without_ak1_and_ak9_reports_both_missing_at_the_trailer() -> None:
    [found] = _briefs("malformed/997_empty_transaction_st_se_only.edi")
    assert found == [("segment_missing", "AK1", 2, None), ("segment_missing", "AK9", 2, None)]


def test_999_segments_out_of_order_and_bad_values_are_each_reported() -> None:
    [found] = _briefs("malformed/999_5010_segments_out_of_order.edi")
    assert found == [
        ("segment_unexpected", "IK5", 2, None),  # IK5 before AK1
        ("element_too_long", "AK1", 3, 1),  # 'HC   '
        ("element_too_many", "AK2", 4, 4),
        ("element_too_many", "AK2", 4, 5),
        ("element_invalid_code", "IK5", 5, 1),  # IK5*Q
        ("segment_over_max", "IK5", 6, None),  # a second IK5 in one AK2 loop
        ("element_not_numeric", "CTX", 14, 6),  # bad CTX composite: C023 in C999
    ]


def test_problem_locations_carry_the_control_numbers() -> None:
    [found] = problems_of(_read("malformed/997_empty_transaction_st_se_only.edi"))
    where = found[0].location
    assert (where.interchange, where.group, where.transaction) == ("000000001", "1", "0001")


CLEAN = [
    "x12/846_4010_tilde_elem_brace_segterm.edi",
    "x12/850_4010_adobe_tilde_element_sep.edi",
    "x12/850_4010_petco_dashes_placeholder_text.edi",
    "x12/850_4010_pipe_segterm_bom_crlf_indented.edi",
    "x12/850_4010vics_newline_only_terminator.edi",
    "x12/850_4010vics_tilde_newline.edi",
    "x12/850_4010x357_aerospace_mixed_lines.edi",
    "x12/855_4010_book_distributor_ack_sch.edi",
    "x12/855_4010_two_st_caret_component_sep.edi",
    "x12/856_4010_tilde_elem_star_segterm_backtick_comp.edi",
    "x12/856_4010vics_sopi_hierarchy.edi",
    "x12/856_4060_isa11_dash_hl_sop.edi",
    "x12/940_4010_isa00200_newline_segterm.edi",
    "x12/940_4010_two_isa_two_gs_each.edi",
    "x12/944_4010_warehouse_stock_receipt.edi",
    "x12/997_5010_three_isa_in_one_file.edi",
    "x12/997_isb_ise_optional_interchange_segments.edi",
    "x12/999_5010x231_ik3_ctx_repetition.edi",
    "edifact/invoic_d97a_unoa1_no_una.edi",
    "edifact/orders_d96a_minimal_unoc.edi",
    "edifact/recadv_d01b_ean007_unoa_with_utf8_chinese.edi",
    "malformed/aperak_d96a_accepted_unt_count_wrong.edi",
    "malformed/aperak_d96a_rejected_syntax4_unt_count_wrong.edi",
    "malformed/940_4010_control_numbers_mismatch.edi",
    "malformed/940_4010_wrong_ge_iea_counts.edi",
    "malformed/invoic_d03b_unoc4_una_repetition_star_unt_off_by_one.edi",
]


@pytest.mark.parametrize("name", CLEAN)
def test_valid_corpus_file_validates_clean(name: str) -> None:
    found = problems_of(_read(name))
    assert found
    assert all(ps == [] for ps in found)


TRUNCATED_INVOIC = [
    ("segment_missing", "DTM", 3),
    ("segment_missing", "UNS", 4),
    ("segment_missing", "MOA", 4),
]

# Valid-status corpus files whose transactions break their standard's structure, each
# with the reason: (file, [(code, segment, position) per problem, for every transaction]).
DEVIATIONS = [
    # IT1*1**...: IT102 and IT104 without IT103 breaks P020304 (the unit of measure).
    (
        "x12/810_4010_pipe_element_sep.edi",
        [("element_conditional_missing", "IT1", 7), ("element_conditional_missing", "IT1", 9)],
    ),
    # A 004030 invoice checked against the 004010 810 (the newest not newer): its ISS
    # loop stands before TDS, where the summary table puts it after.
    (
        "x12/810_4030_multi_st_caret_isa11.edi",
        [
            ("segment_missing", "TDS", 26),
            ("segment_out_of_order", "TDS", 27),
            ("segment_missing", "TDS", 14),
            ("segment_out_of_order", "TDS", 15),
        ],
    ),
    # A repetition stress test: AK302 holds components and AK304/AK404 repeat, which the
    # 997 does not allow.
    (
        "x12/997_5010_repetitions_in_ak3_ak4.edi",
        [
            ("element_too_many_components", "AK3", 4),
            ("element_too_long", "AK3", 4),
            ("element_too_many_components", "AK4", 5),
        ],
    ),
    # Envelope test samples with a truncated body: no DTM, UNS or summary MOA.
    (
        "edifact/invoic_d97b_unb_all_optional_fields.edi",
        [
            ("segment_missing", "DTM", 3),
            ("segment_missing", "UNS", 4),
            ("segment_missing", "MOA", 4),
        ],
    ),
    (
        "edifact/invoic_d97b_una_caret_star_dollar.edi",
        [
            ("segment_missing", "DTM", 3),
            ("segment_missing", "UNS", 4),
            ("segment_missing", "MOA", 4),
        ],
    ),
    # BGM+351+Y02197250+700101: the message function code (1225, an..3) holds a date.
    ("edifact/desadv_d96a_unoc1_no_una_version0.edi", [("element_too_long", "BGM", 2)]),
    # Generated filler, every group of the D.01B ORDRSP once: its UNS+Z is no section
    # identifier (D or S).
    (
        "edifact/ordrsp_d01b_ean008_unoc_latin1_long.edi",
        [("element_invalid_code", "UNS", 244)],
    ),
    # COM+s11:AA*s21:AA*s31:AA: three numbers joined by the syntax 4 repetition separator,
    # which the D.01B COM (one C076) does not allow.
    (
        "edifact/orders_d03b_ean008_syntax4_ccyymmdd_unb.edi",
        [("element_too_many_components", "COM", 7), ("element_too_long", "COM", 7)],
    ),
]


@pytest.mark.parametrize(("name", "expected"), DEVIATIONS)
def test_valid_corpus_file_shows_only_its_known_deviations(
    name: str, expected: list[tuple[str, str, int]]
) -> None:
    found = [(code, seg, pos) for b in _briefs(name) for code, seg, pos, _ in b]
    assert found == expected


def test_d01b_order_deviates_only_in_its_four_letter_units_of_measure() -> None:
    # QTY+21:1:GBND: the sender's own units (GBND, PACK, SCHA) where D.01B has the
    # three-letter measurement unit code (6411, an..3); every other segment is valid.
    data = _read("edifact/orders_d01b_ean010_unoc_latin1_release_char.edi")
    [found] = problems_of(data)
    assert len(found) == 123
    assert {(p.code, p.location.segment_id, p.location.element) for p in found} == {
        ("element_too_long", "QTY", 1)
    }
    assert {p.message.split("'")[1] for p in found} == {"GBND", "PACK", "SCHA"}


def test_850_of_release_003010_beside_004010_invoices_is_the_one_unsupported() -> None:
    found = problems_of(_read("x12/810_4010_850_3010_multi_gs_one_isa.edi"))
    assert [[p.code for p in ps] for ps in found] == [[], [], ["transaction_unsupported"]]


def test_message_of_an_unsupported_set_gets_one_transaction_unsupported_problem() -> None:
    [found] = problems_of(_read("x12/210_4010_wrapped_80col.edi"))
    assert [p.code for p in found] == ["transaction_unsupported"]
    assert found[0].location.segment_id == "ST"


def test_message_older_than_every_schema_of_its_set_is_unsupported() -> None:
    found = problems_of(_read("malformed/850_3010_bang_segterm_short_isa_fields.edi"))
    assert [[p.code for p in ps] for ps in found] == [["transaction_unsupported"]]
