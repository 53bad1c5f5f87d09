"""What an interchange's transactions leave behind until its trailer, kept off the heap.

An interchange is stored in one transaction once its trailer has been read, because only
then is it known whether the envelope stands. Until then each mapped transaction's
canonical JSON has to wait somewhere; a partner's day of orders in one interchange is
thousands of them, about 9 KB each for a 25-line order. The spool keeps them in memory
up to :data:`MEMORY_BYTES` and in an anonymous temporary file beyond, so memory stays
flat however many orders one interchange carries.

The bodies are not all that waits. Each transaction also leaves its envelope outcome (for
the acknowledgement) and its mapped unit (for the store), about 1.8 KB together with the
ST/UNH segment they point at. :class:`SpillList` holds such records: the most recent ones
as live objects, older ones pickled, a chunk at a time, into a temporary file of their own.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from typing import Generic, NamedTuple, TypeVar, cast

MEMORY_BYTES = 4 * 1024 * 1024
SPILL_CHUNK = 500
"""Records pickled together into a :class:`SpillList`'s file, and kept live beyond them."""
SPILL_MEMORY_BYTES = 1024 * 1024
"""Pickled records a :class:`SpillList` keeps in memory before its file goes to disk.

For a 25-line order a mapped unit pickles to about 160 bytes and an outcome to about
100, so this holds some 6,000 to 10,000 records.
"""

T = TypeVar("T")


class Spooled(NamedTuple):
    """Where one body lies in its spool."""

    offset: int
    length: int


class ByteSpool:
    """Append-only bytes in memory up to a limit, then in an anonymous temporary file.

    :meth:`put` gives a handle, :meth:`get` reads it back; the text spool and the spill
    list both keep their data here.
    """

    def __init__(self, memory_bytes: int, what: str) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=memory_bytes)  # noqa: SIM115 - closed by close()
        self._end = 0
        self._what = what

    def put(self, data: bytes) -> Spooled:
        self._file.seek(self._end)
        self._file.write(data)
        where = Spooled(self._end, len(data))
        self._end += len(data)
        return where

    def get(self, where: Spooled) -> bytes:
        self._file.seek(where.offset)
        data = self._file.read(where.length)
        if len(data) != where.length:
            raise OSError(
                f"spooled {self._what} at {where.offset} is short: {len(data)} of {where.length}"
            )
        return data

    @property
    def on_disk(self) -> bool:
        """Whether the spool has outgrown memory (for tests and diagnostics)."""
        return bool(getattr(self._file, "_rolled", False))

    def close(self) -> None:
        """Let the temporary file go (it was never linked into a folder)."""
        self._file.close()


class BodySpool:
    """Append-only text store: :meth:`put` gives a handle, :meth:`get` reads it back."""

    def __init__(self, memory_bytes: int | None = None) -> None:
        limit = MEMORY_BYTES if memory_bytes is None else memory_bytes
        self._bytes = ByteSpool(limit, "body")

    def put(self, text: str) -> Spooled:
        return self._bytes.put(text.encode("utf-8"))

    def get(self, where: Spooled) -> str:
        return self._bytes.get(where).decode("utf-8")

    @property
    def on_disk(self) -> bool:
        """Whether the spool has outgrown memory (for tests and diagnostics)."""
        return self._bytes.on_disk

    def close(self) -> None:
        """Let the temporary file go."""
        self._bytes.close()


class SpillList(Generic[T]):
    """An append-only sequence whose older records wait in a temporary file.

    The newest records (at least ``chunk``, and at least ``keep_live``) stay live, so the
    ones being worked on can be changed in place: the outcome builder files problems under
    the transactions it has just read. Once a block more than that is live, the oldest
    ``chunk`` are pickled as one block. A spilled record is a copy: changing what
    :meth:`__getitem__` returns for it changes nothing stored, which is why only the live
    tail may be changed.

    Indexing a spilled record reads its block back (the last block read is kept, so a
    walk in either direction reads each block once); iterating reads each block once.
    """

    def __init__(
        self, chunk: int | None = None, memory_bytes: int | None = None, keep_live: int = 0
    ) -> None:
        self._chunk = SPILL_CHUNK if chunk is None else chunk
        if self._chunk < 1:
            raise ValueError(f"chunk must be at least 1, not {self._chunk}")
        self._spill_at = self._chunk + max(self._chunk, keep_live)
        self._limit = SPILL_MEMORY_BYTES if memory_bytes is None else memory_bytes
        self._spool: ByteSpool | None = None
        self._blocks: list[Spooled] = []
        self._live: list[T] = []
        self._cached: tuple[int, list[T]] | None = None

    def append(self, record: T) -> None:
        self._live.append(record)
        if len(self._live) > self._spill_at:
            self._spill()

    def __len__(self) -> int:
        return len(self._blocks) * self._chunk + len(self._live)

    def __bool__(self) -> bool:
        return bool(self._live) or bool(self._blocks)

    def __iter__(self) -> Iterator[T]:
        for block in range(len(self._blocks)):
            yield from self._block(block)
        yield from list(self._live)

    def __getitem__(self, index: int) -> T:
        size = len(self)
        position = index + size if index < 0 else index
        if not 0 <= position < size:
            raise IndexError(f"index {index} out of range for {size} records")
        spilled = len(self._blocks) * self._chunk
        if position >= spilled:
            return self._live[position - spilled]
        block, offset = divmod(position, self._chunk)
        return self._block(block)[offset]

    def __reversed__(self) -> Iterator[T]:
        for position in range(len(self) - 1, -1, -1):
            yield self[position]

    @property
    def live(self) -> int:
        """How many records are held as objects (for tests and diagnostics)."""
        return len(self._live)

    @property
    def on_disk(self) -> bool:
        """Whether the spilled blocks have outgrown memory (for tests and diagnostics)."""
        return self._spool is not None and self._spool.on_disk

    def close(self) -> None:
        """Let the temporary file go; the list is empty afterwards."""
        if self._spool is not None:
            self._spool.close()
        self._spool, self._blocks, self._live, self._cached = None, [], [], None

    def _spill(self) -> None:
        if self._spool is None:
            self._spool = ByteSpool(self._limit, "block")
        block, self._live = self._live[: self._chunk], self._live[self._chunk :]
        self._blocks.append(self._spool.put(pickle.dumps(block, protocol=pickle.HIGHEST_PROTOCOL)))

    def _block(self, block: int) -> list[T]:
        if self._cached is not None and self._cached[0] == block:
            return self._cached[1]
        if self._spool is None:
            raise OSError("the spill file is closed")
        records = cast(list[T], pickle.loads(self._spool.get(self._blocks[block])))
        self._cached = (block, records)
        return records
