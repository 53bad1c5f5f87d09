"""Read any EDI file as events: sniff the standard, then hand the bytes to its reader.

The head of the source is read once to sniff it and then given back to the chosen reader,
so a pipe or socket stream works as well as a file: a seekable source is rewound, any
other is wrapped so that the head is read again before the rest. Offsets in events are
counted from where the source stood when it was passed in.

Input that is neither X12 nor EDIFACT yields one ``not_edi`` problem and nothing else.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from b2bbridge.core.edi.detect import sniff
from b2bbridge.core.edi.events import Event
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.edi.x12.reader import read_x12_events
from b2bbridge.core.errors import Problem
from b2bbridge.core.location import Location

HEAD = 4096
DEFAULT_OPTIONS = ReadOptions()


def read_events(source: BinaryIO, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Event]:
    """The events of ``source``, read by the reader for its standard."""
    try:
        head, source = _peek(source)
    except (OSError, ValueError) as exc:  # ValueError: the source was closed
        where = Location(file=options.file, byte_offset=0, line=1)
        return iter([Problem("source_unreadable", f"the source could not be read: {exc}", where)])
    sniffed = sniff(head)
    if sniffed.syntax == "x12":
        return read_x12_events(source, options)
    if sniffed.syntax == "edifact":
        from b2bbridge.core.edi.edifact.reader import read_edifact_events

        return read_edifact_events(source, options)
    where = Location(file=options.file, byte_offset=0, line=1)
    sample = head[:40].decode("latin-1")
    message = f"neither an X12 ISA nor an EDIFACT UNA/UNB header was found: {sample!r}"
    if not head.strip():
        message = "the file is empty"
    return iter([Problem("not_edi", message, where)])


def read_bytes_events(data: bytes, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Event]:
    """The events of an in-memory file."""
    return read_events(io.BytesIO(data), options)


def _peek(source: BinaryIO) -> tuple[bytes, BinaryIO]:
    """The first bytes, and a source that still starts with them."""
    if source.seekable():
        start = source.tell()
        head = source.read(HEAD)
        source.seek(start)
        return head, source
    head = source.read(HEAD)
    return head, io.BufferedReader(_Prefixed(head, source))


class _Prefixed(io.RawIOBase):
    """A non-seekable source with its already-read head put back in front."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
