"""Stream X12 interchanges from bytes as events: headers, body segments, trailers, problems.

The source is read in ``options.chunk_size`` pieces and decoded as Latin-1, so that every
byte decodes, one character is one byte and offsets are byte offsets. Each chunk is split
on the segment terminator with ``str.split``; the partial segment at its end is carried
into the next chunk, so memory stays flat however large the file is.

Two loops share the work. The fast loop takes a chunk whose layout is regular (every
terminator followed by the same CR/LF, no indentation, no stray line breaks, no ISA): line
numbers and offsets then advance by constants and each segment costs one ``split``. Any
other chunk goes through the careful loop, which strips indentation, counts line breaks,
drops the line breaks of a hard-wrapped file, and notices an ISA that starts a new
interchange before the last one ended. Both call the envelope checks only for envelope
segments.

Bad input never raises: what is wrong is reported as a Problem and reading goes on.
Bytes before the first ISA are a ``preamble_stripped`` problem (a warning when
``options.strip_preamble`` is set, an error otherwise; the interchange is read either way so
that ``inspect`` shows everything), bytes between or after interchanges are
``trailing_garbage``, and a file with no ISA at all is a single ``not_edi`` error.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from itertools import chain
from typing import BinaryIO

from b2bbridge.core.edi.events import Event, InterchangeStart
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.edi.segments import Segment
from b2bbridge.core.edi.x12.envelope import Envelope
from b2bbridge.core.edi.x12.isa import (
    LINE_BREAKS,
    WRAP_SAMPLE,
    IsaFailure,
    find_isa,
    interchange_header,
    is_wrapped,
    isa_findings,
    plausible_isa,
    read_isa,
)
from b2bbridge.core.errors import Problem, Severity
from b2bbridge.core.location import Location

ENVELOPE_TAGS = frozenset({"ST", "SE", "GS", "GE", "IEA", "TA1", "ISB", "ISE", ""})
SPACE = " \t\r\n\x00\x1a"
BOM = "\xef\xbb\xbf"
SAMPLE = 40
BATCH = 128
# Reads are capped at this size, below any larger ``chunk_size``: a chunk whose segments
# still sit in the CPU cache when the loop reaches them reads measurably faster.
CACHE_CHUNK = 1 << 17

Batches = Generator[list[Event], None, int]


def read_x12_events(source: BinaryIO, options: ReadOptions) -> Iterator[Event]:
    """Every event of every interchange in ``source``, in file order."""
    return chain.from_iterable(_Reader(source, options).batches())


class _Reader:
    """The buffer, the position of its first character in the file, and the read loops.

    The loops hand out events in lists of up to ``BATCH``, flattened by the caller with
    ``itertools.chain``: a Python generator resumes once per batch rather than once per
    segment, and a batch is small enough to keep memory flat.
    """

    def __init__(self, source: BinaryIO, options: ReadOptions) -> None:
        self.source = source
        self.file = options.file
        self.strip_preamble = options.strip_preamble
        self.chunk = max(min(options.chunk_size, CACHE_CHUNK), 512)
        self.text = ""
        self.base = 0  # byte offset of text[0]
        self.line = 1  # line of text[0]
        self.eof = False
        self.unwrap = False
        self.idx = 0
        self.failure: Problem | None = None
        self.split_term = "~"
        self.full_term = "~"
        self.line_after = 1  # the line where the fast loop stopped
        self.bad_isa = False  # the bytes being skipped follow an unreadable ISA

    def where(self, offset: int, line: int, **more: str | int | None) -> Location:
        return Location(file=self.file, byte_offset=offset, line=line).with_(**more)

    def fill(self) -> None:
        """Append one chunk; a read error ends the input and is reported once."""
        try:
            data = self.source.read(self.chunk)
        except (OSError, ValueError) as exc:  # ValueError: the source was closed
            msg = f"the source could not be read: {exc}"
            self.failure = Problem("source_unreadable", msg, self.where(self.base, self.line))
            data = b""
        if not data:
            self.eof = True
            return
        text = data.decode("latin-1")
        if self.base == 0 and not self.text and text.startswith(BOM):
            text, self.base = text[3:], 3
        self.text += text

    def advance(self, n: int, line: int = 0) -> None:
        """Drop ``n`` characters that were read; ``line`` is the line after them, if known."""
        if n:
            self.line = line or self.line + self.text.count("\n", 0, n)
            self.base += n
            self.text = self.text[n:]

    def batches(self) -> Iterator[list[Event]]:
        seen = False
        while True:
            found = yield from self.seek_isa(seen)
            if self.failure is not None:
                yield [self.failure]
                self.failure = None
            if not found:
                return
            seen = True
            env = yield from self.open_interchange()
            if self.failure is not None:
                yield [self.failure]
                self.failure = None
            if env is not None:
                yield from self.read_body(env)

    def seek_isa(self, seen: bool) -> Generator[list[Event], None, bool]:
        """Skip to the next ISA, reporting any non-blank bytes skipped on the way."""
        skipped, start, line = 0, -1, 0
        sample = ""
        while True:
            if not self.eof and len(self.text) < 4096:
                self.fill()
            blank = len(self.text) - len(self.text.lstrip(SPACE))
            self.advance(blank)
            text = self.text
            if not text and self.eof:
                break
            at = 0 if plausible_isa(text, 0) else find_isa(text)
            if at == 0:
                break
            keep = 0 if self.eof else 6  # an ISA cut by the chunk end waits for its bytes
            take = at if at > 0 else max(len(text) - keep, 0)
            if start < 0 and take:
                start, line, sample = self.base, self.line, text[:SAMPLE]
            skipped += take
            self.advance(take)
        if skipped:
            yield [self.skipped_problem(seen, bool(self.text), skipped, start, line, sample)]
        if not self.text and not seen and not skipped:
            yield [Problem("not_edi", "the file is empty", self.where(self.base, self.line))]
        return bool(self.text)

    def skipped_problem(
        self, seen: bool, more: bool, count: int, start: int, line: int, sample: str
    ) -> Problem:
        where = self.where(start, line)
        if self.bad_isa:
            self.bad_isa = False
            msg = f"skipped {count} bytes after an ISA that could not be read: {sample!r}"
            return Problem("trailing_garbage", msg, where)
        if seen:
            msg = f"{count} bytes after an interchange are not EDI: {sample!r}"
            return Problem("trailing_garbage", msg, where)
        if not more:
            return Problem("not_edi", f"no ISA header in {count} bytes: {sample!r}", where)
        if self.strip_preamble:
            msg = f"skipped {count} bytes before the first ISA: {sample!r}"
            return Problem("preamble_stripped", msg, where, Severity.WARNING)
        msg = f"{count} bytes before the first ISA are not EDI (strip_preamble is off): {sample!r}"
        return Problem("preamble_stripped", msg, where)

    def open_interchange(self) -> Generator[list[Event], None, Envelope | None]:
        found = read_isa(self.text, 0, self.eof)
        while found is None:
            self.fill()
            found = read_isa(self.text, 0, self.eof)
        if isinstance(found, IsaFailure):
            where = self.where(self.base, self.line, segment_index=1, segment_id="ISA")
            yield [Problem("isa_invalid", f"unreadable ISA: {found.reason}", where)]
            self.advance(3)
            self.bad_isa = True
            return None
        while found.broken and not self.eof and len(self.text) < WRAP_SAMPLE:
            self.fill()
        self.unwrap = found.broken and found.padded and is_wrapped(self.text, found)
        text = found.delimiters.element.join(found.elements)
        seg = Segment(found.elements, found.delimiters, self.base, self.line, 1, text)
        header = interchange_header(found, seg)
        env = Envelope(header, self.file)
        events: list[Event] = [InterchangeStart(header)]
        for code, message, element, severity in isa_findings(found, header):
            events.append(env.problem(code, message, seg, element, severity))
        yield events
        self.advance(found.end)
        self.idx = 1
        self.split_term = found.split_term
        self.full_term = found.split_term + found.suffix
        if self.full_term.startswith("\r\n"):  # CRLF: any line break ends a segment
            self.split_term = "\n"
        return env

    def read_body(self, env: Envelope) -> Iterator[list[Event]]:
        """Read segments until IEA, a new ISA, or the end of the file."""
        term, full = self.split_term, self.full_term
        while not env.done:
            if not self.eof and (len(self.text) < self.chunk or term not in self.text):
                self.fill()
                if self.failure is not None:
                    yield [self.failure]
                    self.failure = None
                continue
            text = self.text
            cut = text.rfind(full) + len(full)
            pieces = text[:cut].split(full)[:-1] if cut >= len(full) else []
            if pieces and self.regular(text[:cut], pieces):
                used = yield from self.fast(env, pieces)
                self.advance(used, self.line_after)
                continue
            if (cut := text.rfind(term)) >= 0:
                used = yield from self.careful(env, text[: cut + len(term)])
            else:
                yield self.finish(env)
                return
            self.advance(used)

    def regular(self, body: str, pieces: list[str]) -> bool:
        """Whether each segment of ``body`` ends in the full terminator (the same CR/LF
        after each), with no indentation, no other line break, no empty segment, no ISA.

        ``min`` finds a piece that starts with a blank (or is empty) in one C-level pass:
        every blank sorts before the letters and digits that start a tag.
        """
        full, n = self.full_term, len(pieces)
        return not (
            self.unwrap
            or (full != self.split_term and body.count(self.split_term) != n)
            or body.count("\n") != n * full.count("\n")
            or (full == "\n" and "\r" in body)
            or min(pieces)[:1] <= " "
            or "ISA" in body
        )

    def fast(self, env: Envelope, pieces: list[str]) -> Batches:
        """The hot loop: one split and one Segment per segment, envelope checks only for
        envelope tags, events handed out in small batches (cache-warm, short-lived).

        Inside a transaction only envelope tags leave the loop; outside one, every tag does
        (``_ANY``), so a stray segment is caught without a second test per segment.
        """
        full = self.full_term
        tlen, tnl = len(full), full.count("\n")
        delims = env.header.delimiters
        esep, seg_type, new = delims.element, Segment, object.__new__
        route = ENVELOPE_TAGS if env.in_txn else _ANY
        off, line, idx = self.base, self.line, self.idx
        last = idx
        for lo in range(0, len(pieces), BATCH):
            out: list[Event] = []
            append = out.append
            for idx, raw in enumerate(pieces[lo : lo + BATCH], idx + 1):  # noqa: B020
                els = raw.split(esep)
                if els[0] not in route:
                    # Segment(els, delims, off, line, idx, raw) without the cost of a
                    # Python __init__ call; test_x12_reader pins it to the constructor's.
                    seg = new(seg_type)
                    seg.elements = els
                    seg.delimiters = delims
                    seg.offset = off
                    seg.line = line
                    seg.index = idx
                    seg.text = raw
                    append(seg)
                else:
                    seg = seg_type(els, delims, off, line, idx, raw)
                    out += self.envelope(env, seg, idx - last - 1)
                    route, last = ENVELOPE_TAGS if env.in_txn else _ANY, idx
                    if env.done:
                        self.idx, self.line_after = idx, line + tnl
                        yield out
                        return off + len(raw) + tlen - self.base
                off += len(raw) + tlen
                line += tnl
            yield out
        env.txn_segments += idx - last
        self.idx, self.line_after = idx, line
        return off - self.base

    @staticmethod
    def envelope(env: Envelope, seg: Segment, body: int) -> list[Event]:
        if seg.elements[0] in ENVELOPE_TAGS:
            return env.step(seg, body)
        return env.stray(seg)

    def careful(self, env: Envelope, body: str) -> Batches:
        """Any layout: indentation, stray line breaks, wrapping, an ISA without IEA before it."""
        term = self.split_term
        tlen, tnl, crlf = len(term), term.count("\n"), term == "\n"
        delims = env.header.delimiters
        esep, unwrap, breaks_follow = delims.element, self.unwrap, "\n" in self.full_term
        route = ENVELOPE_TAGS if env.in_txn else _ANY
        off, line, idx = self.base, self.line, self.idx
        last = idx
        out: list[Event] = []
        for raw in body.split(term)[:-1]:
            if len(out) >= BATCH:
                yield out
                out = []
            text = raw.lstrip(SPACE)
            lead = len(raw) - len(text)
            start, seg_line = off + lead, line + raw.count("\n", 0, lead)
            line += raw.count("\n") + tnl
            off += len(raw) + tlen
            if crlf and text[-1:] == "\r":
                text = text[:-1]
            if unwrap:
                text = text.replace("\r", "").replace("\n", "")
            els = text.split(esep)
            if breaks_follow and not unwrap and "\n" in text:
                msg = "a line break inside a segment: its terminator seems to be missing"
                seg = Segment(els, delims, start, seg_line, idx + 1, text)
                out.append(env.problem("segment_terminator_missing", msg, seg))
            tag = els[0]
            if tag[:3] == "ISA" and (len(tag) == 3 or not tag[3].isalnum()):
                env.txn_segments += idx - last
                self.idx = idx
                yield out + env.close(Segment(els, delims, start, seg_line, idx + 1, text))
                return start - self.base
            idx += 1
            seg = Segment(els, delims, start, seg_line, idx, text)
            if tag not in route:
                out.append(seg)
                continue
            out += self.envelope(env, seg, idx - last - 1)
            route, last = ENVELOPE_TAGS if env.in_txn else _ANY, idx
            if env.done:
                self.idx = idx
                yield out
                return off - self.base
        env.txn_segments += idx - last
        self.idx = idx
        yield out
        return len(body)

    def finish(self, env: Envelope) -> list[Event]:
        """The end of the file: a last segment without terminator, then any open envelope."""
        rest = self.text
        out: list[Event] = []
        if rest.strip(SPACE):
            lead = len(rest) - len(rest.lstrip(SPACE))
            tag = rest[lead:].split(env.header.delimiters.element, 1)[0][:3]
            newline = self.split_term in LINE_BREAKS
            where = env.base.with_(
                byte_offset=self.base + lead,
                line=self.line + rest.count("\n", 0, lead),
                segment_index=self.idx + 1,
                segment_id=tag,
            )
            msg = f"the last segment ({tag}) has no terminator"
            severity = Severity.WARNING if newline else Severity.ERROR
            out.append(Problem("segment_unterminated", msg, where, severity))
            self.text = rest.rstrip(SPACE) + self.split_term
            for batch in self.careful(env, self.text):
                out += batch
            self.text = ""
        if not env.done:
            out += env.close(None, self.base + len(rest), self.line + rest.count("\n"))
        return out


class _Any(frozenset[str]):
    """Contains every tag: outside a transaction, every segment goes to the envelope."""

    def __contains__(self, item: object) -> bool:
        return True


_ANY = _Any()
