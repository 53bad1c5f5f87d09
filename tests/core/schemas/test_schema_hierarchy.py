"""The 856 HL hierarchy: HL01 counts up by one, HL02 names an earlier HL."""

from __future__ import annotations

from schemas_support import FIXTURES, brief, problems_of


def test_hl_gap_and_unknown_parent_are_each_reported_once() -> None:
    [found] = problems_of((FIXTURES / "856_bad_hierarchy.edi").read_bytes())
    assert brief(found, 3) == [
        ("hierarchy_invalid", "HL", 7, 1),  # HL*4 where 3 was due
        ("hierarchy_invalid", "HL", 10, 2),  # HL*5*9: no HL 9 before it
    ]


def test_hierarchy_in_order_has_no_problems() -> None:
    data = (FIXTURES / "856_bad_hierarchy.edi").read_bytes()
    fixed = data.replace(b"HL*4*2*I~", b"HL*3*2*I~").replace(b"HL*5*9*I~", b"HL*4*2*I~")
    assert problems_of(fixed) == [[]]
