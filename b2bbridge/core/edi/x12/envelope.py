"""Envelope checks for one X12 interchange: ISA/IEA, GS/GE, ST/SE, as the segments stream by.

The reader calls :class:`Envelope` only for envelope segments (and for body segments found
outside any transaction), so the checks cost nothing per ordinary segment. Each call
returns the events to yield, in order: problems come right after the segment that shows
them, and a missing trailer is reported where the next envelope segment (or the end of the
file) proves it missing.

Control numbers are compared as text; a pair that differs only in zero-padding (IEA02
``3438`` for ISA13 ``000003438``) is a warning, because the intent is plain and real
partners send it. Counts that are not numbers are reported as count mismatches.

One layout check lives here because only the GS can show it: when the terminator is a line
break and the GS ends with the component separator, the sender most likely meant ISA16 as
the terminator (every value would then end with it), which is reported as a warning.
"""

from __future__ import annotations

from datetime import date

from b2bbridge.core.edi.events import (
    Event,
    GroupEnd,
    GroupHeader,
    GroupStart,
    InterchangeEnd,
    InterchangeHeader,
    PartyId,
    TransactionEnd,
    TransactionHeader,
    TransactionStart,
)
from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.errors import Problem, Severity
from b2bbridge.core.location import Location

OUTSIDE_GROUP_OK = frozenset({"TA1", "ISB", "ISE"})
GS_ELEMENTS = 8


def is_number(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts '¹' and other digits ``int`` refuses."""
    return text.isascii() and text.isdigit()


def parse_date(text: str) -> date | None:
    """YYMMDD or CCYYMMDD; two-digit years below 70 are 20YY, the rest 19YY."""
    if not is_number(text) or len(text) not in (6, 8):
        return None
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy < 70 else 1900 + yy
        text = f"{year}{text[2:]}"
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def parse_time(text: str) -> str | None:
    """HHMM, HHMMSS or HHMMSSd..: returned as ``HH:MM`` (``HH:MM:SS`` with seconds)."""
    if not is_number(text) or not 4 <= len(text) <= 8 or len(text) == 5:
        return None
    hh, mm, ss = int(text[:2]), int(text[2:4]), int(text[4:6] or "0")
    if hh > 23 or mm > 59 or ss > 59:
        return None
    return f"{text[:2]}:{text[2:4]}" + (f":{text[4:6]}" if len(text) >= 6 else "")


def party_text(raw: str) -> str:
    """An id field with its padding removed (spaces, and UTF-8 no-break spaces seen as Latin-1)."""
    return raw.replace("\xc2\xa0", " ").strip()


def same_control(a: str, b: str) -> bool | None:
    """True when equal, None when equal only as numbers (padding differs), else False."""
    if a == b:
        return True
    a, b = a.strip(), b.strip()
    if is_number(a) and is_number(b) and int(a) == int(b):
        return None
    return False


class Envelope:
    """The open interchange, group and transaction, with their counts and seen numbers."""

    def __init__(self, header: InterchangeHeader, file: str | None) -> None:
        self.header = header
        self.base = Location(file=file, interchange=header.control_number)
        self.group: GroupHeader | None = None
        self.txn: TransactionHeader | None = None
        self.in_txn = False
        self.done = False
        self.txn_segments = 0
        self.group_txns = 0
        self.groups = 0
        self.group_numbers: set[str] = set()
        self.txn_numbers: set[str] = set()
        self.end = (0, 0)

    def problem(
        self,
        code: str,
        message: str,
        seg: Segment | None,
        element: int | None = None,
        severity: Severity = Severity.ERROR,
    ) -> Problem:
        loc = self.base.with_(
            group=self.group.control_number if self.group else None,
            transaction=self.txn.control_number if self.txn else None,
        )
        if seg is None:
            loc = loc.with_(byte_offset=self.end[0], line=self.end[1] or None)
        else:
            loc = loc.with_(
                byte_offset=seg.offset,
                line=seg.line,
                segment_index=seg.index,
                segment_id=seg.elements[0] or None,
                element=element,
            )
        return Problem(code, message, loc, severity)

    def step(self, seg: Segment, body: int) -> list[Event]:
        """Account for ``body`` segments read since the last call, then take ``seg``."""
        self.txn_segments += body
        tag = seg.elements[0]
        if tag == "ST":
            return self._start_transaction(seg)
        if tag == "SE":
            return self._end_transaction(seg)
        if tag == "GS":
            return self._start_group(seg)
        if tag == "GE":
            return self._end_group(seg)
        if tag == "IEA":
            return self._end_interchange(seg)
        if tag == "":
            return [self.problem("segment_empty", "an empty segment (two terminators)", seg)]
        if self.in_txn:
            self.txn_segments += 1
            return [seg]
        if tag in OUTSIDE_GROUP_OK and self.group is None:
            return [seg]
        return self.stray(seg)

    def stray(self, seg: Segment) -> list[Event]:
        """A segment outside any transaction: reported, and passed on so nothing is lost."""
        where = "group" if self.group is None else "transaction"
        msg = f"segment {seg.elements[0]} is outside any {where}"
        return [self.problem("unexpected_segment_outside_envelope", msg, seg), seg]

    def close(self, at: Segment | None, offset: int = 0, line: int = 0) -> list[Event]:
        """End the interchange because the file ended (``at`` None) or a new ISA began.

        At the end of the file, ``offset`` and ``line`` say where it ended.
        """
        self.end = (offset, line)
        events = self._close_open(at)
        what = "the file ended" if at is None else "a new ISA began"
        events.append(self.problem("interchange_trailer_missing", f"no IEA: {what}", at))
        events.append(InterchangeEnd(self.header, None, self.groups))
        self.done = True
        return events

    def _close_open(self, at: Segment | None) -> list[Event]:
        events: list[Event] = []
        tag = at.elements[0] if at is not None else "the end of the file"
        if self.txn is not None and self.in_txn:
            msg = f"no SE before {tag}"
            events.append(self.problem("transaction_trailer_missing", msg, at))
            events.append(TransactionEnd(self.txn, None, self.txn_segments))
            self.in_txn = False
            self.txn = None
        if self.group is not None:
            events.append(self.problem("group_trailer_missing", f"no GE before {tag}", at))
            events.append(GroupEnd(self.group, None, self.group_txns))
            self.group = None
        return events

    def _start_transaction(self, seg: Segment) -> list[Event]:
        events: list[Event] = []
        if self.in_txn:
            events += self._close_transaction_only(seg)
        group = self.group
        ctrl = seg.raw(2)
        header = TransactionHeader(
            type=seg.raw(1),
            control_number=ctrl,
            version=seg.raw(3) or (group.version if group else None),
            segment=seg,
            interchange_control_number=self.header.control_number,
            group_control_number=group.control_number if group else None,
        )
        self.txn, self.in_txn, self.txn_segments = header, True, 1
        events.append(TransactionStart(header))
        if group is None:
            events.append(self.problem("unexpected_segment_outside_envelope", "ST outside GS", seg))
        else:
            self.group_txns += 1
        if not header.type or not ctrl:
            msg = "ST has no transaction set id or control number"
            events.append(self.problem("transaction_header_invalid", msg, seg, 1 if ctrl else 2))
        elif ctrl in self.txn_numbers:
            msg = f"ST02 {ctrl} is repeated in this group"
            events.append(self.problem("transaction_duplicate", msg, seg, 2))
        self.txn_numbers.add(ctrl)
        return events

    def _close_transaction_only(self, at: Segment) -> list[Event]:
        assert self.txn is not None
        msg = f"no SE before {at.elements[0]}"
        events: list[Event] = [self.problem("transaction_trailer_missing", msg, at)]
        events.append(TransactionEnd(self.txn, None, self.txn_segments))
        self.txn, self.in_txn = None, False
        return events

    def _end_transaction(self, seg: Segment) -> list[Event]:
        if not self.in_txn or self.txn is None:
            return self.stray(seg)
        self.txn_segments += 1
        count, header = self.txn_segments, self.txn
        events: list[Event] = []
        declared = seg.raw(1)
        if not (is_number(declared) and int(declared) == count):
            msg = f"SE01 says {declared or 'nothing'}, the transaction has {count} segments"
            events.append(self.problem("segment_count_mismatch", msg, seg, 1))
        events += self._compare(
            "transaction_control_mismatch", "SE02", seg, 2, header.control_number, "ST02"
        )
        events.append(TransactionEnd(header, seg, count))
        self.txn, self.in_txn = None, False
        return events

    def _start_group(self, seg: Segment) -> list[Event]:
        events = self._close_open(seg)
        header = group_header(seg)
        self.group, self.group_txns, self.txn_numbers = header, 0, set()
        self.groups += 1
        events.append(GroupStart(header))
        if len(seg) != GS_ELEMENTS:
            msg = f"GS has {len(seg)} elements, not {GS_ELEMENTS}"
            events.append(self.problem("group_invalid", msg, seg, min(len(seg), GS_ELEMENTS + 1)))
        if header.date is None:
            msg = f"GS04 {seg.raw(4)!r} is not a CCYYMMDD date"
            events.append(self.problem("group_date_invalid", msg, seg, 4))
        if header.time is None:
            msg = f"GS05 {seg.raw(5)!r} is not an HHMM[SS] time"
            events.append(self.problem("group_time_invalid", msg, seg, 5))
        delims = self.header.delimiters
        if delims.segment[0] in "\r\n" and seg.elements[-1].endswith(delims.component):
            msg = "GS ends with the component separator: it may be meant as the terminator"
            events.append(
                self.problem("segment_terminator_invalid", msg, seg, None, Severity.WARNING)
            )
        ctrl = seg.raw(6)
        if ctrl in self.group_numbers:
            msg = f"GS06 {ctrl} is repeated in this interchange"
            events.append(self.problem("group_duplicate", msg, seg, 6))
        self.group_numbers.add(ctrl)
        return events

    def _end_group(self, seg: Segment) -> list[Event]:
        events: list[Event] = []
        if self.in_txn:
            events += self._close_transaction_only(seg)
        group = self.group
        if group is None:
            return events + self.stray(seg)
        count = self.group_txns
        events += self._count("group_count_mismatch", "GE01", seg, count, "transactions")
        events += self._compare(
            "group_control_mismatch", "GE02", seg, 2, group.control_number or "", "GS06"
        )
        events.append(GroupEnd(group, seg, count))
        self.group = None
        return events

    def _end_interchange(self, seg: Segment) -> list[Event]:
        events = self._close_open(seg)
        events += self._count("interchange_count_mismatch", "IEA01", seg, self.groups, "groups")
        events += self._compare(
            "interchange_control_mismatch", "IEA02", seg, 2, self.header.control_number, "ISA13"
        )
        events.append(InterchangeEnd(self.header, seg, self.groups))
        self.done = True
        return events

    def _count(self, code: str, name: str, seg: Segment, actual: int, what: str) -> list[Event]:
        declared = seg.raw(1)
        if is_number(declared) and int(declared) == actual:
            return []
        msg = f"{name} says {declared or 'nothing'}, there are {actual} {what}"
        return [self.problem(code, msg, seg, 1)]

    def _compare(
        self, code: str, name: str, seg: Segment, n: int, expected: str, other: str
    ) -> list[Event]:
        found = seg.raw(n)
        same = same_control(found, expected)
        if same is True:
            return []
        if same is None:
            msg = f"{name} {found} matches {other} {expected} only when padding is ignored"
            return [self.problem(code, msg, seg, n, Severity.WARNING)]
        return [self.problem(code, f"{name} {found!r} differs from {other} {expected!r}", seg, n)]


def group_header(seg: Segment) -> GroupHeader:
    """GS decoded; an unreadable date or time is None (the envelope reports it)."""
    return GroupHeader(
        control_number=seg.raw(6),
        functional_id=seg.raw(1),
        sender=PartyId(None, party_text(seg.raw(2))),
        receiver=PartyId(None, party_text(seg.raw(3))),
        version=seg.raw(8) or None,
        date=parse_date(seg.raw(4)),
        time=parse_time(seg.raw(5)),
        segment=seg,
    )
