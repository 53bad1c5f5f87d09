"""The validator on small schemas written in the tests: one behaviour each."""

from __future__ import annotations

from b2bbridge.core.edi.segments import X12_DEFAULT, Delimiters, Segment
from b2bbridge.core.errors import Problem
from b2bbridge.core.schemas.catalog import TextSchemaCatalog
from b2bbridge.core.schemas.model import MessageSchema
from b2bbridge.core.schemas.validator import validate_events, validate_segments

DICTIONARY = """\
kind: dictionary
standard: x12
elements:
  "1": AN 1 5 Text
  "2": ID 2 2 Code
  "3": N0 1 4 Count
  "4": R 1 6 Amount
  "5": DT 8 8 Date
  "6": TM 4 6 Time
composites:
  C1: {elements: ["2 M", "1 O", "3 O"], notes: [P0203]}
segments:
  ST: {elements: ["2 M", "1 M"]}
  SE: {elements: ["3 M", "1 M"]}
  AA: {elements: ["1 M", "2 O", "3 O", "4 O", "5 O", "6 O"]}
  BB: {elements: ["2 M", "C1 O", "1 O 3"]}
  NN: {elements: ["1 O", "1 O", "1 O", "1 O"], notes: [P0102, R0304]}
  EX: {elements: ["1 O", "1 O", "1 O"], notes: [E0102, C0203, L030102]}
  LP: {elements: ["1 M"]}
  LQ: {elements: ["1 M"]}
  ZZ: {elements: ["1 O"]}
codes:
  "2": [AB, CD, ST, SE]
"""

MESSAGE = """\
kind: message
standard: x12
version: "004010"
set: "900"
dictionary: dict.yaml
structure:
  - ST M 1
  - AA M 1
  - BB O 2
  - NN O 1
  - EX O 1
  - {loop: LP, req: M, max: 2, body: [LP M 1, LQ O 1]}
  - SE M 1
"""

TEXTS = {"dict.yaml": DICTIONARY, "x12/004010/900.yaml": MESSAGE}
CATALOG = TextSchemaCatalog(TEXTS.__getitem__, sorted(TEXTS))
D = Delimiters(element="*", component=">", segment="~", repetition="^")


def _schema() -> MessageSchema:
    schema = CATALOG.schema_for("900", "004010")
    assert schema is not None
    return schema


def _segments(*raws: str, d: Delimiters = D) -> list[Segment]:
    return [Segment(raw.split("*"), d, index=n) for n, raw in enumerate(raws, start=1)]


def _check(*body: str) -> list[tuple[str, str | None, int | None, int | None]]:
    segs = _segments("ST*ST*0001", *body, "SE*9*0001")
    return [_brief(p) for p in validate_segments(segs, _schema())]


def _brief(p: Problem) -> tuple[str, str | None, int | None, int | None]:
    return (p.code, p.location.segment_id, p.location.segment_index, p.location.element)


def test_a_message_that_follows_its_schema_has_no_problems() -> None:
    assert _check("AA*X", "BB*AB", "LP*1", "LQ*2", "LP*3") == []


def test_mandatory_segment_missing_is_reported_where_its_absence_shows() -> None:
    assert _check("BB*AB", "LP*1") == [("segment_missing", "AA", 2, None)]


def test_segment_over_its_maximum_use_is_reported_on_the_extra_one() -> None:
    assert _check("AA*X", "BB*AB", "BB*AB", "BB*AB", "LP*1") == [
        ("segment_over_max", "BB", 5, None)
    ]


def test_loop_repeated_beyond_its_maximum_is_reported_on_its_trigger() -> None:
    assert _check("AA*X", "LP*1", "LP*2", "LP*3") == [("loop_over_max", "LP", 5, None)]


def test_segment_found_behind_the_current_position_is_out_of_order() -> None:
    found = _check("AA*X", "NN*A*B*C", "BB*AB", "LP*1")
    assert found == [("segment_out_of_order", "BB", 4, None)]


def test_known_segment_not_in_this_message_is_unexpected() -> None:
    assert _check("AA*X", "ZZ*1", "LP*1") == [("segment_unexpected", "ZZ", 3, None)]


def test_unknown_segment_is_unrecognized_and_the_walk_goes_on() -> None:
    assert _check("AA*X", "QQ*1", "LP*1", "LQ*1") == [("segment_unrecognized", "QQ", 3, None)]


def test_mandatory_loop_never_opened_is_missing_at_the_trailer() -> None:
    assert _check("AA*X") == [("segment_missing", "LP", 3, None)]


def test_element_errors_name_the_element() -> None:
    found = _check("AA*TOOLONG*XY*12A*1.2.3*20260230*2560", "LP*1")
    assert found == [
        ("element_too_long", "AA", 2, 1),
        ("element_invalid_code", "AA", 2, 2),
        ("element_not_numeric", "AA", 2, 3),
        ("element_not_numeric", "AA", 2, 4),
        ("element_invalid_date", "AA", 2, 5),
        ("element_invalid_time", "AA", 2, 6),
    ]


def test_numeric_length_ignores_sign_and_decimal_point() -> None:
    assert _check("AA*X**-1234*-123.45", "LP*1") == []


def test_empty_mandatory_element_and_extra_element_are_reported() -> None:
    assert _check("AA**AB*1*1*20260101*1200*EXTRA", "LP*1") == [
        ("element_missing", "AA", 2, 1),
        ("element_too_many", "AA", 2, 7),
    ]


def test_composite_component_problems_carry_the_component() -> None:
    segs = _segments("ST*ST*1", "AA*X", "BB*AB*ZZ>x>1>9", "LP*1", "SE*1*1")
    found = validate_segments(segs, _schema())
    assert [(p.code, p.location.element, p.location.component) for p in found] == [
        ("element_too_many_components", 2, 4),
        ("element_invalid_code", 2, 1),
    ]


def test_composite_syntax_note_is_checked_on_components() -> None:
    segs = _segments("ST*ST*1", "AA*X", "BB*AB*CD>x", "LP*1", "SE*1*1")
    found = validate_segments(segs, _schema())
    assert [(p.code, p.location.element, p.location.component) for p in found] == [
        ("element_conditional_missing", 2, 3)
    ]


def test_repeated_element_is_checked_per_repeat_and_counted() -> None:
    segs = _segments("ST*ST*1", "AA*X", "BB*AB**a^b^TOOLONG^d", "LP*1", "SE*1*1")
    found = validate_segments(segs, _schema())
    assert [(p.code, p.location.element) for p in found] == [
        ("element_too_many_repetitions", 3),
        ("element_too_long", 3),
    ]


def test_repetition_separator_is_plain_text_where_the_syntax_has_none() -> None:
    segs = _segments("ST*ST*1", "AA*X", "BB*AB**a^b", "LP*1", "SE*1*1", d=X12_DEFAULT)
    old = Delimiters(element="*", component=">", segment="~")
    segs = [Segment(s.elements, old, index=s.index) for s in segs]
    assert validate_segments(segs, _schema()) == []


def test_paired_and_required_syntax_notes() -> None:
    assert _check("AA*X", "NN*A", "LP*1") == [
        ("element_conditional_missing", "NN", 3, 2),
        ("element_conditional_missing", "NN", 3, 3),
    ]


def test_exclusion_conditional_and_list_conditional_notes() -> None:
    assert _check("AA*X", "EX*A*B", "LP*1") == [
        ("element_exclusion_violated", "EX", 3, 2),
        ("element_conditional_missing", "EX", 3, 3),
    ]
    assert _check("AA*X", "EX***C", "LP*1") == [("element_conditional_missing", "EX", 3, 1)]


def test_streaming_over_events_gives_the_same_problems_as_a_buffered_transaction() -> None:
    from b2bbridge.core.edi.events import collect_transactions
    from b2bbridge.core.edi.reader import read_bytes_events
    from b2bbridge.core.schemas.validator import validate_transaction

    text = (
        b"ISA*00*          *00*          *ZZ*A              *ZZ*B              *260101*1200*U*"
        b"00401*000000001*0*T*>~GS*ZZ*A*B*20260101*1200*1*X*004010~ST*900*0001~AA*X~BB*AB~"
        b"BB*AB~BB*AB~SE*6*0001~GE*1*1~IEA*1*000000001~"
    )
    streamed = [
        e for e in validate_events(read_bytes_events(text), CATALOG) if isinstance(e, Problem)
    ]
    tx = [t for t in collect_transactions(read_bytes_events(text)) if hasattr(t, "segments")]
    buffered = validate_transaction(tx[0], CATALOG)  # type: ignore[arg-type]
    assert [_brief(p) for p in streamed] == [_brief(p) for p in buffered]
    assert [p.code for p in buffered] == [
        "element_too_long",
        "segment_over_max",
        "segment_missing",
    ]
