"""Raw payloads, content-addressed by sha256 and stored zlib-compressed.

A payload is written once and never changed: putting the same bytes again is a no-op
that returns the same hash, so a file received twice costs one blob. Reading checks the
hash of what comes back, so silent corruption is caught rather than passed on.

:meth:`SqlPayloadRepository.open` reads a payload as a stream that inflates as it is
read, so processing a large interchange holds only the compressed blob (for EDI about a
tenth of the text) and never the whole text. The hash is checked before the stream is
handed out, in one pass that keeps nothing, so a corrupt payload fails before anything
is processed from it.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from collections.abc import Iterable, Iterator

from sqlalchemy import Connection, bindparam, select

from b2bbridge.adapters.store.statements import Prepared, insert_on
from b2bbridge.adapters.store.tables import payloads
from b2bbridge.core.errors import B2BError
from b2bbridge.ports import Clock, NotFoundError

COMPRESSION_LEVEL = 6
CHUNK = 256 * 1024
_PUT = Prepared(
    lambda dialect: insert_on(dialect, payloads).on_conflict_do_nothing(index_elements=["sha256"])
)
_GET = select(payloads.c.compressed).where(payloads.c.sha256 == bindparam("b_sha256"))


class SqlPayloadRepository:
    """The ``payloads`` table behind :class:`b2bbridge.ports.PayloadRepository`."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def put(self, data: bytes) -> str:
        sha256, _ = self.put_chunks((data,))
        return sha256

    def put_chunks(self, chunks: Iterable[bytes]) -> tuple[str, int]:
        """Hash and compress the pieces as they come; only the compressed blob is held."""
        digest = hashlib.sha256()
        deflater = zlib.compressobj(COMPRESSION_LEVEL)
        parts: list[bytes] = []
        size = 0
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            parts.append(deflater.compress(chunk))
        parts.append(deflater.flush())
        sha256 = digest.hexdigest()
        values = {
            "sha256": sha256,
            "size": size,
            "compressed": b"".join(parts),
            "created_at": self._clock.now(),
        }
        self._connection.execute(_PUT.on(self._connection), values)
        return sha256, size

    def get(self, sha256: str) -> bytes:
        data = zlib.decompress(self._compressed(sha256))
        if hashlib.sha256(data).hexdigest() != sha256:
            raise _corrupt(sha256)
        return data

    def open(self, sha256: str) -> io.BufferedReader:
        """The payload as a stream that inflates as it is read; the hash is checked first."""
        compressed = self._compressed(sha256)
        digest = hashlib.sha256()
        for piece in _inflate(compressed):
            digest.update(piece)
        if digest.hexdigest() != sha256:
            raise _corrupt(sha256)
        return io.BufferedReader(_Inflating(compressed), CHUNK)

    def _compressed(self, sha256: str) -> bytes:
        compressed = self._connection.execute(_GET, {"b_sha256": sha256}).scalar_one_or_none()
        if compressed is None:
            raise NotFoundError(f"no payload with sha256 {sha256}", code="payload_not_found")
        return bytes(compressed)


def _corrupt(sha256: str) -> B2BError:
    return B2BError(f"payload {sha256} does not match its hash", code="payload_corrupt")


def _inflate(compressed: bytes) -> Iterator[bytes]:
    """The payload's bytes in pieces of at most :data:`CHUNK`, inflated one at a time."""
    inflater = zlib.decompressobj()
    view = memoryview(compressed)
    for start in range(0, len(view), CHUNK):
        pending = view[start : start + CHUNK].tobytes()
        while pending:
            piece = inflater.decompress(pending, CHUNK)
            if piece:
                yield piece
            pending = inflater.unconsumed_tail
    tail = inflater.flush()
    if tail:
        yield tail


class _Inflating(io.RawIOBase):
    """A raw, read-only stream over :func:`_inflate` (wrapped in a BufferedReader)."""

    def __init__(self, compressed: bytes) -> None:
        self._pieces = _inflate(compressed)
        self._left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._left:
            piece = next(self._pieces, None)
            if piece is None:
                return 0
            self._left = piece
        n = min(len(buffer), len(self._left))
        buffer[:n] = self._left[:n]
        self._left = self._left[n:]
        return n
