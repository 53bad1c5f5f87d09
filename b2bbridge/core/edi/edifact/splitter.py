"""EDIFACT text splitting: segments and elements cut where separators are real, not released.

A separator preceded by an odd number of release characters is data (``?'``, ``???+``);
an even number means the release characters escape each other (``??'`` ends the
segment). The splitters keep values escaped, as ``Segment`` expects, and cost a plain
``str.split`` when no release character stands before a separator.
"""

from __future__ import annotations

from b2bbridge.core.edi.segments import Delimiters

#: Layout between and inside segments: never data in EDIFACT.
BLANK = " \t\r\n"


def join_released(text: str, pieces: list[str], sep: str, rel: str | None) -> list[str]:
    """Re-join the pieces of ``text.split(sep)`` where ``sep`` was released.

    A separator is released when an odd number of release characters precede it
    (``?'`` is data; ``??'`` is an escaped ``?`` and then a real terminator).
    """
    if rel is None or rel == sep:
        return pieces
    if len(pieces) < 64:
        return _join_few(pieces, sep, rel)
    released: list[int] = []
    ordinal, counted = 0, 0
    pair = rel + sep
    pos = text.find(pair)
    while pos >= 0:
        run = pos
        while run > 0 and text[run - 1] == rel:
            run -= 1
        if (pos - run) % 2 == 0:  # pos - run earlier release chars, plus the one at pos
            ordinal += text.count(sep, counted, pos + 1)
            counted = pos + 1
            released.append(ordinal)
        pos = text.find(pair, pos + 2)
    return _merge(pieces, released, sep) if released else pieces


def _join_few(pieces: list[str], sep: str, rel: str) -> list[str]:
    out: list[str] = []
    held: str | None = None
    for piece in pieces:
        if held is not None:
            piece = held + sep + piece
            held = None
        if piece[-1:] == rel and (len(piece) - len(piece.rstrip(rel))) % 2:
            held = piece
        else:
            out.append(piece)
    if held is not None:
        out.append(held)
    return out


def _merge(pieces: list[str], released: list[int], sep: str) -> list[str]:
    out: list[str] = []
    start, i = 0, 0
    while i < len(released):
        j = i
        while j + 1 < len(released) and released[j + 1] == released[j] + 1:
            j += 1
        out.extend(pieces[start : released[i]])
        out.append(sep.join(pieces[released[i] : released[j] + 2]))
        start, i = released[j] + 2, j + 1
    out.extend(pieces[start:])
    return out


def split_elements(text: str, delims: Delimiters) -> list[str]:
    """The elements of one segment's text, still escaped, honouring the release char."""
    parts = text.split(delims.element)
    rel = delims.release
    if rel is not None and rel + delims.element in text:
        return join_released(text, parts, delims.element, rel)
    return parts


def split_segments(text: str, delims: Delimiters) -> list[str]:
    """``text`` cut at each real segment terminator; the last item is what follows the last."""
    term, rel = delims.segment, delims.release
    pieces = text.split(term)
    if rel and rel + term in text:
        return join_released(text, pieces, term, rel)
    return pieces


def normalize(piece: str, start: int, line: int) -> tuple[str, int, int, int]:
    """Strip layout from a segment's text: ``(text, first byte, its line, line after)``.

    Leading blanks and line breaks are dropped (the segment starts after them); line
    breaks inside are fixed-width wrapping and are removed.
    """
    body = piece.lstrip(BLANK)
    lead = len(piece) - len(body)
    seg_line = line + piece.count("\n", 0, lead)
    end_line = line + piece.count("\n")
    if "\n" in body or "\r" in body:
        body = body.replace("\r", "").replace("\n", "")
    return body, start + lead, seg_line, end_line
