"""The whole-message pattern only ever accepts what the detailed validator finds clean."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from schemas_support import CATALOG, CORPUS, FIXTURES, transactions

from b2bbridge.core.edi.events import Transaction
from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.schemas.fastpath import looks_clean
from b2bbridge.core.schemas.model import MessageSchema
from b2bbridge.core.schemas.validator import MessageValidator

FILES = sorted(CORPUS.glob("*/*.edi")) + sorted(FIXTURES.glob("*.edi"))
SAMPLES: list[tuple[MessageSchema, Transaction]] = []
for _path in FILES:
    for _tx in transactions(_path.read_bytes()):
        _schema = CATALOG.schema_for(_tx.header.type, _tx.header.version or "")
        if _schema is not None:
            SAMPLES.append((_schema, _tx))


def _detailed(schema: MessageSchema, segments: list[Segment]) -> list[str]:
    validator = MessageValidator(schema)
    found = [p.code for seg in segments for p in validator.feed(seg)]
    found += [p.code for p in validator.finish()]
    return [code for code in found if code != "hierarchy_invalid"]


def test_pattern_accepts_no_corpus_message_the_validator_faults() -> None:
    accepted = [(s, t) for s, t in SAMPLES if looks_clean(s, t.segments)]
    assert len(SAMPLES) == 96
    assert len(accepted) == 63  # dates on the 29th to 31st are no longer left to the walk
    assert all(_detailed(s, t.segments) == [] for s, t in accepted)


def test_pattern_accepts_the_last_days_of_long_months_and_leaves_february_29th_to_the_walk() -> (
    None
):
    data = (FIXTURES / "850_no_contact.edi").read_bytes()
    schema = CATALOG.schema_for("850", "004010")
    assert schema is not None
    for date, clean in [("20260331", True), ("20260430", True), ("20261231", True),
                        ("20280229", False), ("20270229", False)]:  # fmt: skip
        [tx] = transactions(data.replace(b"**20260301~", f"**{date}~".encode()))
        assert looks_clean(schema, tx.segments) is clean, date
    [leap] = transactions(data.replace(b"**20260301~", b"**20280229~"))
    assert _detailed(schema, leap.segments) == []  # a real day: the walk accepts it


def test_pattern_accepts_the_clean_fixture_and_refuses_its_broken_copies() -> None:
    data = (FIXTURES / "850_no_contact.edi").read_bytes()
    schema = CATALOG.schema_for("850", "004010")
    assert schema is not None
    [clean] = transactions(data)
    assert looks_clean(schema, clean.segments)
    for good, bad in [
        (b"PO1*1*24*EA*3.15*PE*VN*W-100~", b"PO1*1*24*EA*3.15*PE*VN~"),  # P0607
        (b"BEG*00*SA*PO-7781**20260301~", b"BEG*00*SA*PO-7781**20260230~"),  # no such day
        (b"BEG*00*SA*PO-7781**20260301~", b"BEG*00*SA*PO-7781**20260431~"),  # April 31st
        (b"DTM*002*20260315~", b"DTM*002~"),  # R020305
        (b"CTT*2~", b"CTT*2*1.5.5~"),  # not a number
    ]:
        [tx] = transactions(data.replace(good, bad))
        assert not looks_clean(schema, tx.segments), bad


EDITS = st.sampled_from(["drop", "empty", "grow", "swap", "extra", "digit"])


@given(st.integers(0, len(SAMPLES) - 1), st.integers(0, 10_000), st.integers(0, 30), EDITS)
def test_an_edited_message_is_accepted_only_if_the_validator_agrees(
    sample: int, where: int, element: int, edit: str
) -> None:
    schema, tx = SAMPLES[sample]
    segments = [Segment(list(s.elements), s.delimiters, index=s.index) for s in tx.segments]
    n = 1 + where % max(len(segments) - 2, 1)
    seg = segments[min(n, len(segments) - 1)]
    k = 1 + element % max(len(seg.elements) - 1, 1)
    if edit == "drop":
        del segments[min(n, len(segments) - 1)]
    elif edit == "swap" and n + 1 < len(segments):
        segments[n], segments[n + 1] = segments[n + 1], segments[n]
    elif k < len(seg.elements):
        value = seg.elements[k]
        seg.elements[k] = {
            "empty": "",
            "grow": value + "X" * 40,
            "extra": value,
            "digit": value + "7",
            "drop": value,
            "swap": value,
        }[edit]
        if edit == "extra":
            seg.elements.append("Z")
    if looks_clean(schema, segments):
        assert _detailed(schema, segments) == []


def _without_text(segments: list[Segment]) -> list[Segment]:
    """Copies built from elements: the pattern then reads elements joined anew."""
    return [Segment(list(s.elements), s.delimiters, s.offset, s.line, s.index) for s in segments]


def test_the_text_a_reader_keeps_gives_the_verdict_of_the_joined_elements() -> None:
    assert all(s.text is not None for _schema, tx in SAMPLES for s in tx.segments)
    for schema, tx in SAMPLES:
        assert looks_clean(schema, tx.segments) == looks_clean(schema, _without_text(tx.segments))


def test_released_separators_in_the_read_text_stay_inside_their_value() -> None:
    data = (FIXTURES / "orders_d01b_order.edi").read_bytes()
    schema = CATALOG.schema_for("ORDERS", "D:01B:UN:EAN010")
    assert schema is not None
    for text, clean in [
        (b"IMD+F++:::Widget?+blue?: big?'s??", True),  # every separator released
        (b"IMD+F++:::Widget+blue", False),  # an unreleased '+' is a seventh element
        (b"IMD+F++:::" + b"W?+" * 130, False),  # 260 characters once released: over 256
        (b"IMD+F++:::" + b"W?+" * 120, True),  # 360 as written, 240 once released
    ]:
        [tx] = transactions(data.replace(b"IMD+F++:::Widget, blue", text))
        assert b"?" not in text or any(s.text and "?" in s.text for s in tx.segments)
        assert looks_clean(schema, tx.segments) is clean, text
        assert looks_clean(schema, _without_text(tx.segments)) is clean, text
        assert (_detailed(schema, tx.segments) == []) is clean, text
