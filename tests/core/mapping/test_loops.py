from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from mapping_support import edifact_segments, x12_segments

from b2bbridge.core.edi.segments import X12_DEFAULT, Segment
from b2bbridge.core.mapping.loops import LoopDef, Scope, build_scopes


def test_nested_loop_instances_hold_their_own_segments() -> None:
    segs = x12_segments("PO1*1~PID*F~N1*ST*A~N3*X~PO1*2~N1*ST*B~CTT*2~")
    loops = LoopDef("", children={
        "PO1": LoopDef("PO1", frozenset({"PID"}), {"N1": LoopDef("N1", frozenset({"N3"}))}),
    })  # fmt: skip
    root = build_scopes(segs, loops)
    first, second = root.loops["PO1"]
    assert [s.tag for s in first.by_tag["PID"]] == ["PID"]
    assert first.loops["N1"][0].by_tag["N3"][0].element(1) == "X"
    assert second.loops["N1"][0].start.element(2) == "B"  # type: ignore[union-attr]
    assert [s.element(1) for s in root.by_tag["CTT"]] == ["2"]


def test_a_segment_outside_the_loop_members_closes_the_loop() -> None:
    segs = edifact_segments("NAD+BY+1'CTA+PD+X'COM+1:TE'CUX+2:EUR:9'NAD+SU+2'")
    loops = LoopDef("", children={
        "NAD": LoopDef("NAD", children={"CTA": LoopDef("CTA", frozenset({"COM"}))}),
    })  # fmt: skip
    root = build_scopes(segs, loops)
    assert len(root.loops["NAD"]) == 2
    assert "CUX" in root.by_tag
    assert root.loops["NAD"][0].loops["CTA"][0].by_tag["COM"][0].component(1, 2) == "TE"


LOOPS = LoopDef("", children={
    "N1": LoopDef("N1", frozenset({"N3", "REF"})),
    "PO1": LoopDef("PO1", frozenset({"PID", "REF"}), {"SLN": LoopDef("SLN", frozenset({"PID"}))}),
})  # fmt: skip


def _filed(scope: Scope) -> list[int]:
    """Indexes of the segments filed in a scope tree, each loop start counted once."""
    own = [s.index for segs in scope.by_tag.values() for s in segs]
    starts = {
        inst.start.index
        for insts in scope.loops.values()
        for inst in insts
        if inst.start is not None
    }
    out = [i for i in own if i not in starts]
    for insts in scope.loops.values():
        for inst in insts:
            out.extend(_filed(inst))
    return out


@given(
    st.lists(st.sampled_from(["BEG", "N1", "N3", "REF", "PO1", "PID", "SLN", "CTT"]), max_size=30)
)
def test_every_segment_is_filed_exactly_once(tags: list[str]) -> None:
    segs = [Segment([t], X12_DEFAULT, index=i) for i, t in enumerate(tags, start=1)]
    assert sorted(_filed(build_scopes(segs, LOOPS))) == list(range(1, len(tags) + 1))
