"""The envelope state machine of one EDIFACT interchange: events and trailer checks.

The reader hands every service segment (and any segment found outside a message) to an
:class:`InterchangeTracker`, which turns the flat stream into the start/end events of
``core.edi.events`` and reports envelope Problems: UNT segment counts and references,
UNE and UNZ counts and references, duplicate message and group references, and missing
trailers. Body segments inside a message never come here, which keeps the reader's hot
loop free of envelope bookkeeping; a message's segment count is the distance between
the UNT and UNH indexes.

Messages without UNG sit in one implicit group (``GroupHeader.segment`` is None), opened
at the first UNH and closed before UNZ. UNZ01 counts groups when the interchange used
UNG, messages otherwise.

To find repeated references the tracker keeps every UNH and UNG reference of the open
interchange: the one thing the reader holds that grows with the file (under 200 bytes
per message), and only until UNZ.
"""

from __future__ import annotations

from b2bbridge.core.edi.edifact.envelope import (
    IMPLICIT_GROUP,
    envelope_error,
    read_group_header,
    read_transaction_header,
    segment_location,
)
from b2bbridge.core.edi.events import (
    Event,
    GroupEnd,
    GroupHeader,
    GroupStart,
    InterchangeEnd,
    InterchangeHeader,
    TransactionEnd,
    TransactionHeader,
    TransactionStart,
)
from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.errors import Problem
from b2bbridge.core.location import Location


class InterchangeTracker:
    """The envelope state of one interchange: which group and message are open, and counts.

    :meth:`accept` takes a service segment, or any segment while no message is open, and
    returns the events it causes; :meth:`close` ends the interchange at UNZ or, with no
    trailer, where the file (or the interchange) stopped.
    """

    def __init__(self, header: InterchangeHeader, base: Location) -> None:
        self.header = header
        self.base = base.with_(interchange=header.control_number or None)
        self.group: GroupHeader | None = None
        self.message: TransactionHeader | None = None
        self.in_message = False
        self._unh_index = 0
        self._last_index = header.segment.index
        self._group_messages = 0
        self._messages = 0
        self._groups = 0
        self._explicit_groups = 0
        self._message_refs: set[str] = set()
        self._group_refs: set[str] = set()

    def here(self) -> Location:
        group = self.group.control_number if self.group is not None else None
        msg = self.message.control_number if self.message is not None else None
        return self.base.with_(group=group or None, transaction=msg or None)

    def _problem(
        self, code: str, message: str, seg: Segment, element: int | None = None
    ) -> Problem:
        return envelope_error(code, message, self.here(), seg, element)

    def accept(self, seg: Segment) -> list[Event]:
        """The events for one service segment, or for a segment outside any message."""
        self._last_index = seg.index
        tag = seg.tag
        if tag == "UNH":
            return self._open_message(seg)
        if tag == "UNT":
            return self._close_message(seg)
        if tag == "UNG":
            return self._open_group(seg)
        if tag == "UNE":
            return self._close_group(seg)
        if tag == "UNZ":
            return self.close(seg)
        if self.in_message:
            return [seg]
        text = f"segment {tag} stands outside any message"
        return [self._problem("unexpected_segment_outside_envelope", text, seg), seg]

    def _open_message(self, unh: Segment) -> list[Event]:
        events: list[Event] = []
        if self.in_message:
            events += self._end_message(None, unh)
        if self.group is None:
            self.group = IMPLICIT_GROUP
            self._groups += 1
            self._group_messages = 0
            events.append(GroupStart(IMPLICIT_GROUP))
        header = read_transaction_header(unh, self.header.control_number, self.group.control_number)
        self.message, self.in_message, self._unh_index = header, True, unh.index
        self._messages += 1
        self._group_messages += 1
        ref = header.control_number
        if not ref or not header.type:
            events.append(
                self._problem("transaction_header_invalid", "UNH lacks its reference or type", unh)
            )
        elif ref in self._message_refs:
            text = f"message reference {ref!r} repeats in interchange {self.header.control_number}"
            events.append(self._problem("transaction_duplicate", text, unh, 1))
        self._message_refs.add(ref)
        events.append(TransactionStart(header))
        return events

    def _end_message(self, unt: Segment | None, at: Segment | None) -> list[Event]:
        """Close the open message; ``unt`` None means it had no trailer (``at`` came first)."""
        assert self.message is not None
        last = (
            unt.index if unt is not None else (at.index - 1 if at is not None else self._last_index)
        )
        count = last - self._unh_index + 1
        events: list[Event] = []
        if unt is None:
            loc = self.here() if at is None else segment_location(self.here(), at)
            ref = self.message.control_number
            events.append(Problem("transaction_trailer_missing", f"message {ref} has no UNT", loc))
        events.append(TransactionEnd(self.message, unt, count))
        self.message, self.in_message = None, False
        return events

    def _close_message(self, unt: Segment) -> list[Event]:
        if not self.in_message or self.message is None:
            return [
                self._problem(
                    "unexpected_segment_outside_envelope", "UNT without an open UNH", unt
                ),
                unt,
            ]
        events: list[Event] = []
        count = unt.index - self._unh_index + 1
        declared = unt.element(1)
        if declared != str(count) and declared.lstrip("0") != str(count):
            text = f"UNT says {declared!r} segments, the message has {count}"
            events.append(self._problem("segment_count_mismatch", text, unt, 1))
        ref = unt.element(2)
        if ref != self.message.control_number:
            text = f"UNT reference {ref!r} differs from UNH {self.message.control_number!r}"
            events.append(self._problem("transaction_control_mismatch", text, unt, 2))
        return events + self._end_message(unt, None)

    def _open_group(self, ung: Segment) -> list[Event]:
        events: list[Event] = []
        if self.in_message:
            events += self._end_message(None, ung)
        if self.group is not None:
            events += self._end_group(None, ung)
        group = read_group_header(ung)
        self.group = group
        self._groups += 1
        self._explicit_groups += 1
        self._group_messages = 0
        ref = group.control_number or ""
        if not ref or not group.functional_id:
            events.append(
                self._problem("group_invalid", "UNG lacks its reference or group id", ung)
            )
        elif ref in self._group_refs:
            text = f"group reference {ref!r} repeats in interchange {self.header.control_number}"
            events.append(self._problem("group_duplicate", text, ung, 5))
        self._group_refs.add(ref)
        events.append(GroupStart(group))
        return events

    def _end_group(self, une: Segment | None, at: Segment | None) -> list[Event]:
        assert self.group is not None
        events: list[Event] = []
        if une is None and self.group.segment is not None:
            loc = self.here() if at is None else segment_location(self.here(), at)
            text = f"group {self.group.control_number} has no UNE"
            events.append(Problem("group_trailer_missing", text, loc))
        events.append(GroupEnd(self.group, une, self._group_messages))
        self.group = None
        return events

    def _close_group(self, une: Segment) -> list[Event]:
        if self.group is None or self.group.segment is None:
            return [
                self._problem(
                    "unexpected_segment_outside_envelope", "UNE without an open UNG", une
                ),
                une,
            ]
        events: list[Event] = []
        if self.in_message:
            events += self._end_message(None, une)
        count, declared = self._group_messages, une.element(1)
        if declared.lstrip("0") != str(count).lstrip("0"):
            text = f"UNE says {declared!r} messages, the group has {count}"
            events.append(self._problem("group_count_mismatch", text, une, 1))
        ref = une.element(2)
        if ref != self.group.control_number:
            text = f"UNE reference {ref!r} differs from UNG {self.group.control_number!r}"
            events.append(self._problem("group_control_mismatch", text, une, 2))
        return events + self._end_group(une, None)

    def close(
        self, unz: Segment | None, end: Location | None = None, last_index: int = 0
    ) -> list[Event]:
        """End the interchange at ``unz``, or without one where ``end`` says it stopped.

        ``last_index`` is the index of the last segment read, so that a message cut off
        by the end of the file still reports how many segments it had.
        """
        self._last_index = max(self._last_index, last_index)
        events: list[Event] = []
        if self.in_message:
            events += self._end_message(None, unz)
        if self.group is not None:
            events += self._end_group(None, unz)
        count = self._groups if self._explicit_groups else self._messages
        if unz is None:
            loc = self.base.merged(end or Location())
            text = f"interchange {self.header.control_number} has no UNZ"
            events.append(Problem("interchange_trailer_missing", text, loc))
        else:
            events += self._check_unz(unz, count)
        events.append(InterchangeEnd(self.header, unz, count))
        return events

    def _check_unz(self, unz: Segment, count: int) -> list[Event]:
        events: list[Event] = []
        declared = unz.element(1)
        if declared.lstrip("0") != str(count).lstrip("0"):
            what = "groups" if self._explicit_groups else "messages"
            text = f"UNZ says {declared!r} {what}, the interchange has {count}"
            events.append(self._problem("interchange_count_mismatch", text, unz, 1))
        ref = unz.element(2)
        if ref != self.header.control_number:
            text = f"UNZ reference {ref!r} differs from UNB {self.header.control_number!r}"
            events.append(self._problem("interchange_control_mismatch", text, unz, 2))
        return events
