"""Write EDIFACT interchanges to a text stream, one segment at a time.

Like the X12 writer it keeps only counters and open references, and computes UNT, UNE
and UNZ counts itself. Unlike X12, EDIFACT can carry any separator inside a value: each
separator and the release character itself is written preceded by the release character,
so the reader gets the value back unchanged. Without a release character (a UNA declaring
none) such a value is refused with an :class:`~b2bbridge.core.errors.EdiError`
(``value_contains_delimiter``).

The syntax version decides two details: UNB and UNG dates are ``YYMMDD`` up to version 3
and ``CCYYMMDD`` in version 4, and UNA position 5 carries the repetition separator in
version 4 where earlier versions have a reserved space.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TextIO

from b2bbridge.core.edi.events import PartyId
from b2bbridge.core.edi.segments import Delimiters
from b2bbridge.core.errors import EdiError, EnvelopeError
from b2bbridge.core.location import Location

Element = str | Sequence[str]


def _trim(values: list[str]) -> list[str]:
    """Drop trailing empty values, which EDIFACT omits with their separators."""
    end = len(values)
    while end and values[end - 1] == "":
        end -= 1
    return values[:end]


def _party(party: PartyId) -> list[str]:
    return [party.id, party.qualifier or ""]


def _hhmm(time: str) -> str:
    if len(time) != 4 or not time.isdigit():
        raise EnvelopeError(f"time must be HHMM, got {time!r}", code="time_invalid")
    return time


class EdifactWriter:
    """Streams UNA/UNB, optional UNG, UNH messages and their segments to ``out``.

    Calls must nest: ``start_interchange``, optionally ``start_group``, then per message
    ``start_message`` … ``end_message``, ``end_group`` if a group was started, and
    ``end_interchange``. Out of order, :class:`EnvelopeError` (``writer_out_of_order``).
    UNZ counts groups when the interchange used UNG, and messages otherwise.
    """

    def __init__(
        self, out: TextIO, delimiters: Delimiters, *, line_break: str = "", una: bool = True
    ) -> None:
        self._out = out
        self._d = delimiters
        # A line-break terminator already ends the line; another would be an empty segment.
        self._line_break = "" if delimiters.segment in "\r\n" else line_break
        self._una = una
        self._version = "3"
        self._specials = self._special_characters()
        self._unb: str | None = None
        self._ung: str | None = None
        self._unh: str | None = None
        self._groups = 0
        self._messages = 0
        self._group_messages = 0
        self._segments = 0

    def start_interchange(
        self,
        *,
        syntax_identifier: str = "UNOC",
        syntax_version: str = "3",
        sender: PartyId,
        receiver: PartyId,
        control_number: str,
        date: date,
        time: str,
        ack_requested: bool = False,
        test: bool = False,
    ) -> None:
        """Write UNA (unless turned off) and UNB."""
        self._expect(self._unb is None, "start_interchange inside an open interchange")
        self._version = syntax_version
        self._specials = self._special_characters()
        d = self._d
        if self._una:
            fifth = (d.repetition or " ") if syntax_version >= "4" else " "
            una = f"UNA{d.component}{d.element}{d.decimal}{d.release or ' '}{fifth}{d.segment}"
            self._out.write(una + self._line_break)
        stamp = self._date(date)
        elements: list[Element] = [
            [syntax_identifier, syntax_version], _party(sender), _party(receiver),
            [stamp, _hhmm(time)], control_number, "", "", "",
            "1" if ack_requested else "", "", "1" if test else "",
        ]  # fmt: skip
        self._emit("UNB", elements)
        self._unb = control_number
        self._groups = self._messages = 0

    def start_group(
        self,
        *,
        functional_id: str,
        sender: PartyId,
        receiver: PartyId,
        reference: str,
        date: date,
        time: str,
        version: str = "D",
        release: str = "96A",
        agency: str = "UN",
    ) -> None:
        """Write UNG, opening a functional group of messages of one type."""
        self._expect(self._unb is not None and self._ung is None, "start_group outside UNB")
        self._emit(
            "UNG",
            [functional_id, _party(sender), _party(receiver),
             [self._date(date), _hhmm(time)], reference, agency, [version, release]],
        )  # fmt: skip
        self._ung = reference
        self._group_messages = 0

    def start_message(
        self,
        type: str,
        reference: str,
        *,
        version: str = "D",
        release: str = "96A",
        agency: str = "UN",
        association: str | None = None,
    ) -> None:
        """Write UNH with the message identifier ``type:version:release:agency[:association]``."""
        self._expect(self._unb is not None and self._unh is None, "start_message outside UNB")
        self._emit("UNH", [reference, [type, version, release, agency, association or ""]])
        self._unh = reference
        self._segments = 1

    def segment(self, tag: str, *elements: Element) -> None:
        """Write one segment inside the open message; values are escaped as needed."""
        self._expect(self._unh is not None, "segment outside a message")
        self._emit(tag, list(elements))
        self._segments += 1

    def end_message(self) -> int:
        """Write UNT with the segment count (UNH and UNT included) and return that count."""
        self._expect(self._unh is not None, "end_message without UNH")
        count = self._segments + 1
        self._emit("UNT", [str(count), self._unh or ""])
        self._unh = None
        self._messages += 1
        self._group_messages += 1
        return count

    def end_group(self) -> None:
        """Write UNE with the number of messages in the group."""
        self._expect(self._ung is not None and self._unh is None, "end_group without UNG")
        self._emit("UNE", [str(self._group_messages), self._ung or ""])
        self._ung = None
        self._groups += 1

    def end_interchange(self) -> None:
        """Write UNZ with the number of groups, or of messages when no UNG was written."""
        self._expect(
            self._unb is not None and self._ung is None and self._unh is None,
            "end_interchange without UNB or with a message or group open",
        )
        count = self._groups if self._groups else self._messages
        self._emit("UNZ", [str(count), self._unb or ""])
        self._unb = None

    def escape(self, value: str, *, tag: str = "", n: int = 0) -> str:
        """``value`` with every separator and release character preceded by the release."""
        if not any(ch in value for _, ch in self._specials):
            return value
        rel = self._d.release
        if rel is None:
            name, ch = next((name, ch) for name, ch in self._specials if ch in value)
            raise EdiError(
                f"{tag}{n:02d} value {value!r} contains the {name} {ch!r} and no release "
                "character is declared",
                code="value_contains_delimiter",
                location=Location(segment_id=tag or None, element=n),
            )
        chars = {ch for _, ch in self._specials}
        return "".join(rel + c if c in chars else c for c in value)

    def _date(self, day: date) -> str:
        return day.strftime("%Y%m%d" if self._version >= "4" else "%y%m%d")

    def _special_characters(self) -> list[tuple[str, str]]:
        d = self._d
        found = [
            ("release character", d.release),
            ("element separator", d.element),
            ("component separator", d.component),
            ("segment terminator", d.segment),
            ("repetition separator", d.repetition if self._version >= "4" else None),
        ]
        return [(name, ch) for name, ch in found if ch]

    def _emit(self, tag: str, elements: list[Element]) -> None:
        d = self._d
        texts: list[str] = []
        for n, element in enumerate(elements, start=1):
            if isinstance(element, str):
                texts.append(self.escape(element, tag=tag, n=n))
            else:
                parts = [self.escape(part, tag=tag, n=n) for part in element]
                texts.append(d.component.join(_trim(parts)))
        self._out.write(d.element.join([tag, *_trim(texts)]) + d.segment + self._line_break)

    def _expect(self, ok: bool, what: str) -> None:
        if not ok:
            raise EnvelopeError(f"EDIFACT writer: {what}", code="writer_out_of_order")
