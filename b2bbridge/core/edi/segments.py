"""Segment and Delimiters: the light values every EDI reader yields and every writer takes.

A Segment keeps its elements as the raw text between element separators, with the tag as
element 0, so that ``seg.elements[n]`` is element *n* in both X12 and EDIFACT numbering.
Components, repetitions and EDIFACT release characters are resolved only when asked for:
most segments are routed or counted, never picked apart, and splitting them all up front
would cost more than the whole read.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Delimiters:
    """The separators of one interchange.

    ``release`` is EDIFACT's escape character (None in X12); ``repetition`` is None where
    the syntax version has none (X12 before 00402, EDIFACT syntax 1 to 3).
    """

    element: str
    component: str
    segment: str
    repetition: str | None = None
    release: str | None = None
    decimal: str = "."

    def as_dict(self) -> dict[str, str | None]:
        return {
            "element": self.element,
            "component": self.component,
            "segment": self.segment,
            "repetition": self.repetition,
            "release": self.release,
            "decimal": self.decimal,
        }

    def split(self, raw: str, sep: str) -> list[str]:
        """Split on ``sep``, honouring the release character; values stay escaped."""
        rel = self.release
        if rel is None or rel not in raw:
            return raw.split(sep)
        parts: list[str] = []
        buf: list[str] = []
        escaped = False
        for ch in raw:
            if escaped:
                buf.append(rel)
                buf.append(ch)
                escaped = False
            elif ch == rel:
                escaped = True
            elif ch == sep:
                parts.append("".join(buf))
                buf = []
            else:
                buf.append(ch)
        if escaped:  # a dangling release character is kept as text
            buf.append(rel)
        parts.append("".join(buf))
        return parts

    def unescape(self, raw: str) -> str:
        """Drop release characters, keeping the character each one protects."""
        rel = self.release
        if rel is None or rel not in raw:
            return raw
        out: list[str] = []
        escaped = False
        for ch in raw:
            if escaped:
                out.append(ch)
                escaped = False
            elif ch == rel:
                escaped = True
            else:
                out.append(ch)
        if escaped:
            out.append(rel)
        return "".join(out)


X12_DEFAULT = Delimiters(element="*", component=">", segment="~", repetition="^")
EDIFACT_DEFAULT = Delimiters(element="+", component=":", segment="'", repetition=None, release="?")


class Segment:
    """One segment and where it was read.

    ``elements[0]`` is the tag; ``elements[n]`` is the raw text of element *n* (EDIFACT
    values are still escaped). ``offset`` is the byte offset of the segment's first byte in
    its file, ``line`` the 1-based line it starts on, and ``index`` its 1-based position in
    its interchange (ISA or UNB is 1; a UNA is not counted).

    ``text`` is the segment as a reader found it (its elements joined by the element
    separator, layout and terminator dropped), or None for a segment built from elements.
    The readers have it anyway, and a validator that matches whole messages as text joins
    these strings instead of joining every segment's elements again. A segment is a value
    once read: whoever changes ``elements`` builds a new Segment, so ``text`` never goes
    stale.
    """

    __slots__ = ("delimiters", "elements", "index", "line", "offset", "text")

    def __init__(
        self,
        elements: list[str],
        delimiters: Delimiters,
        offset: int = 0,
        line: int = 1,
        index: int = 0,
        text: str | None = None,
    ) -> None:
        self.elements = elements
        self.delimiters = delimiters
        self.offset = offset
        self.line = line
        self.index = index
        self.text = text

    @property
    def tag(self) -> str:
        return self.elements[0]

    def __len__(self) -> int:
        """The number of elements after the tag, trailing empty ones included."""
        return len(self.elements) - 1

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickle as a constructor call: four times faster than the generic slots path.

        A large interchange spills what its transactions leave behind (their ST/UNH
        segments among it) to disk until its trailer, a block of records at a time.
        """
        return (
            Segment,
            (self.elements, self.delimiters, self.offset, self.line, self.index, self.text),
        )

    def __repr__(self) -> str:
        return f"Segment({self.delimiters.element.join(self.elements)!r} @ {self.offset})"

    def raw(self, n: int) -> str:
        """Element *n* as it stands in the file, or '' when the segment is shorter."""
        els = self.elements
        return els[n] if n < len(els) else ""

    def element(self, n: int) -> str:
        """Element *n*, unescaped; for a composite, the whole text with its separators."""
        return self.delimiters.unescape(self.raw(n))

    def components(self, n: int) -> list[str]:
        """The unescaped components of element *n* (one item for a simple element)."""
        d = self.delimiters
        return [d.unescape(c) for c in d.split(self.raw(n), d.component)]

    def component(self, n: int, m: int) -> str:
        """Component *m* (1-based) of element *n*, unescaped, or '' when absent."""
        comps = self.components(n)
        return comps[m - 1] if 0 < m <= len(comps) else ""

    def repetitions(self, n: int) -> list[str]:
        """The repeats of element *n*, still composite; one item where there is no repeat."""
        d = self.delimiters
        raw = self.raw(n)
        if d.repetition is None or n == 0:
            return [raw]
        return d.split(raw, d.repetition)

    def values(self) -> list[str]:
        """Every element after the tag, unescaped (composites keep their separators)."""
        unescape = self.delimiters.unescape
        return [unescape(e) for e in self.elements[1:]]
