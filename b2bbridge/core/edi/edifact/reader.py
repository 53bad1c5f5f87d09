"""Stream EDIFACT interchanges from a binary file as the envelope events of ``core.edi.events``.

The file is read in chunks of ``options.chunk_size`` bytes, so memory stays flat however
large the file is. Between interchanges the reader works on bytes: it skips blank lines
and a byte-order mark, reports anything else it must skip (a preamble, garbage between
interchanges), and reads UNA and UNB to learn each interchange's delimiters and
character set; every interchange may have its own. Inside an interchange each chunk is
cut after its last segment terminator, decoded with the interchange's codec (see
``charsets.choose_codec``) and split with ``str.split``; released terminators and element
separators (``?'``, ``?+``) are re-joined only where the release character actually
precedes one, so the common case costs one C-level split per chunk.

Line breaks and indentation between segments are layout, not data; line breaks inside a
segment are taken as wrapping at a fixed width and removed. When a file has no UNA and
its UNB line ends in a line break instead of ``'``, the line break is taken as the
segment terminator and a ``segment_terminator_invalid`` error says so.

Bad input never raises: everything found wrong is a Problem in the stream, and every
segment read is yielded, inside or outside an envelope.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from b2bbridge.core.edi.edifact.charsets import (
    choose_codec,
    codec_for,
    is_single_byte,
)
from b2bbridge.core.edi.edifact.envelope import (
    LEVEL_A,
    LEVEL_B,
    SERVICE_TAGS,
    parse_una,
    read_interchange_header,
    with_syntax_version,
)
from b2bbridge.core.edi.edifact.splitter import (
    BLANK,
    join_released,
    normalize,
    split_elements,
    split_segments,
)
from b2bbridge.core.edi.edifact.stream import Buffer, find_header, newline_terminator, unb_end
from b2bbridge.core.edi.edifact.tracker import InterchangeTracker
from b2bbridge.core.edi.events import Event, InterchangeStart
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.edi.segments import Delimiters, Segment
from b2bbridge.core.errors import Problem, Severity
from b2bbridge.core.location import Location

BLANK_BYTES = b" \t\r\n\x00\x1a"
BOM = b"\xef\xbb\xbf"
# A release-plus-separator pair that cannot occur when there is no release character.
NO_MATCH = "\x00\x00"


def read_edifact_events(source: BinaryIO, options: ReadOptions) -> Iterator[Event]:
    """Yield the events of every EDIFACT interchange in ``source``, in file order."""
    return _Reader(source, options).events()


@dataclass(slots=True)
class _Walk:
    """Where the hot loop stands: next byte offset and line, and how to measure and check."""

    offset: int
    line: int
    wide: str  # the codec to measure byte lengths with; "" when characters are bytes
    careful: bool  # the text holds "UNA" or "UNB": a new header may start mid-stream


@dataclass(slots=True)
class _Interchange:
    """What the body loop needs to know about the interchange being read."""

    tracker: InterchangeTracker
    delims: Delimiters
    declared: str | None
    codec: str
    index: int
    mismatch_reported: bool = False


class _Reader:
    """One pass over one file: header search, then one interchange at a time."""

    def __init__(self, source: BinaryIO, options: ReadOptions) -> None:
        self.buf = Buffer(source, max(options.chunk_size, 64))
        self.options = options
        self.where = Location(file=options.file)
        self.interchanges = 0

    def _at(self, offset: int, line: int) -> Location:
        return self.where.with_(byte_offset=offset, line=line)

    def events(self) -> Iterator[Event]:
        while True:
            kind = yield from self._seek_header()
            if kind is None:
                return
            buf = self.buf
            delims: Delimiters | None = None
            if kind == "UNA":
                delims = parse_una(buf.take(0, 9))
                una_at, una_line = buf.base, buf.line
                buf.consume(9)
                self._skip_blank()
                if not buf.startswith(b"UNB"):
                    text = "UNA is not followed by UNB"
                    yield Problem("interchange_header_missing", text, self._at(una_at, una_line))
                    continue
            ic = yield from self._read_interchange(delims)
            yield from self._read_body(ic)

    def _skip_blank(self) -> None:
        buf = self.buf
        while buf.left or buf.fill():
            if buf.startswith(BOM):
                buf.consume(3)
                continue
            head = buf.take(0, 64)
            n = len(head) - len(head.lstrip(BLANK_BYTES))
            if n == 0:
                return
            buf.consume(n)

    def _seek_header(self) -> Generator[Event, None, str | None]:
        """Move to the next UNA or UNB, reporting what had to be skipped to get there."""
        buf = self.buf
        skipped: tuple[int, int, bytes] | None = None  # offset, line, first bytes
        while True:
            self._skip_blank()
            while buf.left < 9 and buf.fill():
                pass
            pos = find_header(buf.take(0, 9), buf.eof)
            if pos != 0:
                pos = find_header(buf.take(0), buf.eof)
            if pos == 0:
                if skipped is not None:
                    yield self._skipped_problem(skipped, buf.base, found=True)
                return "UNA" if buf.startswith(b"UNA") else "UNB"
            if skipped is None and buf.left:
                skipped = (buf.base, buf.line, buf.take(0, 40))
            if pos > 0:
                buf.consume(pos)
                continue
            if buf.eof:
                buf.consume(buf.left)
                if skipped is not None or not self.interchanges:
                    yield self._skipped_problem(skipped, buf.base, found=False)
                return None
            buf.consume(max(0, buf.left - 8))
            buf.fill()

    def _skipped_problem(
        self, skipped: tuple[int, int, bytes] | None, end: int, found: bool
    ) -> Problem:
        if skipped is None:  # an empty (or blank) file
            return Problem("not_edi", "the file holds no UNA or UNB header", self._at(0, 1))
        offset, line, sample = skipped
        where = self._at(offset, line)
        size = f"{end - offset} bytes starting {sample!r}"
        if self.interchanges:
            return Problem("trailing_garbage", f"skipped {size} after interchange", where)
        if not found:
            return Problem("not_edi", f"no UNA or UNB header in {size}", where)
        if self.options.strip_preamble:
            return Problem(
                "preamble_stripped", f"skipped preamble of {size}", where, Severity.WARNING
            )
        return Problem("preamble_invalid", f"non-EDI preamble of {size} before the header", where)

    def _read_interchange(self, una: Delimiters | None) -> Generator[Event, None, _Interchange]:
        """Read UNB (the buffer starts at it) and open the interchange it begins.

        The character set is chosen from all the interchange's buffered bytes, not just
        UNB, so that ``InterchangeHeader.encoding`` names the codec the body is read with.
        """
        buf = self.buf
        delims = una or (LEVEL_B if buf.take(3, 4) == LEVEL_B.element.encode() else LEVEL_A)
        end = unb_end(buf, delims)
        problems: list[Event] = []
        newline = None if una is not None else newline_terminator(buf, delims, end)
        if newline is not None:
            end = buf.find(b"\n") + 1
            delims = _with_terminator(delims, newline)
            text = "segments end in line breaks, but no UNA declares that terminator"
            where = self._at(buf.base, buf.line)
            problems.append(Problem("segment_terminator_invalid", text, where))
        terminated = buf.take(0, end).endswith(delims.segment.encode("latin_1"))
        unb_raw = buf.take(0, end - len(delims.segment) if terminated else end)
        syntax_id, version = _syntax(unb_raw, delims)
        declared = codec_for(syntax_id)
        unz = _unz_end(buf, delims)
        choice = choose_codec(buf.take(0, unz if unz > 0 else None), declared)
        text = unb_raw.decode(choice.codec)
        body, start, seg_line, end_line = normalize(text, buf.base, buf.line)
        delims = with_syntax_version(delims, version, una is not None)
        unb = Segment(split_elements(body, delims), delims, start, seg_line, 1, body)
        header, header_problems = read_interchange_header(unb, choice.codec, self.where)
        tracker = InterchangeTracker(header, self.where)
        state = _Interchange(tracker, delims, declared, declared or choice.codec, 1)
        if declared is None:
            problems.append(self._unsupported(unb, syntax_id))
        if choice.mismatch:
            state.mismatch_reported = True
            bad = choice.first_bad or 0
            line = buf.line + buf.lines(bad)
            problems.append(self._mismatch(state, syntax_id, choice.codec, buf.base + bad, line))
        yield InterchangeStart(header)
        yield from problems
        yield from header_problems
        buf.advance(end, end_line + (delims.segment.count("\n") if terminated else 0))
        self.interchanges += 1
        return state

    def _read_body(self, ic: _Interchange) -> Iterator[Event]:
        """Read segments up to UNZ, the next header, or the end of the file."""
        buf = self.buf
        term = ic.delims.segment.encode("latin_1")
        scan_from, bound_by_unz = 0, True
        while True:
            cut = buf.rfind(term, scan_from) + len(term)
            if cut < len(term) and not buf.eof:
                scan_from = max(0, buf.left - len(term) + 1)
                buf.fill()
                continue
            unz = _unz_end(buf, ic.delims) if bound_by_unz else -1
            final = buf.eof and unz < 0
            end = unz if unz >= 0 else buf.left if final else cut
            text, wide = yield from self._decode(ic, buf.take(0, end))
            pieces = split_segments(text, ic.delims)
            tail = pieces.pop()
            walk = _Walk(buf.base, buf.line, wide, "UNA" in text or "UNB" in text)
            if (yield from self._walk(ic, pieces, walk)):
                return
            if final:
                yield from self._finish(ic, tail, walk)
                return
            # A region that ended at a "UNZ" and held no whole segment (its terminator
            # was released) must not be cut there again, or the loop would stand still.
            bound_by_unz = unz < 0 or walk.offset > buf.base
            buf.advance(walk.offset - buf.base, walk.line)
            scan_from = buf.left
            buf.fill()

    def _finish(self, ic: _Interchange, tail: str, walk: _Walk) -> Iterator[Event]:
        """At the end of the file: read an unterminated last segment, then close without UNZ."""
        buf = self.buf
        if tail.strip(BLANK):
            body, start, line, _ = normalize(tail, walk.offset, walk.line)
            text = f"the last segment {body[:3]!r} has no terminator"
            where = ic.tracker.here().with_(byte_offset=start, line=line)
            yield Problem("segment_unterminated", text, where)
            if (yield from self._walk(ic, [tail], walk)):
                return
        buf.consume(buf.left)
        yield from ic.tracker.close(None, self._at(buf.base, buf.line), ic.index)

    def _decode(self, ic: _Interchange, region: bytes) -> Generator[Event, None, tuple[str, str]]:
        """The region's text, and the codec whose byte lengths differ from character counts.

        The second value is "" when every character is one byte (ASCII, or a single-byte
        character set), which keeps offsets a matter of ``len``.
        """
        if region.isascii():
            return region.decode(ic.codec), ""
        choice = choose_codec(region, ic.declared)
        if choice.mismatch and not ic.mismatch_reported:
            ic.mismatch_reported = True
            bad = choice.first_bad or 0
            line = self.buf.line + region.count(b"\n", 0, bad)
            declared = ic.tracker.header.syntax_identifier or "?"
            yield self._mismatch(ic, declared, choice.codec, self.buf.base + bad, line)
        codec = choice.codec if choice.mismatch or ic.declared is None else ic.codec
        return region.decode(codec), "" if is_single_byte(codec) else codec

    def _walk(
        self, ic: _Interchange, pieces: list[str], walk: _Walk
    ) -> Generator[Event, None, bool]:
        """The hot loop: a body segment inside a message costs a split, a Segment and a yield.

        Everything else goes to the tracker: service segments, segments outside a
        message, and (when the text holds "UNA" or "UNB") a new header that cuts a
        truncated interchange short. True when the interchange ended here.
        """
        delims, tracker = ic.delims, ic.tracker
        es, rel, tlen, wide = delims.element, delims.release, len(delims.segment), walk.wide
        rel_es = rel + es if rel else NO_MATCH
        nl = "\r" if "\n" in delims.segment else "\n"
        fast = tracker.in_message and not walk.careful
        off, line, index = walk.offset, walk.line, ic.index
        for p in pieces:
            start = off
            off += (len(p.encode(wide)) if wide else len(p)) + tlen
            seg_line = line
            if nl in p or p[:1] in BLANK:
                p, start, seg_line, line = normalize(p, start, line)
            if nl == "\r":
                line += 1
            if not p:
                yield Problem(
                    "segment_empty",
                    "an empty segment",
                    tracker.here().with_(byte_offset=start, line=seg_line),
                )
                continue
            els = p.split(es)
            if rel_es in p:
                els = join_released(p, els, es, rel)
            index += 1
            seg = Segment(els, delims, start, seg_line, index, p)
            if fast and els[0] not in SERVICE_TAGS:
                yield seg
                continue
            if walk.careful and (p.startswith("UNA") or p.startswith("UNB")):
                yield from tracker.close(None, self._at(start, seg_line), index - 1)
                self.buf.advance(start - self.buf.base, seg_line)
                return True
            yield from tracker.accept(seg)
            fast = tracker.in_message and not walk.careful
            if els[0] == "UNZ":
                self.buf.advance(off - self.buf.base, line)
                return True
        walk.offset, walk.line, ic.index = off, line, index
        return False

    def _unsupported(self, unb: Segment, syntax_id: str) -> Problem:
        severity = Severity.ERROR if self.options.charset_policy == "strict" else Severity.WARNING
        text = f"syntax identifier {syntax_id!r} is not supported; read as UTF-8 or Latin-1"
        where = self.where.with_(
            byte_offset=unb.offset, line=unb.line, segment_index=1, segment_id="UNB"
        )
        return Problem("charset_unsupported", text, where.with_(element=1, component=1), severity)

    def _mismatch(
        self, state: _Interchange, declared: str, used: str, offset: int, line: int
    ) -> Problem:
        strict = self.options.charset_policy == "strict"
        text = f"bytes do not fit the declared character set {declared}; decoded as {used}"
        where = state.tracker.base.with_(byte_offset=offset, line=line)
        return Problem(
            "charset_mismatch", text, where, Severity.ERROR if strict else Severity.WARNING
        )


def _unz_end(buf: Buffer, delims: Delimiters) -> int:
    """The offset just past the first UNZ segment buffered, or -1.

    Regions end there, so that a file of many small interchanges is decoded and split
    once, not once per interchange. A false match (``UNZ+`` inside data) only ends a
    region early, which is harmless: regions may end after any terminator.
    """
    at = buf.find(b"UNZ" + delims.element.encode("latin_1"))
    if at < 0:
        return -1
    term = delims.segment.encode("latin_1")
    end = buf.find(term, at)
    return -1 if end < 0 else end + len(term)


def _syntax(unb: bytes, delims: Delimiters) -> tuple[str, str]:
    """UNB1's syntax identifier and version number, read before the codec is known."""
    first = normalize(unb.decode("latin_1"), 0, 0)[0]
    syntax = split_elements(first, delims)[1:2]
    syntax_id, _, rest = (syntax[0] if syntax else "").partition(delims.component)
    return syntax_id, rest.partition(delims.component)[0]


def _with_terminator(delims: Delimiters, terminator: str) -> Delimiters:
    return Delimiters(
        element=delims.element,
        component=delims.component,
        segment=terminator,
        repetition=delims.repetition,
        release=delims.release,
        decimal=delims.decimal,
    )
