"""Every EDIFACT file of the shared corpus reads with the structure and problems it really has.

The corpus lives next to the repository (``<repo>/../shared/corpus``); SOURCES.md there
describes each file and its defect. Defects below the envelope (a too-long qualifier,
a segment repeated beyond its maximum, a foreign segment tag) are the validator's to
find: for those files the reader must only read every segment and report nothing else.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from b2bbridge.core.edi.edifact.envelope import parse_una
from b2bbridge.core.edi.edifact.reader import read_edifact_events
from b2bbridge.core.edi.events import (
    Event,
    GroupStart,
    InterchangeHeader,
    InterchangeStart,
    TransactionEnd,
    TransactionStart,
)
from b2bbridge.core.edi.options import CharsetPolicy, ReadOptions
from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.errors import Problem, Severity

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
EDIFACT = CORPUS / "edifact"
MALFORMED = CORPUS / "malformed"


def read(path: Path, policy: CharsetPolicy = "lenient", strip: bool = False) -> list[Event]:
    options = ReadOptions(file=path.name, charset_policy=policy, strip_preamble=strip)
    with path.open("rb") as source:
        return list(read_edifact_events(source, options))


def header_of(events: list[Event]) -> InterchangeHeader:
    return next(e.header for e in events if isinstance(e, InterchangeStart))


def messages(events: list[Event]) -> list[tuple[str, str]]:
    return [
        (e.header.type, e.header.control_number) for e in events if isinstance(e, TransactionStart)
    ]


def problem_counts(events: list[Event]) -> Counter[str]:
    return Counter(e.code for e in events if isinstance(e, Problem))


def seg(events: list[Event], tag: str, nth: int = 0) -> Segment:
    return [e for e in events if isinstance(e, Segment) and e.tag == tag][nth]


VALID = [
    # file, messages, syntax id, encoding, (element, component, segment, decimal), problems
    ("desadv_d96a_unoc1_no_una_version0.edi", [("DESADV", "142")], "UNOC", "iso8859_1", "+:'.", {}),
    (
        "invoic_d93a_una_decimal_comma_umlaut.edi",
        [("INVOIC", "INVOIC0001")],
        "UNOA",
        "utf_8",
        "+:',",
        {"charset_mismatch": 1},
    ),
    ("invoic_d97a_unoa1_no_una.edi", [("INVOIC", "1")], "UNOA", "ascii", "+:'.", {}),
    (
        "invoic_d97b_no_una_unoa3.edi",
        [("INVOIC", "00000000000117")],
        "UNOA",
        "utf_8",
        "+:'.",
        {"charset_mismatch": 1},
    ),
    (
        "invoic_d97b_una_caret_star_dollar.edi",
        [("INVOIC", "00000000000117")],
        "UNOA",
        "ascii",
        "*^$.",
        {},
    ),
    (
        "invoic_d97b_una_custom_delims_eq_star_tilde.edi",
        [("INVOIC", "00000000000117")],
        "UNOA",
        "ascii",
        "*=~.",
        {},
    ),
    (
        "invoic_d97b_una_custom_wrapped_15col.edi",
        [("INVOIC", "00000000000117")],
        "UNOA",
        "ascii",
        "*=~.",
        {},
    ),
    (
        "invoic_d97b_unb_all_optional_fields.edi",
        [("INVOIC", "00000000000117")],
        "UNOA",
        "ascii",
        "+:'.",
        {},
    ),
    (
        "invoic_d97b_wrapped_50col.edi",
        [("INVOIC", "00000000000117")],
        "UNOA",
        "utf_8",
        "+:'.",
        {"charset_mismatch": 1},
    ),
    (
        "orders_d01b_ean010_unoc_latin1_release_char.edi",
        [("ORDERS", "2019265563")],
        "UNOC",
        "utf_8",
        "+:'.",
        {"charset_mismatch": 1},
    ),
    (
        "orders_d03b_ean008_syntax4_ccyymmdd_unb.edi",
        [("ORDERS", "SSDD1")],
        "UNOA",
        "ascii",
        "+:'.",
        {},
    ),
    # UNZ02 (1234567) repeats UNB7, not UNB5 (1): a real defect of this sample.
    (
        "orders_d96a_minimal_unoc.edi",
        [("ORDERS", "1")],
        "UNOC",
        "iso8859_1",
        "+:'.",
        {"interchange_control_mismatch": 1},
    ),
    (
        "ordrsp_d01b_ean008_unoc_latin1_long.edi",
        [("ORDRSP", "000001")],
        "UNOC",
        "iso8859_1",
        "+:'.",
        {},
    ),
    (
        "ordrsp_d01b_unoe_iso8859_5_cyrillic.edi",
        [("ORDERS", "000001")],
        "UNOE",
        "iso8859_5",
        "+:'.",
        {},
    ),
    (
        "paores_two_messages_one_interchange.edi",
        [("PAORES", "1"), ("PAORES", "2")],
        "IATB",
        "ascii",
        "+:'.",
        {},
    ),
    (
        "recadv_d01b_ean007_unoa_with_utf8_chinese.edi",
        [("RECADV", "1")],
        "UNOA",
        "utf_8",
        "+:'.",
        {"charset_mismatch": 1},
    ),
]


@pytest.mark.parametrize(("name", "msgs", "syntax_id", "encoding", "delims", "expected"), VALID)
def test_corpus_edifact_file_reads_with_its_structure(
    name: str,
    msgs: list[tuple[str, str]],
    syntax_id: str,
    encoding: str,
    delims: str,
    expected: dict[str, int],
) -> None:
    events = read(EDIFACT / name)
    header = header_of(events)
    assert messages(events) == msgs
    assert (header.syntax_identifier, header.encoding) == (syntax_id, encoding)
    d = header.delimiters
    assert d.element + d.component + d.segment + d.decimal == delims
    assert problem_counts(events) == Counter(expected)


def test_wrapped_15_column_file_reads_like_its_unwrapped_twin() -> None:
    wrapped = read(EDIFACT / "invoic_d97b_una_custom_wrapped_15col.edi")
    plain = read(EDIFACT / "invoic_d97b_una_custom_delims_eq_star_tilde.edi")
    assert [s.elements for s in wrapped if isinstance(s, Segment)] == [
        s.elements for s in plain if isinstance(s, Segment)
    ]


def test_wrapped_50_column_file_reads_like_its_unwrapped_twin() -> None:
    wrapped = read(EDIFACT / "invoic_d97b_wrapped_50col.edi")
    plain = read(EDIFACT / "invoic_d97b_no_una_unoa3.edi")
    assert [s.elements for s in wrapped if isinstance(s, Segment)] == [
        s.elements for s in plain if isinstance(s, Segment)
    ]
    assert len([s for s in wrapped if isinstance(s, Segment)]) == 22


def test_released_component_separator_in_unb_is_data() -> None:
    header = header_of(read(EDIFACT / "invoic_d97b_una_custom_delims_eq_star_tilde.edi"))
    assert (header.receiver.id, header.receiver.qualifier) == ("006415160", "1")


def test_decimal_comma_from_una_is_kept_and_values_are_untouched() -> None:
    events = read(EDIFACT / "invoic_d93a_una_decimal_comma_umlaut.edi")
    assert header_of(events).delimiters.decimal == ","
    assert seg(events, "MOA", 1).components(1) == ["66", "19,9"]
    assert seg(events, "NAD").element(5) == "Wagingerstr. 5"
    assert seg(events, "NAD").element(6) == "München"


def test_utf8_chinese_in_unoa_is_decoded_as_utf8() -> None:
    events = read(EDIFACT / "recadv_d01b_ean007_unoa_with_utf8_chinese.edi")
    nad_dp = seg(events, "NAD", 1)
    assert nad_dp.element(4) == "报文测试天津有限公司"
    assert seg(events, "NAD", 2).element(4) == "CSP test d'This is also a test section"


def test_iso_8859_5_text_decodes_to_cyrillic() -> None:
    events = read(EDIFACT / "ordrsp_d01b_unoe_iso8859_5_cyrillic.edi")
    assert seg(events, "DTM").component(1, 2) == "Лорем ипсу"


def test_latin1_text_in_unoc_decodes_to_accented_letters() -> None:
    events = read(EDIFACT / "ordrsp_d01b_ean008_unoc_latin1_long.edi")
    assert seg(events, "DTM").component(1, 2) == "Lörém ïpsü"
    ends = [e for e in events if isinstance(e, TransactionEnd)]
    assert ends[0].segment_count == 253


def test_syntax_4_interchange_has_repetition_separator_and_century_date() -> None:
    events = read(EDIFACT / "orders_d03b_ean008_syntax4_ccyymmdd_unb.edi")
    header = header_of(events)
    assert (header.version, header.delimiters.repetition) == ("4", "*")
    assert header.date == date(2005, 11, 7)
    assert seg(events, "COM").repetitions(1) == ["s11:AA", "s21:AA", "s31:AA"]


def test_unb_optional_fields_are_not_mistaken_for_flags() -> None:
    header = header_of(read(EDIFACT / "invoic_d97b_unb_all_optional_fields.edi"))
    assert (header.test, header.ack_requested, header.segment.element(11)) == (False, False, "t")
    assert header.date == date(2000, 2, 10)


def test_odd_unh_version_is_reported_as_written() -> None:
    events = read(EDIFACT / "desadv_d96a_unoc1_no_una_version0.edi")
    [start] = [e for e in events if isinstance(e, TransactionStart)]
    assert start.header.version == "0:96A:UN"


def test_una_only_fragment_has_its_delimiters_and_no_interchange() -> None:
    path = EDIFACT / "una_only_custom_delims_pipe_dash_comma_bang_underscore.edi"
    delims = parse_una(path.read_bytes()[:9])
    assert delims is not None
    assert (delims.component, delims.element, delims.decimal) == ("|", "-", ",")
    assert (delims.release, delims.repetition, delims.segment) == ("!", "_", "#")
    events = read(path)
    assert problem_counts(events)["interchange_header_missing"] == 1
    assert not any(isinstance(e, InterchangeStart) for e in events)


MALFORMED_FILES = [
    ("aperak_d96a_accepted_unt_count_wrong.edi", {"segment_count_mismatch": 1}),
    ("aperak_d96a_rejected_syntax4_unt_count_wrong.edi", {"segment_count_mismatch": 1}),
    ("desadv_d96a_unoc_declared_utf8_bytes.edi", {"charset_mismatch": 1}),
    ("edifact_custom_msg_with_x12_iea_segment.edi", {}),
    (
        "edifact_multi_message_duplicate_unh_refs_unt_mismatch.edi",
        {
            "segment_count_mismatch": 4,
            "transaction_control_mismatch": 2,
            "transaction_duplicate": 1,
            "interchange_count_mismatch": 1,
        },
    ),
    (
        "ifcsum_d01b_newline_terminator_no_una.edi",
        {"segment_terminator_invalid": 1, "segment_count_mismatch": 1},
    ),
    (
        "iftmbc_d00b_newline_inside_ftx_unt_wrong.edi",
        {"segment_count_mismatch": 1, "interchange_date_invalid": 1, "interchange_time_invalid": 1},
    ),
    (
        "infent_d00b_unol_ung_nonedi_preamble_truncated.edi",
        {"preamble_invalid": 1, "segment_count_mismatch": 1},
    ),
    (
        "invoic_d01b_ean011_bom_indented_unt_wrong.edi",
        {"segment_count_mismatch": 1, "transaction_control_mismatch": 1},
    ),
    ("invoic_d03b_unoc4_una_repetition_star_unt_off_by_one.edi", {"segment_count_mismatch": 1}),
    ("invoic_d97b_bad_qualifier_nonnumeric_dup_uns.edi", {}),
    ("orders_d01b_ean010_unescaped_colon_in_text.edi", {"charset_mismatch": 1}),
    ("orders_d03b_dtm_repeated_beyond_max.edi", {"segment_count_mismatch": 1}),
    ("orders_d96a_ean008_missing_unz.edi", {"interchange_trailer_missing": 1}),
    ("orders_d96b_ean008_ung_group_unt_count_wrong.edi", {"segment_count_mismatch": 1}),
    (
        "ordrsp_d10a_single_line_unt_ref_mismatch.edi",
        {
            "segment_count_mismatch": 1,
            "transaction_control_mismatch": 1,
            "interchange_control_mismatch": 1,
        },
    ),
    ("paores_93_release_char_escapes_unt_count_wrong.edi", {"segment_count_mismatch": 1}),
]


@pytest.mark.parametrize(("name", "expected"), MALFORMED_FILES)
def test_malformed_edifact_file_yields_the_problems_of_its_defect(
    name: str, expected: dict[str, int]
) -> None:
    events = read(MALFORMED / name)
    assert problem_counts(events) == Counter(expected)
    assert sum(isinstance(e, InterchangeStart) for e in events) == 1


def test_unt_count_problem_names_both_counts_and_the_place() -> None:
    events = read(MALFORMED / "aperak_d96a_accepted_unt_count_wrong.edi")
    [problem] = [e for e in events if isinstance(e, Problem)]
    assert problem.message == "UNT says '8' segments, the message has 7"
    loc = problem.location
    assert (loc.file, loc.line, loc.byte_offset) == (
        "aperak_d96a_accepted_unt_count_wrong.edi",
        9,
        197,
    )
    assert (loc.interchange, loc.transaction, loc.segment_id, loc.element) == (
        "000000002",
        "1",
        "UNT",
        1,
    )


def test_declared_unoc_with_utf8_bytes_is_an_error_under_strict_policy() -> None:
    events = read(MALFORMED / "desadv_d96a_unoc_declared_utf8_bytes.edi", policy="strict")
    [problem] = [e for e in events if isinstance(e, Problem)]
    assert (problem.code, problem.severity) == ("charset_mismatch", Severity.ERROR)
    assert (problem.location.line, problem.location.byte_offset) == (13, 272)


def test_declared_unoc_with_utf8_bytes_is_decoded_as_utf8_under_lenient_policy() -> None:
    events = read(MALFORMED / "desadv_d96a_unoc_declared_utf8_bytes.edi")
    [problem] = [e for e in events if isinstance(e, Problem)]
    assert problem.severity is Severity.WARNING
    assert seg(events, "IMD").component(3, 4) == "MUNCIË THE MIDDLE"


def test_duplicate_message_reference_is_reported_at_the_second_unh() -> None:
    events = read(MALFORMED / "edifact_multi_message_duplicate_unh_refs_unt_mismatch.edi")
    [dup] = [e for e in events if isinstance(e, Problem) and e.code == "transaction_duplicate"]
    assert (dup.location.segment_index, dup.location.line, dup.location.transaction) == (
        11,
        12,
        "44",
    )


def test_foreign_trailer_tag_inside_a_message_is_just_a_body_segment() -> None:
    events = read(MALFORMED / "edifact_custom_msg_with_x12_iea_segment.edi")
    assert [s.tag for s in events if isinstance(s, Segment)] == ["IEA", "END"]
    assert [e.segment_count for e in events if isinstance(e, TransactionEnd)] == [4]


def test_preamble_before_una_is_stripped_with_a_warning_when_allowed() -> None:
    events = read(MALFORMED / "infent_d00b_unol_ung_nonedi_preamble_truncated.edi", strip=True)
    counts = problem_counts(events)
    assert counts == Counter({"preamble_stripped": 1, "segment_count_mismatch": 1})
    header = header_of(events)
    assert (header.syntax_identifier, header.encoding, header.delimiters.decimal) == (
        "UNOL",
        "iso8859_15",
        ",",
    )


def test_ung_group_is_opened_and_closed_with_its_reference() -> None:
    events = read(MALFORMED / "orders_d96b_ean008_ung_group_unt_count_wrong.edi")
    [group] = [e.header for e in events if isinstance(e, GroupStart)]
    assert (group.control_number, group.functional_id, group.version) == (
        "1",
        "ORDERS",
        "D:96A:EAN008A",
    )
    [start] = [e.header for e in events if isinstance(e, TransactionStart)]
    assert (start.group_control_number, start.version) == ("1", "D:96B:UN:EAN008B")


def test_release_character_edge_cases_split_and_unescape_correctly() -> None:
    events = read(MALFORMED / "paores_93_release_char_escapes_unt_count_wrong.edi")
    ifts = [s for s in events if isinstance(s, Segment) and s.tag == "IFT"]
    assert [s.values()[1:] for s in ifts[1:10]] == [
        ["NO MORE FLIGHTS 1"],
        ["NO MORE FLIGHTS 2?"],
        ["NO MORE ' FLIGHTS 3"],
        ["NO MORE ? FLIGHTS 3"],
        ["NO MORE ?' FLIGHTS 3"],
        ["FIELD 1", "FIELD 2"],
        ["FIELD 1?", "FIELD 2"],
        ["FIELD 1?+FIELD 2"],
        ["FIELD 1.1:FIELD 1.2"],
    ]
    assert ifts[10].components(2) == ["FIELD 1.1?", "FIELD 1.2"]
    assert ifts[11].components(2) == ["FIELD 1.1?:FIELD 1.2"]


def test_bom_and_indentation_do_not_become_data() -> None:
    events = read(MALFORMED / "invoic_d01b_ean011_bom_indented_unt_wrong.edi")
    header = header_of(events)
    assert (header.segment.offset, header.segment.line) == (13, 2)
    dtm = seg(events, "DTM")
    assert (dtm.elements[0], dtm.line) == ("DTM", 4)
