"""Canonical bodies waiting for their interchange's trailer, kept off the heap.

An interchange is stored in one transaction once its trailer has been read, because only
then is it known whether the envelope stands. Until then each mapped transaction's
canonical JSON has to wait somewhere; a partner's day of orders in one interchange is
thousands of them, about 9 KB each for a 25-line order. The spool keeps them in memory
up to :data:`MEMORY_BYTES` and in an anonymous temporary file beyond, so memory stays
flat however many orders one interchange carries.
"""

from __future__ import annotations

import tempfile
from typing import NamedTuple

MEMORY_BYTES = 4 * 1024 * 1024


class Spooled(NamedTuple):
    """Where one body lies in its spool."""

    offset: int
    length: int


class BodySpool:
    """Append-only text store: :meth:`put` gives a handle, :meth:`get` reads it back."""

    def __init__(self, memory_bytes: int | None = None) -> None:
        limit = MEMORY_BYTES if memory_bytes is None else memory_bytes
        self._file = tempfile.SpooledTemporaryFile(max_size=limit)  # noqa: SIM115 - closed by close()
        self._end = 0

    def put(self, text: str) -> Spooled:
        data = text.encode("utf-8")
        self._file.seek(self._end)
        self._file.write(data)
        where = Spooled(self._end, len(data))
        self._end += len(data)
        return where

    def get(self, where: Spooled) -> str:
        self._file.seek(where.offset)
        data = self._file.read(where.length)
        if len(data) != where.length:
            raise OSError(f"spooled body at {where.offset} is short: {len(data)} of {where.length}")
        return data.decode("utf-8")

    @property
    def on_disk(self) -> bool:
        """Whether the spool has outgrown memory (for tests and diagnostics)."""
        return bool(getattr(self._file, "_rolled", False))

    def close(self) -> None:
        """Let the temporary file go (it was never linked into a folder)."""
        self._file.close()
