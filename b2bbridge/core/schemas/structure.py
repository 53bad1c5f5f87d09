"""Where each segment belongs: a walk through the loops that keeps one frame per open loop.

The walker is fed one tag at a time and answers with the Slot the segment fills, or with
the reason it fits nowhere. It holds a stack of frames (the root message, then each open
loop); a frame remembers the slot it stands at and how often that slot was used, so the
state is as deep as the loop nesting and never grows with the message.

Placement rule, tried from the innermost open loop outwards: the tag matches a slot at or
after the frame's position (a loop's own trigger only re-opens it from the parent). A
match further on closes what was skipped, reporting mandatory slots never seen; a match on
the same slot counts one more use. A loop's trigger opens a new frame. A tag found only
behind the position is out of order; a tag of the schema that fits nowhere is unexpected;
an unknown tag is unrecognized.
"""

from __future__ import annotations

from dataclasses import dataclass

from b2bbridge.core.schemas.model import LoopDef, MessageSchema, Slot


@dataclass(slots=True)
class Frame:
    loop: LoopDef
    pos: int
    count: int


@dataclass(frozen=True, slots=True)
class StructureNote:
    """A structural finding: its code, the segment (or loop trigger) tag, and why."""

    code: str
    tag: str
    message: str


class StructureWalker:
    """Places the segments of one message, in order, on its schema's loops."""

    def __init__(self, schema: MessageSchema) -> None:
        self.schema = schema
        self.stack = [Frame(schema.root, 0, 0)]

    def place(self, tag: str, notes: list[StructureNote]) -> Slot | None:
        """The slot ``tag`` fills, appending any finding to ``notes``; None if it fits nowhere."""
        stack = self.stack
        for depth in range(len(stack) - 1, -1, -1):
            frame = stack[depth]
            positions = frame.loop.index.get(tag)
            if positions is None:
                continue
            floor = frame.pos if depth == 0 else max(frame.pos, 1)
            for p in positions:
                if p >= floor:
                    while len(stack) - 1 > depth:
                        self._close(stack.pop(), tag, notes)
                    return self._advance(frame, p, tag, notes)
        self._misplaced(tag, notes)
        return None

    def finish(self, tag: str, notes: list[StructureNote]) -> None:
        """Close every open loop at the end of the message; ``tag`` is the last segment's."""
        while self.stack:
            self._close(self.stack.pop(), tag, notes)

    def _advance(self, frame: Frame, p: int, tag: str, notes: list[StructureNote]) -> Slot:
        slots = frame.loop.slots
        slot = slots[p]
        if p == frame.pos and frame.count:
            frame.count += 1
            if frame.count > slot.max_use:
                code = "loop_over_max" if slot.loop is not None else "segment_over_max"
                msg = f"{slot.label} occurs {frame.count} times, at most {slot.max_use}"
                notes.append(StructureNote(code, tag, msg))
        else:
            self._skip(frame, p, tag, notes)
            frame.pos, frame.count = p, 1
        if slot.loop is not None:
            self.stack.append(Frame(slot.loop, 0, 1))
            return slot.loop.slots[0]
        return slot

    def _skip(self, frame: Frame, upto: int, tag: str, notes: list[StructureNote]) -> None:
        """Report mandatory slots from the frame's position up to (not including) ``upto``."""
        slots = frame.loop.slots
        for q in range(frame.pos, upto):
            used = frame.count if q == frame.pos else 0
            if used < slots[q].min_use:
                _missing(slots[q], tag, frame.loop, notes)

    def _close(self, frame: Frame, tag: str, notes: list[StructureNote]) -> None:
        self._skip(frame, len(frame.loop.slots), tag, notes)

    def _misplaced(self, tag: str, notes: list[StructureNote]) -> None:
        for frame in reversed(self.stack):
            positions = frame.loop.index.get(tag)
            if positions is not None and positions[0] < frame.pos:
                msg = f"{tag} comes after segments that must follow it"
                notes.append(StructureNote("segment_out_of_order", tag, msg))
                return
        if tag in self.schema.known_tags:
            where = self.stack[-1].loop.id
            msg = f"{tag} is not expected here (in {where})"
            notes.append(StructureNote("segment_unexpected", tag, msg))
        else:
            notes.append(
                StructureNote("segment_unrecognized", tag, f"{tag} is not a known segment")
            )


def _missing(slot: Slot, before: str, loop: LoopDef, notes: list[StructureNote]) -> None:
    where = "" if loop.id == "(root)" else f" in loop {loop.id}"
    msg = f"mandatory {slot.label} is missing{where} (found {before})"
    notes.append(StructureNote("segment_missing", slot.tag, msg))
