"""Read the ISA header: the fixed-width segment that declares an X12 interchange's delimiters.

The element separator is the character after ``ISA``; the component separator is ISA16 and
the segment terminator is the character after it. CR/LF right after the terminator belongs
to the terminator (it is written again after every segment in pretty-printed files).

Three shapes are read, in this order:

* the standard 106-character ISA, every separator at its fixed position;
* the same ISA hard-wrapped across lines (newlines inside it are dropped before the fixed
  positions are checked, which works only when the terminator is not itself a newline);
* an ISA whose fields are not padded: the text is split on the element separator and ISA16
  is the 16th element. The separators are still certain, so this reads with an
  ``isa_not_padded`` warning rather than an error.

The text is Latin-1 decoded bytes, so one character is one byte. A terminator that is a
UTF-8 multi-byte character (U+2026 '…' has been seen) is kept as its byte sequence for
splitting, and reported decoded in :class:`Delimiters`.

The reader also asks this module where the next plausible ISA starts (``find_isa``: an
``ISA`` whose separator repeats after ISA01, so that ``VISA`` in a banner is not one) and
whether a file is hard-wrapped (``is_wrapped``: lines of one width while the terminator is
not a line break, so the line breaks are not data and are dropped).
"""

from __future__ import annotations

from dataclasses import dataclass

from b2bbridge.core.edi.events import InterchangeHeader, PartyId
from b2bbridge.core.edi.segments import Delimiters, Segment
from b2bbridge.core.edi.x12.envelope import is_number, parse_date, parse_time, party_text
from b2bbridge.core.errors import Severity

ISA_LENGTH = 106
# Index of every element separator in a padded ISA (ISA01 starts at 4, ISA16 is at 104).
SEPARATOR_INDEXES = (3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103)
LINE_BREAKS = "\r\n"
# How far to look for an unpadded ISA's 16 separators before giving up.
SEARCH_LIMIT = 400
WRAP_SAMPLE = 8192  # characters looked at to tell a hard-wrapped file


@dataclass(frozen=True, slots=True)
class IsaRead:
    """A readable ISA.

    ``elements`` are the tag and ISA01..ISA16 with line breaks removed. ``split_term`` is
    the terminator as Latin-1 text, ``suffix`` the CR/LF that followed it, and ``end`` the
    index in the scanned text just past both. ``padded`` is False for the split-parsed shape;
    ``broken`` is True when the ISA was spread over several lines.
    """

    elements: list[str]
    delimiters: Delimiters
    split_term: str
    suffix: str
    end: int
    padded: bool
    broken: bool


@dataclass(frozen=True, slots=True)
class IsaFailure:
    """An ISA whose separators cannot be found without guessing."""

    reason: str


_Found = tuple[list[str], int, bool, bool]  # elements, terminator index, padded, broken


def read_isa(text: str, start: int, at_eof: bool) -> IsaRead | IsaFailure | None:
    """Read the ISA starting at ``text[start]``; None means more text is needed first."""
    window = text[start : start + SEARCH_LIMIT]
    if len(window) < ISA_LENGTH + 4 and not at_eof:
        return None
    if len(window) < 4:
        return IsaFailure("the file ends inside the ISA segment")
    sep = window[3]
    if sep.isalnum() or sep.isspace():
        return IsaFailure(f"{sep!r} cannot be an element separator")
    found: _Found | IsaFailure | None = _read_fixed(window, sep) or _read_broken(window, sep)
    if found is None:
        found = _read_split(window, sep, at_eof)
    if found is None or isinstance(found, IsaFailure):
        return found
    elements, term_at, padded, broken = found
    return _finish(window, start, elements, term_at, padded, broken, at_eof)


def _read_fixed(window: str, sep: str) -> _Found | None:
    if len(window) < ISA_LENGTH or any(window[i] != sep for i in SEPARATOR_INDEXES):
        return None
    if window[104] in LINE_BREAKS:
        return None
    return [*window[:103].split(sep), window[104]], 105, True, False


def _read_broken(window: str, sep: str) -> _Found | None:
    """A padded ISA with line breaks inside it (a hard-wrapped file)."""
    keep = [i for i, ch in enumerate(window[: ISA_LENGTH + 40]) if ch not in LINE_BREAKS]
    if len(keep) <= 105 or keep[104] == 104:
        return None
    found = _read_fixed("".join(window[i] for i in keep), sep)
    if found is None:
        return None
    return found[0], keep[105], True, True


def _read_split(window: str, sep: str, at_eof: bool) -> _Found | IsaFailure | None:
    pos = 3
    for _ in range(15):
        pos = window.find(sep, pos + 1)
        if pos < 0:
            if at_eof or len(window) >= SEARCH_LIMIT:
                return IsaFailure("fewer than 16 elements before the text ends")
            return None
    if pos + 2 >= len(window):
        return None if not at_eof else IsaFailure("no component separator or terminator")
    head = window[: pos + 1]
    if _next_isa(head):
        return IsaFailure("another ISA starts before this one has 16 elements")
    values = head.replace("\r", "").replace("\n", "").split(sep)[:-1]
    broken = any(ch in head for ch in LINE_BREAKS)
    return [*values, window[pos + 1]], pos + 2, False, broken


def _next_isa(head: str) -> bool:
    """Whether an ISA segment (not a value like VISA) starts inside ``head`` after its own."""
    at = head.find("ISA", 3)
    while at >= 0:
        sep = head[at + 3 : at + 4]
        if not head[at - 1].isalnum() and sep and not sep.isalnum() and not sep.isspace():
            return True
        at = head.find("ISA", at + 1)
    return False


def _finish(
    window: str,
    start: int,
    elements: list[str],
    term_at: int,
    padded: bool,
    broken: bool,
    at_eof: bool,
) -> IsaRead | IsaFailure | None:
    sep = window[3]
    component = elements[16]
    if term_at >= len(window):
        return None if not at_eof else IsaFailure("the ISA has no segment terminator")
    term = _terminator(window, term_at)
    if component in LINE_BREAKS or component == sep or component.isalnum():
        return IsaFailure(f"{component!r} cannot be a component separator")
    if term in (sep, component) or term.isalnum() or term in " \t":
        return IsaFailure(f"{term!r} cannot be a segment terminator")
    end = term_at + len(term)
    after = window[end : end + 2]
    if term == "\r" or not after.startswith("\r\n"):
        after = after[:1]
    suffix = after if after and after in ("\r\n", "\r", "\n") else ""
    delimiters = _delimiters(elements, sep, term, suffix)
    return IsaRead(elements, delimiters, term, suffix, start + end + len(suffix), padded, broken)


def _terminator(window: str, at: int) -> str:
    """The terminator's characters: one, or a whole UTF-8 sequence when one starts there."""
    lead = ord(window[at])
    width = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if lead >= 0xF0 else 1
    if width > 1:
        seq = window[at : at + width]
        try:
            seq.encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            return window[at]
        return seq
    return window[at]


def _delimiters(elements: list[str], sep: str, term: str, suffix: str) -> Delimiters:
    version = elements[12].strip()
    repetition: str | None = None
    rep = elements[11][:1]
    if version >= "00402" and rep and not rep.isalnum() and not rep.isspace():
        repetition = rep
    if len(term) > 1:
        shown = term.encode("latin-1").decode("utf-8")
    elif term in LINE_BREAKS:
        shown = term + suffix
    else:
        shown = term
    return Delimiters(element=sep, component=elements[16], segment=shown, repetition=repetition)


Finding = tuple[str, str, int | None, Severity]


def interchange_header(read: IsaRead, seg: Segment) -> InterchangeHeader:
    """ISA decoded; text is Latin-1 so that every byte reads and offsets stay byte offsets."""
    els = read.elements
    time = parse_time(els[10].strip())
    return InterchangeHeader(
        syntax="x12",
        control_number=els[13].strip(),
        sender=PartyId(els[5].strip() or None, party_text(els[6])),
        receiver=PartyId(els[7].strip() or None, party_text(els[8])),
        date=parse_date(els[9].strip()),
        time=time[:5] if time else None,
        version=els[12].strip(),
        test=els[15].strip() == "T",
        ack_requested=els[14].strip() == "1",
        delimiters=read.delimiters,
        encoding="latin-1",
        segment=seg,
    )


def isa_findings(read: IsaRead, header: InterchangeHeader) -> list[Finding]:
    """What is wrong with a readable ISA: (code, message, element, severity) each."""
    els = read.elements
    found: list[Finding] = []
    if not read.padded:
        msg = "ISA fields are not padded to fixed width; separators found by splitting"
        msg += " (the ISA is broken across lines)" if read.broken else ""
        found.append(("isa_not_padded", msg, None, Severity.WARNING))
    if header.date is None:
        found.append(
            ("interchange_date_invalid", f"ISA09 {els[9]!r} is not YYMMDD", 9, Severity.ERROR)
        )
    if header.time is None or len(els[10].strip()) != 4:
        found.append(
            ("interchange_time_invalid", f"ISA10 {els[10]!r} is not HHMM", 10, Severity.ERROR)
        )
    if not is_number(header.control_number):
        msg = f"ISA13 {els[13]!r} is not a number"
        found.append(("isa_invalid", msg, 13, Severity.ERROR))
    if els[14].strip() not in ("0", "1"):
        msg = f"ISA14 {els[14]!r} is not 0 or 1"
        found.append(("ack_requested_invalid", msg, 14, Severity.ERROR))
    if els[15].strip() not in ("T", "P", "I"):
        msg = f"ISA15 {els[15]!r} is not T, P or I"
        found.append(("test_indicator_invalid", msg, 15, Severity.ERROR))
    return found


def plausible_isa(text: str, at: int) -> bool:
    """``ISA`` followed by a separator that repeats after ISA01 (always two characters)."""
    if text[at : at + 3] != "ISA" or len(text) < at + 7:
        return False
    sep = text[at + 3]
    return not sep.isalnum() and not sep.isspace() and text[at + 6] == sep


def find_isa(text: str) -> int:
    at = text.find("ISA", 1)
    while at >= 0 and not plausible_isa(text, at):
        at = text.find("ISA", at + 1)
    return at


def is_wrapped(text: str, isa: IsaRead) -> bool:
    """Lines of one width with a terminator that is not a line break: a hard-wrapped file."""
    if isa.split_term in LINE_BREAKS:
        return False
    sample = text[:WRAP_SAMPLE]
    if len(text) <= len(sample):  # the whole rest of the file: its last line may be short
        sample = sample.rstrip(LINE_BREAKS)
    lines = sample.split("\n")
    widths = [len(s.rstrip("\r")) for s in lines[:-1]]
    if not widths:
        return False
    width = max(widths)
    return all(w == width for w in widths[1:]) and len(lines[-1].rstrip("\r")) <= width
