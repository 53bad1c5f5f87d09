"""The quick unescaping in selection must agree exactly with Segment's own."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from b2bbridge.core.edi.segments import EDIFACT_DEFAULT, Segment
from b2bbridge.core.mapping.loops import LoopDef, build_scopes
from b2bbridge.core.mapping.paths import parse_path
from b2bbridge.core.mapping.selection import compile_reader, find_value

TEXT = st.text(alphabet="ab:?+'", max_size=12)


@given(TEXT)
def test_component_reads_match_segment_components(raw: str) -> None:
    seg = Segment(["IMD", "F", raw], EDIFACT_DEFAULT, index=1)
    root = build_scopes([seg], LoopDef(""))
    expected = seg.components(2)
    for n in (1, 2, 3):
        found = find_value(parse_path(f"IMD.02.{n}"), root)
        want = expected[n - 1] if n <= len(expected) else ""
        assert (found.text if found else "") == want


@given(TEXT)
def test_element_reads_match_segment_element(raw: str) -> None:
    seg = Segment(["FTX", raw], EDIFACT_DEFAULT, index=1)
    root = build_scopes([seg], LoopDef(""))
    assert (compile_reader(parse_path("FTX.01"))(root) or "") == seg.element(1)


def test_escaped_separator_stays_in_its_component() -> None:
    seg = Segment(["IMD", "F", "a?:b:c?+d"], EDIFACT_DEFAULT, index=1)
    root = build_scopes([seg], LoopDef(""))
    assert compile_reader(parse_path("IMD.02.1"))(root) == "a:b"
    assert compile_reader(parse_path("IMD.02.2"))(root) == "c+d"
