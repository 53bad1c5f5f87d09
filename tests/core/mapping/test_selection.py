from __future__ import annotations

from mapping_support import edifact_segments, x12_segments

from b2bbridge.core.mapping.loops import LoopDef, Scope, build_scopes
from b2bbridge.core.mapping.paths import parse_path
from b2bbridge.core.mapping.selection import compile_reader, find_value, select_scopes

X12 = (
    "ST*850*0001~BEG*00*SA*PO1**20240115~DTM*010*20240110~DTM*002*20240201~"
    "N1*BT*BILLING~N3*PO BOX 1~N1*ST*STORE 9~N3*1 MAIN ST~N4*COLUMBUS*OH*43215~"
    "PO1*1*5*EA*2.5**VN*V-1*UP*012345678905~PID*F****WIDGET~"
    "PO1*2*1*CA*9**UP*012345678912~CTT*2~SE*14*0001~"
)
LOOPS = LoopDef("", children={
    "N1": LoopDef("N1", frozenset({"N3", "N4"})),
    "PO1": LoopDef("PO1", frozenset({"PID", "DTM"})),
})  # fmt: skip


def _root() -> Scope:
    return build_scopes(x12_segments(X12), LOOPS)


def _value(path: str) -> str | None:
    found = find_value(parse_path(path), _root())
    return found.text if found else None


def test_qualifier_selects_the_matching_segment() -> None:
    assert _value("DTM[01=002].02") == "20240201"


def test_loop_qualifier_then_member_segment() -> None:
    assert _value("N1[01=ST]/N3.01") == "1 MAIN ST"


def test_loop_start_is_readable_from_the_enclosing_scope() -> None:
    assert _value("N1[01=ST].02") == "STORE 9"


def test_segments_after_a_loop_return_to_the_root() -> None:
    assert _value("CTT.01") == "2"


def test_each_over_a_loop_gives_every_instance_in_order() -> None:
    lines = select_scopes(parse_path("PO1"), _root())
    assert [scope.start.element(1) for scope in lines if scope.start is not None] == ["1", "2"]


def test_x12_pick_reads_the_value_after_the_qualifier_wherever_it_is() -> None:
    lines = select_scopes(parse_path("PO1"), _root())
    gtin = parse_path("PO1{06=UP}")
    assert [find_value(gtin, s).text for s in lines] == ["012345678905", "012345678912"]  # type: ignore[union-attr]


def test_found_value_knows_its_position() -> None:
    found = find_value(parse_path("DTM[01=002].02"), _root())
    assert found is not None
    assert (found.segment.tag, found.segment.index, found.element) == ("DTM", 4, 2)


def test_missing_segment_gives_none() -> None:
    assert _value("CUR.02") is None


def test_compiled_reader_agrees_with_find_value() -> None:
    root = _root()
    for text in ("BEG.03", "DTM[01=010].02", "N1[01=ST]/N3.01", "PO1{06=VN}", "TD5.05"):
        path = parse_path(text)
        found = find_value(path, root)
        assert compile_reader(path)(root) == (found.text if found else None), text


def test_edifact_component_condition_and_release_character() -> None:
    segs = edifact_segments("UNH+1+ORDERS:D:96A:UN'DTM+137:20240115:102'IMD+F++:::10MM?+BLUE'")
    root = build_scopes(segs, LoopDef(""))
    assert find_value(parse_path("DTM[01.1=137].01.2"), root).text == "20240115"  # type: ignore[union-attr]
    assert find_value(parse_path("IMD.03.4"), root).text == "10MM+BLUE"  # type: ignore[union-attr]


def test_edifact_composite_pick() -> None:
    segs = edifact_segments("PIA+5+111:SA+222:IN::92'")
    root = build_scopes(segs, LoopDef(""))
    assert find_value(parse_path("PIA{02.2=IN}.1"), root).text == "222"  # type: ignore[union-attr]
