"""Partner overlays: a few changes laid over a base schema, never a copy of it.

An overlay file (``kind: overlay``) lists ``changes``; each names its target by a path of
loop ids and a segment tag (``N1/N3``; ``DTM#2`` is the second DTM slot of that loop):

- ``{segment: PATH, req: M, max: 1}`` changes a segment's or a loop's use;
- ``{add: CSH, after: PATH, req: O, max: 1}`` (or ``before:``) places a segment the base
  lacks; the tag must be in the dictionary or ``known`` to the schema;
- ``{element: BEG01, req: M, codes: [SA, NE]}`` makes an element mandatory or restricts
  its code list, in every use of that segment in this set.

Applying an overlay builds new loops and segment definitions; the base stays as it was,
so one compiled base serves every partner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from b2bbridge.core.mapping.marks import Mark, MarkedList, MarkedMap
from b2bbridge.core.schemas.dictionary import Dictionary, read_yaml, schema_error
from b2bbridge.core.schemas.loader import parse_max, parse_req
from b2bbridge.core.schemas.model import ElementUse, LoopDef, MessageSchema, SegmentDef, Slot

_ELEMENT_REF = re.compile(r"^([A-Z0-9]{2,3}?)(\d\d)$")
_CHANGE_KEYS = frozenset({"segment", "add", "after", "before", "element", "req", "max", "codes"})


@dataclass(frozen=True, slots=True)
class Overlay:
    name: str
    partner: str
    set_id: str
    changes: tuple[tuple[MarkedMap, Mark], ...]


def load_overlay(text: str, name: str) -> Overlay:
    """Read an overlay file; its changes are checked when applied to a base."""
    tree = read_yaml(text, name)
    if tree.get("kind") != "overlay":
        raise schema_error("an overlay file needs kind: overlay", tree.mark)
    changes = tree.get("changes")
    if not isinstance(changes, MarkedList) or not changes:
        raise schema_error("an overlay needs a non-empty changes list", tree.mark)
    out: list[tuple[MarkedMap, Mark]] = []
    for change, mark in zip(changes, changes.marks, strict=True):
        if not isinstance(change, MarkedMap):
            raise schema_error("each change must be a mapping", mark)
        unknown = sorted(set(change) - _CHANGE_KEYS)
        if unknown:
            raise schema_error(f"unknown change key {unknown[0]!r}", change.marks[unknown[0]])
        out.append((change, mark))
    return Overlay(name, str(tree.get("partner", "")), str(tree.get("set", "")), tuple(out))


def apply_overlay(
    schema: MessageSchema, overlay: Overlay, dictionary: Dictionary | None = None
) -> MessageSchema:
    """A new schema: ``schema`` with the overlay's changes, in order."""
    root = _copy_loop(schema.root)
    known = set(schema.known_tags)
    for change, mark in overlay.changes:
        if "segment" in change:
            _change_use(root, change, mark)
        elif "add" in change:
            known.add(_add_segment(root, change, mark, dictionary))
        elif "element" in change:
            _change_element(root, change, mark)
        else:
            raise schema_error("a change needs segment:, add: or element:", mark)
    name = f"{schema.source} + {overlay.name}"
    return replace(schema, root=root, known_tags=frozenset(known), source=name)


def _copy_loop(loop: LoopDef) -> LoopDef:
    slots = [
        Slot(s.tag, s.min_use, s.max_use, s.segment, _copy_loop(s.loop) if s.loop else None)
        for s in loop.slots
    ]
    return LoopDef(loop.id, slots, dict(loop.index))


def _find(root: LoopDef, path: str, mark: Mark) -> tuple[LoopDef, int]:
    """The loop holding the target of ``path``, and the target's slot position in it.

    The last part names a segment slot, or a loop when the level has no such segment;
    the parts before it name loops.
    """
    parts = path.split("/")
    loop = root
    for depth, part in enumerate(parts):
        tag, _, nth = part.partition("#")
        want = int(nth) - 1 if nth.isdigit() else 0
        segs = [p for p, s in enumerate(loop.slots) if s.segment is not None and s.tag == tag]
        loops = [p for p, s in enumerate(loop.slots) if s.loop is not None and s.loop.id == tag]
        last = depth == len(parts) - 1
        hits = (segs or loops) if last else loops
        if want >= len(hits):
            raise schema_error(f"path {path!r}: no {part!r} in {loop.id}", mark)
        if last:
            return loop, hits[want]
        inner = loop.slots[hits[want]].loop
        assert inner is not None
        loop = inner
    raise schema_error(f"path {path!r} is empty", mark)


def _change_use(root: LoopDef, change: MarkedMap, mark: Mark) -> None:
    loop, pos = _find(root, str(change["segment"]), change.marks["segment"])
    slot = loop.slots[pos]
    if "req" in change:
        slot.min_use = max(parse_req(change["req"], change.marks["req"]), 0)
    if "max" in change:
        slot.max_use = parse_max(change["max"], change.marks["max"])


def _add_segment(
    root: LoopDef, change: MarkedMap, mark: Mark, dictionary: Dictionary | None
) -> str:
    tag = str(change["add"])
    anchor_key = "after" if "after" in change else "before"
    if anchor_key not in change:
        raise schema_error("add: needs after: or before:", mark)
    loop, pos = _find(root, str(change[anchor_key]), change.marks[anchor_key])
    segment = _segment_for(root, tag, dictionary, change.marks["add"])
    low = parse_req(change.get("req", "O"), change.marks.get("req", mark))
    high = parse_max(change.get("max", 1), change.marks.get("max", mark))
    loop.slots.insert(pos + 1 if anchor_key == "after" else pos, Slot(tag, low, high, segment))
    loop.reindex()
    return tag


def _segment_for(root: LoopDef, tag: str, dictionary: Dictionary | None, mark: Mark) -> SegmentDef:
    if dictionary is not None:
        return dictionary.segment(tag, mark)
    for slot in _walk(root):
        if slot.segment is not None and slot.tag == tag:
            return slot.segment
    raise schema_error(f"segment {tag} is not in the dictionary", mark)


def _walk(loop: LoopDef) -> list[Slot]:
    out: list[Slot] = []
    for slot in loop.slots:
        out.append(slot)
        if slot.loop is not None:
            out.extend(_walk(slot.loop))
    return out


def _change_element(root: LoopDef, change: MarkedMap, mark: Mark) -> None:
    ref = str(change["element"])
    found = _ELEMENT_REF.match(ref)
    where = change.marks["element"]
    if found is None:
        raise schema_error(f"element {ref!r} is not like BEG01", where)
    tag, pos = found.group(1), int(found.group(2))
    slots = [s for s in _walk(root) if s.segment is not None and s.tag == tag]
    if not slots or slots[0].segment is None or pos > len(slots[0].segment.elements):
        raise schema_error(f"element {ref!r}: no such segment or element in this set", where)
    segment = slots[0].segment
    use = _changed_use(segment.elements[pos - 1], change)
    elements = (*segment.elements[: pos - 1], use, *segment.elements[pos:])
    new = replace(segment, elements=elements)
    for slot in slots:
        slot.segment = new


def _changed_use(use: ElementUse, change: MarkedMap) -> ElementUse:
    if "req" in change:
        use = replace(use, mandatory=parse_req(change["req"], change.marks["req"]) == 1)
    codes = change.get("codes")
    if codes is not None:
        if not isinstance(codes, MarkedList) or use.element is None:
            raise schema_error("codes must be a list, on a simple element", change.marks["codes"])
        use = replace(use, element=replace(use.element, codes=frozenset(str(c) for c in codes)))
    return use
