"""Every X12 sample of the shared corpus reads with the expected structure and problems.

Each row: interchange control numbers, group control numbers, transaction control numbers
(all in file order) and the problems as ``code:severity`` (E or W), in the order yielded.
The malformed samples are those of ``malformed/`` named for X12 (a digit or ``isa_``
first, plus the one that is not EDI at all); SOURCES.md describes each defect.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from b2bbridge.core.edi.options import ReadOptions
from tests.core.edi.x12_support import CORPUS, fingerprint, problems, read, shape

Row = tuple[list[str], list[str], list[str], list[str]]

VALID: dict[str, Row] = {
    "210_4010_wrapped_80col.edi": (["000026003"], ["2619"], ["1305"], []),
    "214_4010_unicode_ellipsis_segterm.edi": (["000075776"], ["75776"], ["757760001"], []),
    "810_4010_850_3010_multi_gs_one_isa.edi": (
        ["000000020"],
        ["1", "165"],
        ["000000001", "000000002", "000191240"],
        [],
    ),
    "810_4010_pipe_element_sep.edi": (["005639689"], ["5639689"], ["5639689"], []),
    "810_4030_multi_st_caret_isa11.edi": (["000000224"], ["224"], ["2240001", "2240002"], []),
    "846_4010_tilde_elem_brace_segterm.edi": (["000001979"], ["1979"], ["1979"], []),
    "850_4010_adobe_tilde_element_sep.edi": (
        ["000211462"],
        ["11464"],
        ["114640004"],
        ["segment_unterminated:W"],
    ),
    "850_4010_petco_dashes_placeholder_text.edi": (["010001398"], ["10000774"], ["8830"], []),
    "850_4010_pipe_segterm_bom_crlf_indented.edi": (["000000245"], ["245"], ["0001"], []),
    "850_4010vics_newline_only_terminator.edi": (["000003438"], ["1421"], ["000000010"], []),
    "850_4010vics_tilde_newline.edi": (["000003438"], ["1421"], ["000000010"], []),
    "850_4010x357_aerospace_mixed_lines.edi": (["000010216"], ["20213"], ["0001"], []),
    "855_4010_book_distributor_ack_sch.edi": (["000000005"], ["5"], ["0005"], []),
    "855_4010_two_st_caret_component_sep.edi": (["000001337"], ["0001"], ["0001", "0002"], []),
    "856_4010_tilde_elem_star_segterm_backtick_comp.edi": (["000000001"], ["1"], ["0001"], []),
    "856_4010vics_sopi_hierarchy.edi": (["000000005"], ["5"], ["0001"], []),
    "856_4060_isa11_dash_hl_sop.edi": (["000000049"], ["49"], ["0008"], []),
    # GE02/IEA02 really differ from GS06/ISA13 in this sample
    "940_4010_isa00200_newline_segterm.edi": (
        ["398161180"],
        ["177818711"],
        ["0001"],
        ["group_control_mismatch:E", "segment_unterminated:W", "interchange_control_mismatch:E"],
    ),
    # IEA02 written without zero padding: warnings only
    "940_4010_two_isa_two_gs_each.edi": (
        ["000003438", "000003439"],
        ["3313", "3314", "3315", "3316"],
        ["0001", "0002", "0001", "0001", "0002", "0001"],
        [
            "interchange_control_mismatch:W",
            "segment_unterminated:W",
            "interchange_control_mismatch:W",
        ],
    ),
    "944_4010_warehouse_stock_receipt.edi": (["000000001"], ["1"], ["0001"], []),
    "997_5010_repetitions_in_ak3_ak4.edi": (["508121953"], ["000005"], ["0001"], []),
    "997_5010_three_isa_in_one_file.edi": (
        ["000000001", "000000002", "000000003"],
        ["000005", "000005", "000005"],
        ["0001", "0001", "0001"],
        [],
    ),
    "997_isb_ise_optional_interchange_segments.edi": (["000003438"], ["000005"], ["0001"], []),
    "999_5010x231_ik3_ctx_repetition.edi": (["000000286"], ["287"], ["2870001"], []),
    "ta1_5010_gt_elem_plus_segterm.edi": (["000000001"], [], [], ["segment_unterminated:W"]),
}

MALFORMED: dict[str, Row] = {
    "850_3010_bang_segterm_short_isa_fields.edi": (
        ["000000001"],
        ["1"],
        ["0001"],
        ["isa_not_padded:W", "segment_count_mismatch:E"],
    ),
    "850_3050_isa_split_across_lines_short_fields.edi": (
        ["000000003"],
        ["1"],
        ["0001"],
        ["isa_not_padded:W"],
    ),
    # ISA16 '~' ends every line: values keep a trailing '~'
    "850_4010_isa16_tilde_one_segment_missing_terminator.edi": (
        ["000000001"],
        ["1"],
        ["0001~", "0001~"],
        [
            "segment_terminator_invalid:W",
            "transaction_duplicate:E",
            "group_control_mismatch:E",
            "segment_unterminated:W",
            "interchange_control_mismatch:E",
        ],
    ),
    "850_4010_isa_105_chars_short_sender_id.edi": (
        ["000511461"],
        ["11464"],
        ["114640004"],
        ["isa_not_padded:W"],
    ),
    # IEA02 000000001 really differs from ISA13 000000055
    "850_4010_isa_nbsp_padding_bom_tabs.edi": (
        ["000000055"],
        ["2"],
        ["0001"],
        ["isa_not_padded:W", "interchange_control_mismatch:E"],
    ),
    # syntax notes are the validator's; the envelope is sound
    "850_4010_syntax_note_paired_element_violation.edi": (
        ["000003438"],
        ["1421"],
        ["000000010"],
        [],
    ),
    "856_4010_mixed_terminators_truncated_iea.edi": (
        ["000000089"],
        ["000000089"],
        ["0000001"],
        ["segment_terminator_missing:E", "segment_count_mismatch:E"],
    ),
    "940_4010_control_numbers_mismatch.edi": (
        ["000003438"],
        ["3314"],
        ["0001"],
        [
            "transaction_control_mismatch:E",
            "group_control_mismatch:E",
            "interchange_control_mismatch:E",
        ],
    ),
    # element errors are the validator's; LF-terminated, no final LF
    "940_4010_two_gs_with_missing_n901.edi": (
        ["000009221"],
        ["9221", "9222"],
        ["20066", "20067", "20068"],
        ["segment_unterminated:W"],
    ),
    "940_4010_wrong_ge_iea_counts.edi": (
        ["000003438"],
        ["3314"],
        ["0001"],
        [
            "group_count_mismatch:E",
            "interchange_count_mismatch:E",
            "interchange_control_mismatch:W",
        ],
    ),
    "945_5010_gs_extra_element.edi": (
        ["000000031"],
        ["20021104"],
        ["0003100001"],
        [
            "group_invalid:E",
            "group_date_invalid:E",
            "group_time_invalid:E",
            "group_control_mismatch:E",
        ],
    ),
    "997_4010_isa06_12_chars_newline_segterm.edi": (
        ["300044350"],
        ["300044351"],
        ["300044350"],
        ["isa_not_padded:W"],
    ),
    "997_5010_bad_gs_date_time_ge_ctrl.edi": (
        ["508121953"],
        ["000005"],
        ["0001"],
        ["group_date_invalid:E", "group_time_invalid:E", "group_control_mismatch:E"],
    ),
    # missing AK1/AK9 is the validator's; the envelope is sound
    "997_empty_transaction_st_se_only.edi": (["000000001"], ["1"], ["0001"], []),
    # order and codes are the validator's; SE01 was not updated
    "999_5010_segments_out_of_order.edi": (
        ["000000286"],
        ["287"],
        ["2870001"],
        ["segment_count_mismatch:E"],
    ),
    # the LF after ISA16 reads as the terminator; nothing follows
    "isa_only_missing_segment_terminator.edi": (
        ["000010216"],
        [],
        [],
        ["interchange_trailer_missing:E"],
    ),
    "not_edi_random_text.edi": ([], [], [], ["not_edi:E"]),
}


def check(path: Path, row: Row) -> None:
    events = read(path.read_bytes(), ReadOptions(file=path.name))
    s = shape(events)
    found = [f"{p.code}:{p.severity.value[0].upper()}" for p in problems(events)]
    assert (s.interchanges, s.groups, s.transactions, found) == row


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_corpus_file_reads_with_its_structure(name: str) -> None:
    check(CORPUS / "x12" / name, VALID[name])


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_corpus_file_yields_the_problems_of_its_defect(name: str) -> None:
    check(CORPUS / "malformed" / name, MALFORMED[name])


def test_the_tables_cover_every_x12_file_of_the_corpus() -> None:
    valid = {p.name for p in (CORPUS / "x12").glob("*.edi")}
    malformed = {
        p.name
        for p in (CORPUS / "malformed").glob("*.edi")
        if p.name[0].isdigit() or p.name.startswith(("isa_", "not_edi"))
    }
    assert (set(VALID), set(MALFORMED)) == (valid, malformed)


@pytest.mark.parametrize("name", sorted(VALID) + sorted(MALFORMED))
def test_every_problem_names_the_file_offset_and_line(name: str) -> None:
    folder = "x12" if name in VALID else "malformed"
    for problem in problems(read((CORPUS / folder / name).read_bytes(), ReadOptions(file=name))):
        loc = problem.location
        assert (loc.file, loc.byte_offset is not None, loc.line is not None) == (name, True, True)


@pytest.mark.parametrize("name", sorted(VALID) + sorted(MALFORMED))
def test_corpus_file_reads_the_same_in_tiny_chunks(name: str) -> None:
    folder = "x12" if name in VALID else "malformed"
    data = (CORPUS / folder / name).read_bytes()
    assert fingerprint(read(data, ReadOptions(chunk_size=512))) == fingerprint(read(data))
