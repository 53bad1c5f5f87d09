"""Write X12 interchanges to a text stream, one segment at a time.

The writer keeps only counters and the open control numbers, so a document of any size
is written without being held in memory. It computes every trailer count itself (SE01,
GE01, IEA01): callers never count segments.

ISA is fixed width: ISA06/ISA08 are padded to 15, ISA13 is nine zero-padded digits and
the unused authorisation and security fields are ten spaces. ISA11 is the repetition
separator from version 00402 on and ``U`` before. Values are checked rather than escaped,
because X12 has no release character: a value holding any delimiter is refused with an
:class:`~b2bbridge.core.errors.EdiError` (code ``value_contains_delimiter``) that names the
segment, the element and the delimiter.
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


def _digits(value: int | str, width: int, what: str) -> str:
    """A control number as text of at most ``width`` digits, zero-padded to ``width``."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > width:
        raise EnvelopeError(
            f"{what} must be at most {width} digits, got {text!r}", code="control_number_invalid"
        )
    return text.zfill(width)


def _fixed(value: str, width: int, what: str) -> str:
    """An ISA field padded with spaces to its fixed width; longer values are refused."""
    if len(value) > width:
        raise EnvelopeError(
            f"{what} is longer than {width} characters: {value!r}", code="isa_field_too_long"
        )
    return value.ljust(width)


def _hhmm(time: str) -> str:
    """Check a time given as ``HHMM``."""
    if len(time) != 4 or not time.isdigit():
        raise EnvelopeError(f"time must be HHMM, got {time!r}", code="time_invalid")
    return time


def _trim(values: list[str]) -> list[str]:
    """Drop trailing empty values: X12 omits them rather than writing empty separators."""
    end = len(values)
    while end and values[end - 1] == "":
        end -= 1
    return values[:end]


class X12Writer:
    """Streams ISA/GS/ST envelopes and body segments to ``out``.

    Calls must nest: ``start_interchange``, then per group ``start_group``, then per
    transaction ``start_transaction`` … ``end_transaction``, then ``end_group``, and finally
    ``end_interchange``. A call out of that order raises :class:`EnvelopeError`
    (``writer_out_of_order``). Outside a transaction, :meth:`segment` writes
    interchange-level segments such as TA1, which no trailer counts.
    """

    def __init__(self, out: TextIO, delimiters: Delimiters, *, line_break: str = "\n") -> None:
        self._out = out
        self._d = delimiters
        # A line-break terminator already ends the line; another would be an empty segment.
        self._line_break = "" if delimiters.segment in "\r\n" else line_break
        self._forbidden = [
            (name, ch)
            for name, ch in (
                ("element separator", delimiters.element),
                ("component separator", delimiters.component),
                ("segment terminator", delimiters.segment),
                ("repetition separator", delimiters.repetition),
            )
            if ch
        ]
        self._isa: str | None = None
        self._gs: str | None = None
        self._st: str | None = None
        self._groups = 0
        self._transactions = 0
        self._segments = 0

    def start_interchange(
        self,
        *,
        sender: PartyId,
        receiver: PartyId,
        control_number: int | str,
        date: date,
        time: str,
        version: str = "00401",
        ack_requested: bool = False,
        test: bool = False,
    ) -> None:
        """Write ISA; the delimiters given at construction are declared in it."""
        self._expect(self._isa is None, "start_interchange inside an open interchange")
        d = self._d
        repetition = "U"
        if version >= "00402":
            if d.repetition is None:
                raise EnvelopeError(
                    f"version {version} needs a repetition separator in ISA11",
                    code="repetition_separator_missing",
                )
            repetition = d.repetition
        control = _digits(control_number, 9, "ISA13")
        fields = [
            "ISA", "00", " " * 10, "00", " " * 10,
            _fixed(sender.qualifier or "ZZ", 2, "ISA05"), _fixed(sender.id, 15, "ISA06"),
            _fixed(receiver.qualifier or "ZZ", 2, "ISA07"), _fixed(receiver.id, 15, "ISA08"),
            date.strftime("%y%m%d"), _hhmm(time), repetition, _fixed(version, 5, "ISA12"),
            control, "1" if ack_requested else "0", "T" if test else "P",
        ]  # fmt: skip
        for n, value in enumerate(fields[1:], start=1):
            if n != 11:
                self._check("ISA", n, value)
        self._out.write(d.element.join([*fields, d.component]) + d.segment + self._line_break)
        self._isa = control
        self._groups = 0

    def start_group(
        self,
        *,
        functional_id: str,
        sender: str,
        receiver: str,
        control_number: int | str,
        date: date,
        time: str,
        version: str = "004010",
    ) -> None:
        """Write GS; GS07 is always ``X`` (ASC X12)."""
        self._expect(self._isa is not None and self._gs is None, "start_group outside ISA")
        control = _digits(control_number, 9, "GS06").lstrip("0") or "0"
        self._emit(
            "GS", [functional_id, sender, receiver, date.strftime("%Y%m%d"), _hhmm(time),
                   control, "X", version],
        )  # fmt: skip
        self._gs = control
        self._transactions = 0

    def start_transaction(
        self, type: str, control_number: str | int, *, convention: str | None = None
    ) -> None:
        """Write ST; an integer control number is zero-padded to four digits."""
        self._expect(self._gs is not None and self._st is None, "start_transaction outside GS")
        control = (
            str(control_number).zfill(4) if isinstance(control_number, int) else control_number
        )
        self._emit("ST", [type, control, convention or ""])
        self._st = control
        self._segments = 1

    def segment(self, tag: str, *elements: Element) -> None:
        """Write one segment; a sequence element is a composite (components joined)."""
        self._expect(
            self._isa is not None and (self._st is not None or self._gs is None),
            "segment outside an interchange, or inside a group but outside a transaction",
        )
        self._emit(tag, list(elements))
        if self._st is not None:
            self._segments += 1

    def end_transaction(self) -> int:
        """Write SE with the segment count (ST and SE included) and return that count."""
        self._expect(self._st is not None, "end_transaction without ST")
        count = self._segments + 1
        self._emit("SE", [str(count), self._st or ""])
        self._st = None
        self._transactions += 1
        return count

    def end_group(self) -> None:
        """Write GE with the number of transactions written since GS."""
        self._expect(self._gs is not None and self._st is None, "end_group without GS")
        self._emit("GE", [str(self._transactions), self._gs or ""])
        self._gs = None
        self._groups += 1

    def end_interchange(self) -> None:
        """Write IEA with the number of groups written since ISA."""
        self._expect(self._isa is not None and self._gs is None, "end_interchange without ISA")
        self._emit("IEA", [str(self._groups), self._isa or ""])
        self._isa = None

    def ta1(
        self, *, control_number: int | str, date: date, time: str, ack_code: str, note_code: str
    ) -> None:
        """Write a TA1 (interchange acknowledgment) segment inside the open interchange.

        ``date`` and ``time`` are those of the interchange acknowledged (its ISA09/ISA10).
        With no interchange open, the TA1 is written alone, for the caller to embed.
        """
        self._expect(self._gs is None, "TA1 inside a group")
        control = _digits(control_number, 9, "TA101")
        self._emit("TA1", [control, date.strftime("%y%m%d"), _hhmm(time), ack_code, note_code])

    def _emit(self, tag: str, elements: list[Element]) -> None:
        d = self._d
        texts: list[str] = []
        for n, element in enumerate(elements, start=1):
            if isinstance(element, str):
                self._check(tag, n, element)
                texts.append(element)
            else:
                for part in element:
                    self._check(tag, n, part)
                texts.append(d.component.join(_trim(list(element))))
        self._check(tag, 0, tag)
        self._out.write(d.element.join([tag, *_trim(texts)]) + d.segment + self._line_break)

    def _check(self, tag: str, n: int, value: str) -> None:
        for name, ch in self._forbidden:
            if ch in value:
                raise EdiError(
                    f"{tag}{n:02d} value {value!r} contains the {name} {ch!r}",
                    code="value_contains_delimiter",
                    location=Location(segment_id=tag, element=n),
                )

    def _expect(self, ok: bool, what: str) -> None:
        if not ok:
            raise EnvelopeError(f"X12 writer: {what}", code="writer_out_of_order")
