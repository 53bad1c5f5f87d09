"""The streaming structural validator: one message's segments in, Problems out.

:class:`MessageValidator` takes the segments of one transaction set or message in order
(ST/UNH first, SE/UNT last), as the reader yields them, and keeps only its place in the
schema: no tree of the message is built. Because most messages are clean, each is first
offered whole to the schema's compiled pattern (:mod:`b2bbridge.core.schemas.fastpath`);
only a message the pattern refuses is walked segment by segment. :func:`validate_events`
runs over a whole event stream; :func:`validate_transaction` over one buffered
:class:`~b2bbridge.core.edi.events.Transaction`, choosing the schema from a catalog.

Each Problem's Location carries the segment's position as ``Segment.index`` (counted in
the interchange, as the ack builders expect), its tag, the element and component, and
the interchange, group and transaction control numbers, so that a 997/999 gets its
AK3/AK4 (IK3/IK4) and a CONTRL its UCS/UCD from the problems alone. A segment that fits
nowhere is reported and skipped; the walk goes on, so one stray segment costs one error.

For the schema's hierarchy segment (HL in an 856) the validator also checks that HL01
counts up by one from 1 (after a gap it counts on from the number found, so one gap is
one error) and that each HL02 names an HL already seen. It keeps the HL01 values seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, groupby
from typing import cast

from b2bbridge.core.edi.events import (
    Event,
    GroupStart,
    Transaction,
    TransactionEnd,
    TransactionHeader,
    TransactionStart,
)
from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.errors import Problem
from b2bbridge.core.location import Location
from b2bbridge.core.schemas.catalog import SchemaSource
from b2bbridge.core.schemas.elements import Finding, check_segment
from b2bbridge.core.schemas.fastpath import looks_clean
from b2bbridge.core.schemas.model import MessageSchema
from b2bbridge.core.schemas.structure import StructureNote, StructureWalker


class MessageValidator:
    """Validates one message, segment by segment."""

    def __init__(self, schema: MessageSchema, header: TransactionHeader | None = None) -> None:
        self.schema = schema
        self.walker = StructureWalker(schema)
        self.base = Location(
            interchange=header.interchange_control_number if header else None,
            group=header.group_control_number if header else None,
            transaction=header.control_number if header else None,
        )
        self.last: Segment | None = None
        self._hl_seen: set[str] = set()
        self._hl_next = 1

    def feed(self, seg: Segment) -> list[Problem]:
        """The problems of one segment, in the order they were found."""
        self.last = seg
        notes: list[StructureNote] = []
        slot = self.walker.place(seg.elements[0], notes)
        out = [self._structure_problem(n, seg) for n in notes] if notes else []
        if slot is not None and slot.segment is not None:
            findings = check_segment(seg, slot.segment)
            if findings:
                out.extend(self._element_problem(f, seg) for f in findings)
            if seg.elements[0] == self.schema.hierarchy:
                out.extend(self._element_problem(f, seg) for f in self._check_hierarchy(seg))
        return out

    def finish(self, *, complete: bool = True) -> list[Problem]:
        """Problems found at the end: mandatory segments and loops never seen."""
        last = self.last
        notes: list[StructureNote] = []
        self.walker.finish(last.elements[0] if last else "", notes)
        if not complete:  # the reader already reported the missing trailer
            notes = [n for n in notes if n.code != "segment_missing" or n.tag not in ("SE", "UNT")]
        if last is None:
            return [Problem(n.code, n.message, self.base.with_(segment_id=n.tag)) for n in notes]
        return [self._structure_problem(n, last) for n in notes]

    def _where(self, seg: Segment, tag: str) -> Location:
        return self.base.with_(
            segment_index=seg.index, segment_id=tag, line=seg.line, byte_offset=seg.offset
        )

    def _structure_problem(self, note: StructureNote, seg: Segment) -> Problem:
        return Problem(note.code, note.message, self._where(seg, note.tag))

    def _element_problem(self, f: Finding, seg: Segment) -> Problem:
        where = self._where(seg, seg.elements[0]).with_(element=f.element, component=f.component)
        return Problem(f.code, f.message, where)

    def check_hierarchy(self, segments: list[Segment]) -> list[Problem]:
        """Only the HL numbering of ``segments`` (for messages otherwise known clean)."""
        tag = self.schema.hierarchy
        if tag is None:
            return []
        out: list[Problem] = []
        for seg in segments:
            if seg.elements[0] == tag:
                out.extend(self._element_problem(f, seg) for f in self._check_hierarchy(seg))
        return out

    def _check_hierarchy(self, seg: Segment) -> list[Finding]:
        own, parent = seg.raw(1), seg.raw(2)
        out: list[Finding] = []
        if own != str(self._hl_next):
            msg = f"HL01 is {own!r}, the hierarchy expects {self._hl_next}"
            out.append(Finding("hierarchy_invalid", msg, 1))
        if parent and parent not in self._hl_seen:
            msg = f"HL02 {parent!r} names no earlier HL"
            out.append(Finding("hierarchy_invalid", msg, 2))
        self._hl_seen.add(own)
        self._hl_next = int(own) + 1 if own.isdigit() else self._hl_next + 1
        return out


def validate_segments(
    segments: Iterable[Segment],
    schema: MessageSchema,
    header: TransactionHeader | None = None,
    *,
    complete: bool = True,
) -> list[Problem]:
    """Every problem of one message's segments (header to trailer) against ``schema``.

    A message the schema's pattern accepts whole is clean but for its HL numbering, which
    is then the only thing checked; any other goes through :class:`MessageValidator`.
    """
    segs = segments if isinstance(segments, list) else list(segments)
    if looks_clean(schema, segs):
        if schema.hierarchy is None:
            return []
        return MessageValidator(schema, header).check_hierarchy(segs)
    validator = MessageValidator(schema, header)
    out: list[Problem] = []
    for seg in segs:
        found = validator.feed(seg)
        if found:
            out.extend(found)
    out.extend(validator.finish(complete=complete))
    return out


def unsupported(header: TransactionHeader, reason: str) -> Problem:
    """The problem for a message no schema describes: a negative ack, never a crash."""
    seg = header.segment
    where = Location(
        interchange=header.interchange_control_number,
        group=header.group_control_number,
        transaction=header.control_number,
        segment_index=seg.index,
        segment_id=seg.elements[0],
        line=seg.line,
        byte_offset=seg.offset,
    )
    return Problem("transaction_unsupported", reason, where)


def validate_transaction(
    tx: Transaction, schemas: SchemaSource, partner: str | None = None
) -> list[Problem]:
    """The structural problems of one buffered transaction, with ``partner``'s overlays.

    A message whose set has no schema gets one ``transaction_unsupported`` problem.
    """
    header = tx.header
    schema = schemas.schema_for(header.type, _version(tx), partner)
    if schema is None:
        reason = f"no schema for {header.type} version {_version(tx) or '?'}"
        return [unsupported(header, reason)]
    return validate_segments(tx.segments, schema, header, complete=tx.complete)


def _version(tx: Transaction) -> str:
    return tx.header.version or (tx.group.version or "")


def validate_events(
    events: Iterable[Event], schemas: SchemaSource, partner: str | None = None
) -> Iterator[Event]:
    """Pass every event through, adding each message's problems before its TransactionEnd.

    Memory stays flat: the segments of one message are held until its trailer arrives
    (the readers yield them anyway), then dropped. A message left without a trailer is
    checked when the next envelope event shows it ended.

    Body segments are handed on a run at a time (``itertools.groupby`` on the event type,
    flattened by ``itertools.chain``), so a segment costs no Python-level step here; a run
    inside a message is passed on when the event after it arrives.
    """
    return chain.from_iterable(_runs(events, schemas, partner))


def _runs(
    events: Iterable[Event], schemas: SchemaSource, partner: str | None
) -> Iterator[Iterable[Event]]:
    """The events in order, in pieces: runs of body segments, and each other event after
    the problems of the message it ends."""
    group_version = ""
    open_tx: _Open | None = None
    for kind, run in groupby(events, type):
        if kind is Segment:
            if open_tx is None:
                yield run
            else:
                body = list(run)
                open_tx.segments += cast(list[Segment], body)
                yield body
            continue
        for ev in run:
            if isinstance(ev, Problem):
                yield (ev,)
                continue
            out: list[Event] = []
            if isinstance(ev, TransactionEnd) and open_tx is not None:
                if ev.trailer is not None:
                    open_tx.segments.append(ev.trailer)
                out += open_tx.check(schemas, partner, complete=ev.trailer is not None)
                open_tx = None
            elif open_tx is not None:
                out += open_tx.check(schemas, partner, complete=False)
                open_tx = None
            if isinstance(ev, GroupStart):
                group_version = ev.header.version or ""
            elif isinstance(ev, TransactionStart):
                version = ev.header.version or group_version
                open_tx = _Open(ev.header, version, [ev.header.segment])
            out.append(ev)
            yield out
    if open_tx is not None:
        yield open_tx.check(schemas, partner, complete=False)


@dataclass(slots=True)
class _Open:
    """A message whose trailer has not come yet."""

    header: TransactionHeader
    version: str
    segments: list[Segment]

    def check(self, schemas: SchemaSource, partner: str | None, *, complete: bool) -> list[Problem]:
        schema = schemas.schema_for(self.header.type, self.version, partner)
        if schema is None:
            reason = f"no schema for {self.header.type} version {self.version or '?'}"
            return [unsupported(self.header, reason)]
        return validate_segments(self.segments, schema, self.header, complete=complete)
