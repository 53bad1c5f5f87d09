"""Segments rebuilt element by element: the fast path agrees with the detailed validator.

Each example takes a clean 850 or 856 (the fast path accepts it), picks one segment and
writes each of its elements afresh: absent, a valid value of its type, or a value broken
in one way (too long, too short, not a number, no such date or time, not in the code
list, holding a component separator); sometimes an element is added past the last. Two
things must hold. ``validate_segments`` (fast path first) reports exactly what the
detailed validator alone reports. And when every written value is valid, the fast path
accepts the message exactly when the detailed validator finds nothing: then only the
mandatory elements and syntax notes (P, R, E, C, L) decide, which the pattern writes as
branches on which elements are present.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemas_support import CATALOG, CORPUS, FIXTURES, transactions

from b2bbridge.core.edi.events import Transaction
from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.errors import Problem
from b2bbridge.core.schemas.fastpath import looks_clean
from b2bbridge.core.schemas.model import (
    NUMERIC_TYPES,
    ElementDef,
    ElementUse,
    LoopDef,
    MessageSchema,
    SegmentDef,
)
from b2bbridge.core.schemas.validator import MessageValidator, validate_segments

TEXT = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -"
# Types the pattern refuses whatever the value (it only looks closer at them).
UNCHECKED_TYPES = frozenset({"B"})


def _clean_samples() -> list[tuple[MessageSchema, Transaction]]:
    found = []
    files = sorted(CORPUS.glob("x12/*.edi")) + sorted(FIXTURES.glob("*.edi"))
    for path in files:
        for tx in transactions(path.read_bytes()):
            if tx.header.type not in ("850", "856"):
                continue
            schema = CATALOG.schema_for(tx.header.type, tx.header.version or "")
            if schema is not None and looks_clean(schema, tx.segments):
                found.append((schema, tx))
    return found


SAMPLES = _clean_samples()


def _segment_defs(loop: LoopDef, into: dict[str, SegmentDef]) -> dict[str, SegmentDef]:
    for slot in loop.slots:
        if slot.loop is not None:
            _segment_defs(slot.loop, into)
        elif slot.segment is not None:
            into.setdefault(slot.tag, slot.segment)
    return into


def _detailed(schema: MessageSchema, segments: list[Segment]) -> list[Problem]:
    validator = MessageValidator(schema)
    found = [p for seg in segments for p in validator.feed(seg)]
    return found + validator.finish()


@st.composite
def _valid(draw: st.DrawFn, e: ElementDef) -> str:
    """A value the detailed validator accepts for ``e``."""
    low, high = max(e.min_length, 1), e.max_length
    if e.codes is not None:
        fits = sorted(c for c in e.codes if low <= len(c) <= high)
        return draw(st.sampled_from(fits or sorted(e.codes)))
    sign = draw(st.sampled_from(["", "", "-"]))
    if e.type in NUMERIC_TYPES:
        return sign + draw(st.text("0123456789", min_size=low, max_size=min(high, 9)))
    if e.type in ("R", "n"):
        digits = draw(st.text("0123456789", min_size=max(low, 2), max_size=max(min(high, 9), 2)))
        cut = draw(st.integers(0, len(digits) - 1))
        if cut == 0 or len(digits) > high:  # a whole number
            return sign + digits[: max(high, 1)]
        return sign + digits[:cut] + "." + digits[cut:]
    if e.type == "DT":
        year, month = draw(st.integers(2000, 2099)), draw(st.integers(1, 12))
        # Every day of the month but February 29th, which the pattern leaves to the walk.
        last = 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31
        day = draw(st.integers(1, last))
        text = f"{year:04d}{month:02d}{day:02d}"
        return text if high >= 8 else text[2:]
    if e.type == "TM":
        hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
        seconds = f"{draw(st.integers(0, 59)):02d}" if high >= 6 and draw(st.booleans()) else ""
        return f"{hour:02d}{minute:02d}{seconds}"
    return draw(st.text(TEXT, min_size=low, max_size=min(high, 12)))


@st.composite
def _broken(draw: st.DrawFn, e: ElementDef, component: str) -> str:
    """A value the detailed validator faults for ``e``, in one of several ways."""
    ways = ["long", "components"]
    if e.min_length > 1:
        ways.append("short")
    if e.type in NUMERIC_TYPES or e.type in ("R", "n"):
        ways.append("letters")
    if e.type == "DT":
        ways.append("date")
    if e.type == "TM":
        ways.append("time")
    if e.codes is not None:
        ways.append("code")
    way = draw(st.sampled_from(ways))
    if way == "long":
        return "9" * (e.max_length + draw(st.integers(1, 3)))
    if way == "short":
        return "9" * (e.min_length - 1)
    if way == "letters":
        return "1X"
    if way == "date":
        bad = draw(st.sampled_from(["20260230", "20260431", "20250229", "20261132"]))
        return bad if e.max_length >= 8 else bad[2:]
    if way == "time":
        return "2460"
    if way == "code":
        return draw(st.sampled_from(["ZZ", "Q9Q", "0"]).filter(lambda c: c not in (e.codes or ())))
    return "A" + component + "B"


@st.composite
def _element(draw: st.DrawFn, use: ElementUse, component: str, breaking: bool) -> tuple[str, bool]:
    """A value for ``use`` and whether the pattern should judge it exactly."""
    plans = ["absent", "valid", "valid", "broken"] if breaking else ["absent", "valid"]
    plan = draw(st.sampled_from(plans))
    if plan == "absent":
        return "", True
    if use.element is not None:
        if plan == "broken":
            return draw(_broken(use.element, component)), False
        return draw(_valid(use.element)), use.element.type not in UNCHECKED_TYPES
    parts = []
    for comp in use.components:
        assert comp.element is not None
        present = comp.mandatory or draw(st.booleans())
        parts.append(draw(_valid(comp.element)) if present else "")
    while parts and not parts[-1]:
        parts.pop()
    if plan == "broken" and parts:
        parts.append("EXTRA" * 8)
    exact = plan != "broken" and not use.notes
    return component.join(parts), exact


@st.composite
def _rewritten(draw: st.DrawFn) -> tuple[MessageSchema, list[Segment], bool]:
    """A clean message with one segment's elements written anew."""
    schema, tx = draw(st.sampled_from(SAMPLES))
    segments = [Segment(list(s.elements), s.delimiters, index=s.index) for s in tx.segments]
    at = draw(st.integers(1, len(segments) - 2))
    seg = segments[at]
    sdef = _segment_defs(schema.root, {}).get(seg.elements[0])
    if sdef is None:
        return schema, segments, False
    comp = seg.delimiters.component
    breaking = draw(st.booleans())  # else only absent and valid values: notes decide
    exact = True
    elements = [sdef.tag]
    for use in sdef.elements:
        value, sure = draw(_element(use, comp, breaking))
        elements.append(value)
        exact = exact and (sure or not value)
    extra = draw(st.sampled_from(["", "", "empty", "value"]))
    if extra:
        elements.append("" if extra == "empty" else "Z")
    while len(elements) > 1 and not elements[-1] and draw(st.booleans()):
        elements.pop()  # a segment may end early or keep its empty elements
    seg.elements = elements
    return schema, segments, exact


def test_the_samples_hold_clean_850s_and_856s() -> None:
    kinds = {tx.header.type for _schema, tx in SAMPLES}
    assert kinds == {"850", "856"}


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(_rewritten())
def test_a_rewritten_segment_gets_the_same_problems_either_way(
    case: tuple[MessageSchema, list[Segment], bool],
) -> None:
    schema, segments, _exact = case
    assert validate_segments(segments, schema) == _detailed(schema, segments)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(_rewritten())
def test_with_valid_values_the_pattern_accepts_exactly_what_the_validator_does(
    case: tuple[MessageSchema, list[Segment], bool],
) -> None:
    schema, segments, exact = case
    faults = [p for p in _detailed(schema, segments) if p.code != "hierarchy_invalid"]
    accepted = looks_clean(schema, segments)
    if accepted:
        assert faults == []
    if exact:
        assert accepted == (faults == []), [p.message for p in faults]


def _segment(text: str) -> Segment:
    [tx] = transactions((FIXTURES / "850_no_contact.edi").read_bytes())
    d = tx.segments[0].delimiters
    return Segment(text.split(d.element), d)


def _with(line: str) -> tuple[MessageSchema, list[Segment]]:
    """The clean 850 fixture with its first PO1 replaced by ``line``."""
    schema = CATALOG.schema_for("850", "004010")
    assert schema is not None
    [tx] = transactions((FIXTURES / "850_no_contact.edi").read_bytes())
    segments = list(tx.segments)
    at = next(i for i, s in enumerate(segments) if s.elements[0] == "PO1")
    segments[at] = _segment(line)
    return schema, segments


def test_paired_elements_must_come_together() -> None:
    for line, clean in [
        ("PO1*1*24*EA*3.15*PE*VN*W-100", True),
        ("PO1*1*24*EA*3.15*PE*VN", False),  # P0607: 06 without 07
        ("PO1*1*24*EA*3.15*PE**W-100", False),  # P0607: 07 without 06
        ("PO1*1*24*EA*3.15*PE***VN*W-100", True),  # both of 06/07 empty, 08/09 set
        ("PO1*1**EA*3.15*PE*VN*W-100", False),  # C0302: 03 without 02
        ("PO1*1*24**3.15*PE*VN*W-100", True),  # 02 without 03 is allowed
    ]:
        schema, segments = _with(line)
        assert looks_clean(schema, segments) is clean, line
        assert (_detailed(schema, segments) == []) is clean, line


def test_a_component_separator_that_is_a_text_separator_leaves_the_message_to_the_walk() -> None:
    schema, segments = _with("PO1*1*24*EA*3.15*PE*VN*W-100")
    unit = replace(segments[0].delimiters, component="\x1f")  # as EDIFACT level B has it
    rebuilt = [Segment(list(s.elements), unit, index=s.index) for s in segments]
    po1 = next(s for s in rebuilt if s.elements[0] == "PO1")
    # PO101 holding components; joined into the text, "1" and "24" would each be valid.
    po1.elements[1:3] = ["1\x1f24"]
    assert not looks_clean(schema, rebuilt)
    found = validate_segments(rebuilt, schema)
    assert found == _detailed(schema, rebuilt)
    assert "element_too_many_components" in [p.code for p in found]
