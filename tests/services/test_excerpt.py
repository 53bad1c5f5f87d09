"""The payload excerpt around an error position that ``dlq show`` prints."""

from __future__ import annotations

from b2bbridge.services.excerpt import cut_excerpt

PAYLOAD = b"ISA*00~\nGS*PO~\nST*850*0001~\nBEG*00*SA*PO1~\nPO1*1~\nSE*4*0001~\n"


def test_excerpt_marks_the_error_at_its_byte_offset() -> None:
    offset = PAYLOAD.index(b"BEG")
    excerpt = cut_excerpt(PAYLOAD, offset, radius=20)
    assert excerpt.after.startswith("BEG*00*SA*PO1~")
    assert excerpt.before == "ST*850*0001~\n"


def test_excerpt_ends_after_the_line_following_the_error() -> None:
    excerpt = cut_excerpt(PAYLOAD, PAYLOAD.index(b"BEG"), radius=200)
    assert excerpt.after == "BEG*00*SA*PO1~\nPO1*1~"


def test_excerpt_without_an_offset_is_the_start_of_the_payload() -> None:
    excerpt = cut_excerpt(PAYLOAD, None, radius=5)
    assert (excerpt.start, excerpt.text, excerpt.marker) == (0, "ISA*00~\nGS", None)


def test_offset_past_the_end_is_treated_as_unknown() -> None:
    assert cut_excerpt(PAYLOAD, 10_000, radius=4).marker is None


def test_one_line_payload_is_cut_by_bytes() -> None:
    flat = b"A" * 100 + b"X" + b"B" * 100
    excerpt = cut_excerpt(flat, 100, radius=10)
    assert (excerpt.start, excerpt.end, excerpt.before, excerpt.after) == (
        90,
        110,
        "A" * 10,
        "X" + "B" * 9,
    )
