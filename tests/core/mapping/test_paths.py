from __future__ import annotations

import pytest

from b2bbridge.core.mapping.paths import Match, PathSyntaxError, parse_path


def test_plain_element_path() -> None:
    path = parse_path("BEG.03")
    assert [s.tag for s in path.steps] == ["BEG"]
    assert (path.element, path.component, path.pick) == (3, None, None)


def test_qualified_segment_path_keeps_leading_zero_values() -> None:
    path = parse_path("DTM[01=002].02")
    assert path.steps[0].conditions == (Match(1, None, frozenset({"002"})),)
    assert path.element == 2


def test_component_condition_and_component_value() -> None:
    path = parse_path("DTM[01.1=137].01.2")
    assert path.steps[0].conditions == (Match(1, 1, frozenset({"137"})),)
    assert (path.element, path.component) == (1, 2)


def test_loop_step_then_segment() -> None:
    path = parse_path("N1[01=ST|DP]/N3.01")
    assert [s.tag for s in path.steps] == ["N1", "N3"]
    assert path.steps[0].conditions[0].values == frozenset({"ST", "DP"})
    assert path.head == path.steps[:1]


def test_x12_pick_names_the_element_after_the_qualifier() -> None:
    path = parse_path("PO1{06=UP}")
    assert path.pick == Match(6, None, frozenset({"UP"}))
    assert path.element is None
    assert path.names_value


def test_composite_pick_takes_a_component() -> None:
    path = parse_path("PIA{02.2=IN}.1")
    assert path.pick == Match(2, 2, frozenset({"IN"}))
    assert (path.element, path.component) == (None, 1)


def test_path_without_element_names_segments() -> None:
    assert not parse_path("N1[01=ST]").names_value


def test_element_on_an_inner_step_is_refused() -> None:
    with pytest.raises(PathSyntaxError, match="only the last step"):
        parse_path("N1.01/N3.01")


def test_bad_step_reports_its_column() -> None:
    with pytest.raises(PathSyntaxError) as info:
        parse_path("N1[01=ST]/n3.01")
    assert info.value.column == 10


def test_element_zero_is_refused() -> None:
    with pytest.raises(PathSyntaxError, match="start at 1"):
        parse_path("BEG.0")


def test_x12_pick_with_an_element_is_refused() -> None:
    with pytest.raises(PathSyntaxError, match="already names"):
        parse_path("PO1{06=UP}.07")
