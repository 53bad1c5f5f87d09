"""The raw bytes around an error position, for ``dlq show``: what the partner really sent.

The window is a byte radius around the error, trimmed to whole lines where the payload
has line breaks, and decoded leniently, because the payload
that failed may well be in a broken charset. Without a byte offset the excerpt is the
start of the payload.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Excerpt:
    """``text`` starts at byte ``start`` of the payload; ``marker`` is the error's index in it."""

    start: int
    end: int
    text: str
    marker: int | None

    @property
    def before(self) -> str:
        return self.text if self.marker is None else self.text[: self.marker]

    @property
    def after(self) -> str:
        return "" if self.marker is None else self.text[self.marker :]


def cut_excerpt(data: bytes, byte_offset: int | None, *, radius: int = 240) -> Excerpt:
    """Up to ``radius`` bytes either side of ``byte_offset``, trimmed to whole lines.

    A partial first line is dropped, and the window ends after the line following the
    error's, when the payload has line breaks inside the window.
    """
    if byte_offset is None or not 0 <= byte_offset <= len(data):
        end = min(len(data), 2 * radius)
        return Excerpt(0, end, _decode(data[:end]), None)
    start = max(0, byte_offset - radius)
    end = min(len(data), byte_offset + radius)
    newline = data.find(b"\n", start, byte_offset)
    if newline >= 0 and start > 0:
        start = newline + 1
    stop = data.find(b"\n", byte_offset, end)
    if stop >= 0:
        stop = data.find(b"\n", stop + 1, end)
    end = stop if stop >= 0 else end
    head = _decode(data[start:byte_offset])
    return Excerpt(start, end, head + _decode(data[byte_offset:end]), len(head))


def _decode(chunk: bytes) -> str:
    return chunk.decode("latin-1").replace("\r", "")
