"""The bytes of an EDIFACT source, read chunk by chunk, and the search for the next header.

:class:`Buffer` holds one chunk plus whatever of the previous one was not consumed, and
knows where its first unconsumed byte sits in the file (offset and line), so that every
Segment and Problem can say where it was found. :func:`find_header` finds the next UNA or
UNB in raw bytes, for the reader's search between interchanges.
"""

from __future__ import annotations

from typing import BinaryIO

from b2bbridge.core.edi.segments import Delimiters


class Buffer:
    """The bytes read but not yet consumed, where they start in the file, and on which line.

    Consuming moves an index instead of slicing, so that reading many small interchanges
    out of one chunk does not copy the rest of the chunk each time; the consumed bytes are
    dropped when the next chunk is read. Offsets taken and returned are relative to the
    first unconsumed byte.
    """

    __slots__ = ("base", "chunk", "data", "eof", "line", "pos", "source")

    def __init__(self, source: BinaryIO, chunk: int) -> None:
        self.source = source
        self.chunk = chunk
        self.data = b""
        self.pos = 0
        self.base = 0
        self.line = 1
        self.eof = False

    def fill(self) -> bool:
        """Read one more chunk; False at the end of the file."""
        if self.eof:
            return False
        more = self.source.read(self.chunk)
        if not more:
            self.eof = True
            return False
        self.data = self.data[self.pos :] + more
        self.pos = 0
        return True

    @property
    def left(self) -> int:
        """How many unconsumed bytes are buffered."""
        return len(self.data) - self.pos

    def take(self, start: int, end: int | None = None) -> bytes:
        """A copy of the unconsumed bytes from ``start`` to ``end`` (the end of the buffer)."""
        pos = self.pos
        return self.data[pos + start : len(self.data) if end is None else pos + end]

    def startswith(self, prefix: bytes) -> bool:
        return self.data.startswith(prefix, self.pos)

    def find(self, sub: bytes, start: int = 0, end: int | None = None) -> int:
        pos = self.pos
        at = self.data.find(sub, pos + start, len(self.data) if end is None else pos + end)
        return at - pos if at >= 0 else -1

    def rfind(self, sub: bytes, start: int = 0) -> int:
        at = self.data.rfind(sub, self.pos + start)
        return at - self.pos if at >= 0 else -1

    def lines(self, end: int) -> int:
        """The line breaks among the first ``end`` unconsumed bytes."""
        return self.data.count(b"\n", self.pos, self.pos + end)

    def consume(self, n: int) -> None:
        """Drop ``n`` bytes, counting the lines they held."""
        self.advance(n, self.line + self.lines(n))

    def advance(self, n: int, line: int) -> None:
        """Drop ``n`` bytes whose lines the caller has already counted.

        Never past the end: an unterminated last segment is measured as if it had its
        terminator.
        """
        n = min(n, self.left)
        self.pos += n
        self.base += n
        self.line = line


def _plausible_una(advice: bytes) -> bool:
    """Six service characters, none of them a letter or digit (``UNABLE`` is not a UNA)."""
    return len(advice) == 6 and not any(chr(b).isalnum() for b in advice)


def find_header(raw: bytes, eof: bool) -> int:
    """The offset of the first plausible UNA or UNB in ``raw``, or -1."""
    i = raw.find(b"UN")
    while i >= 0:
        kind = raw[i + 2 : i + 3]
        if kind == b"A" and _plausible_una(raw[i + 3 : i + 9]):
            return i
        if kind == b"B":
            after = raw[i + 3 : i + 4]
            if after and not after.isalnum():
                return i
        if not eof and len(raw) - i < 9:
            return -1  # too close to the end to tell; the caller keeps these bytes
        i = raw.find(b"UN", i + 1)
    return -1


def unb_end(buf: Buffer, delims: Delimiters) -> int:
    """The offset just past UNB's terminator (released ones skipped), filling as needed."""
    term = delims.segment.encode("latin_1")
    rel = delims.release.encode("latin_1") if delims.release else None
    i = 3
    while True:
        j = buf.find(term, i)
        if j < 0:
            if buf.fill():
                continue
            return buf.left
        run = j
        while rel is not None and run > 0 and buf.take(run - 1, run) == rel:
            run -= 1
        if (j - run) % 2 == 0:
            return j + len(term)
        i = j + 1


def newline_terminator(buf: Buffer, delims: Delimiters, end: int) -> str | None:
    """``"\\n"`` or ``"\\r\\n"`` when UNB ends in a line break followed by a segment tag.

    That is how files that use line breaks as terminators without a UNA look; a wrapped
    UNB breaks inside an element instead, so the next line does not start with a tag.
    """
    nl = buf.find(b"\n", 0, end)
    if nl < 0:
        return None
    tag = buf.take(nl + 1, nl + 4)
    if not (tag.isalpha() and tag.isupper()):
        return None
    if buf.take(nl + 4, nl + 5) != delims.element.encode("latin_1"):
        return None
    return "\r\n" if nl > 0 and buf.take(nl - 1, nl) == b"\r" else "\n"
