"""The catalogue of EDI problem codes, and the acknowledgement codes that report each one.

A reader, the envelope checks and the validator report :class:`~b2bbridge.core.errors.Problem`
values whose ``code`` is a key here. The ack builders look the code up to fill TA105, AK5/IK5,
AK9, AK304/IK304, AK403/IK403 and the CONTRL syntax error code (ISO 9735 data element 0085),
so that the link between a defect and the code a partner sees lives in this one table.

``level`` says which unit the problem rejects: the whole interchange (a TA1 / UCI answer),
a group (AK9 / UCF), a transaction (AK5 / UCM), a segment (AK3 / UCS) or an element
(AK4 / UCD). A level of ``"file"`` is a problem before any envelope was found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["file", "interchange", "group", "transaction", "segment", "element"]


@dataclass(frozen=True, slots=True)
class ProblemCode:
    code: str
    level: Level
    summary: str
    ta1: str | None = None  # TA105 interchange note code
    ak5: str | None = None  # 997 AK502 / 999 IK502 transaction syntax error code
    ak9: str | None = None  # 997/999 AK905 group syntax error code
    ak3: str | None = None  # 997 AK304 / 999 IK304 segment syntax error code
    ak4: str | None = None  # 997 AK403 / 999 IK403 element syntax error code
    contrl: str | None = None  # CONTRL 0085 syntax error code


CODES: dict[str, ProblemCode] = {}


def register(*codes: ProblemCode) -> None:
    """Add codes to the catalogue; a code registered twice with another meaning is a bug."""
    for c in codes:
        known = CODES.get(c.code)
        if known is not None and known != c:
            raise ValueError(f"problem code {c.code!r} registered twice with different meanings")
        CODES[c.code] = c


def lookup(code: str) -> ProblemCode:
    """The entry for ``code``; an unknown code reads as an unspecified error at its level."""
    return CODES.get(code) or ProblemCode(code, "transaction", code, ak5="5", contrl="18")


register(
    # Before any envelope.
    ProblemCode("not_edi", "file", "no ISA, UNA or UNB header was found", contrl="13"),
    ProblemCode("preamble_stripped", "file", "bytes before the first header were skipped"),
    ProblemCode("trailing_garbage", "file", "bytes after the last interchange were not EDI"),
    ProblemCode("source_unreadable", "file", "the source could not be read to its end"),
    ProblemCode("preamble_invalid", "file", "non-EDI bytes before the first header", contrl="13"),
    ProblemCode(
        "interchange_header_missing", "interchange", "UNA is not followed by UNB", contrl="13"
    ),
    ProblemCode(
        "interchange_header_invalid",
        "interchange",
        "the UNB segment lacks mandatory data",
        contrl="12",
    ),
    # Interchange level.
    ProblemCode(
        "isa_invalid", "interchange", "the ISA segment is malformed", ta1="022", contrl="12"
    ),
    ProblemCode(
        "isa_not_padded", "interchange", "ISA fields are not padded to fixed width", ta1="022"
    ),
    ProblemCode(
        "interchange_trailer_missing", "interchange", "IEA/UNZ is missing", ta1="023", contrl="13"
    ),
    ProblemCode(
        "interchange_control_mismatch",
        "interchange",
        "header and trailer control numbers differ",
        ta1="001",
        contrl="28",
    ),
    ProblemCode(
        "interchange_count_mismatch",
        "interchange",
        "the trailer's group or message count is wrong",
        ta1="021",
        contrl="29",
    ),
    ProblemCode(
        "interchange_date_invalid",
        "interchange",
        "invalid interchange date",
        ta1="014",
        contrl="12",
    ),
    ProblemCode(
        "interchange_time_invalid",
        "interchange",
        "invalid interchange time",
        ta1="015",
        contrl="12",
    ),
    ProblemCode(
        "interchange_version_unsupported",
        "interchange",
        "unsupported interchange version",
        ta1="017",
        contrl="2",
    ),
    ProblemCode(
        "interchange_duplicate",
        "interchange",
        "interchange control number already received",
        ta1="025",
        contrl="26",
    ),
    ProblemCode(
        "segment_terminator_invalid",
        "interchange",
        "invalid segment terminator",
        ta1="004",
        contrl="20",
    ),
    ProblemCode(
        "element_separator_invalid",
        "interchange",
        "invalid element separator",
        ta1="026",
        contrl="20",
    ),
    ProblemCode(
        "component_separator_invalid",
        "interchange",
        "invalid component separator",
        ta1="027",
        contrl="20",
    ),
    ProblemCode(
        "charset_unsupported",
        "interchange",
        "syntax identifier not supported",
        ta1="016",
        contrl="46",
    ),
    ProblemCode(
        "charset_mismatch",
        "interchange",
        "bytes do not decode under the declared character set",
        contrl="21",
    ),
    ProblemCode(
        "test_indicator_invalid", "interchange", "invalid test indicator", ta1="020", contrl="12"
    ),
    ProblemCode(
        "ack_requested_invalid",
        "interchange",
        "invalid acknowledgment requested",
        ta1="019",
        contrl="12",
    ),
    ProblemCode(
        "unexpected_segment_outside_envelope",
        "interchange",
        "a segment stands outside any group or transaction",
        ta1="024",
        contrl="33",
    ),
    ProblemCode(
        "unknown_partner",
        "interchange",
        "no partner profile matches the sender",
        ta1="006",
        contrl="23",
    ),
    # Group level.
    ProblemCode(
        "group_trailer_missing", "group", "GE/UNE is missing", ta1="024", ak9="3", contrl="13"
    ),
    ProblemCode(
        "group_control_mismatch",
        "group",
        "GS06/GE02 or UNG/UNE references differ",
        ak9="4",
        contrl="28",
    ),
    ProblemCode(
        "group_count_mismatch", "group", "the group trailer's count is wrong", ak9="5", contrl="29"
    ),
    ProblemCode("group_date_invalid", "group", "invalid group date", ak9="6", contrl="12"),
    ProblemCode("group_time_invalid", "group", "invalid group time", ak9="6", contrl="12"),
    ProblemCode(
        "group_duplicate",
        "group",
        "group control number repeated in the interchange",
        ak9="19",
        contrl="26",
    ),
    ProblemCode(
        "group_invalid", "group", "the GS/UNG segment is malformed", ta1="024", ak9="1", contrl="12"
    ),
    # Transaction level.
    ProblemCode(
        "transaction_trailer_missing", "transaction", "SE/UNT is missing", ak5="2", contrl="13"
    ),
    ProblemCode(
        "transaction_control_mismatch",
        "transaction",
        "ST02/SE02 or UNH/UNT references differ",
        ak5="3",
        contrl="28",
    ),
    ProblemCode(
        "segment_count_mismatch",
        "transaction",
        "the SE/UNT segment count is wrong",
        ak5="4",
        contrl="29",
    ),
    ProblemCode(
        "transaction_duplicate",
        "transaction",
        "transaction control number repeated in the group",
        ak5="23",
        contrl="26",
    ),
    ProblemCode(
        "transaction_unsupported",
        "transaction",
        "transaction set not supported",
        ak5="1",
        contrl="2",
    ),
    ProblemCode(
        "transaction_header_invalid",
        "transaction",
        "the ST/UNH segment is malformed",
        ak5="6",
        contrl="12",
    ),
    ProblemCode(
        "segments_in_error", "transaction", "one or more segments in error", ak5="5", contrl="12"
    ),
    # Segment level.
    ProblemCode("segment_empty", "segment", "an empty segment", ak3="8", contrl="13"),
    ProblemCode(
        "segment_unterminated",
        "segment",
        "the last segment has no terminator",
        ak3="8",
        contrl="13",
    ),
    ProblemCode(
        "segment_terminator_missing",
        "segment",
        "a line break stands where a terminator was expected",
        ak3="8",
        contrl="13",
    ),
    ProblemCode("segment_unrecognized", "segment", "unrecognized segment id", ak3="1", contrl="14"),
    ProblemCode("segment_unexpected", "segment", "unexpected segment", ak3="2", contrl="15"),
    ProblemCode("segment_missing", "segment", "mandatory segment missing", ak3="3", contrl="13"),
    ProblemCode("loop_over_max", "segment", "loop occurs over maximum times", ak3="4", contrl="36"),
    ProblemCode("segment_over_max", "segment", "segment exceeds maximum use", ak3="5", contrl="35"),
    ProblemCode(
        "segment_out_of_order", "segment", "segment not in proper sequence", ak3="7", contrl="15"
    ),
    ProblemCode(
        "segment_has_element_errors",
        "segment",
        "segment has data element errors",
        ak3="8",
        contrl="12",
    ),
    # Element level.
    ProblemCode(
        "element_missing", "element", "mandatory data element missing", ak4="1", contrl="13"
    ),
    ProblemCode(
        "element_conditional_missing",
        "element",
        "conditional required data element missing",
        ak4="2",
        contrl="13",
    ),
    ProblemCode("element_too_many", "element", "too many data elements", ak4="3", contrl="16"),
    ProblemCode("element_too_short", "element", "data element too short", ak4="4", contrl="40"),
    ProblemCode("element_too_long", "element", "data element too long", ak4="5", contrl="39"),
    ProblemCode(
        "element_invalid_character",
        "element",
        "invalid character in data element",
        ak4="6",
        contrl="21",
    ),
    ProblemCode("element_invalid_code", "element", "invalid code value", ak4="7", contrl="12"),
    ProblemCode("element_invalid_date", "element", "invalid date", ak4="8", contrl="12"),
    ProblemCode("element_invalid_time", "element", "invalid time", ak4="9", contrl="12"),
    ProblemCode(
        "element_exclusion_violated",
        "element",
        "exclusion condition violated",
        ak4="10",
        contrl="12",
    ),
    ProblemCode(
        "element_too_many_repetitions", "element", "too many repetitions", ak4="12", contrl="35"
    ),
    ProblemCode(
        "element_too_many_components", "element", "too many components", ak4="13", contrl="16"
    ),
    ProblemCode(
        "element_not_numeric",
        "element",
        "non-numeric value in a numeric element",
        ak4="6",
        contrl="37",
    ),
    ProblemCode(
        "hierarchy_invalid",
        "element",
        "HL numbering or parent reference is wrong",
        ak4="7",
        contrl="12",
    ),
    ProblemCode(
        "value_contains_delimiter",
        "element",
        "a value to write contains a delimiter",
        ak4="6",
        contrl="21",
    ),
)
