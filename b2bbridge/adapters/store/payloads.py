"""Raw payloads, content-addressed by sha256 and stored zlib-compressed.

A payload is written once and never changed: putting the same bytes again is a no-op
that returns the same hash, so a file received twice costs one blob. Reading checks the
hash of what comes back, so silent corruption is caught rather than passed on.

Neither writing nor reading holds a large payload whole. :meth:`~SqlPayloadRepository.put_chunks`
compresses the pieces it is given as they come, and once the compressed form outgrows
:data:`PIECE_BYTES` writes it out as numbered ``payload_pieces`` rows. Their key is
provisional until the last piece gives the hash: then they are renamed to it, or, when
the same bytes are already stored, dropped. All of it happens in the caller's
transaction, so a crash part-way leaves nothing behind. A payload that fits in one piece
stays inline in ``payloads.compressed``.

:meth:`SqlPayloadRepository.open` reads a payload as a stream that inflates as it is
read. The hash is checked before the stream is handed out, in one pass over the pieces
that also copies them to a spooled temporary file, so a corrupt payload fails before
anything is processed from it, the stream outlives the unit of work that opened it, and
memory holds at most a piece or so of compressed bytes whatever the payload's size.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from typing import IO

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from b2bbridge.adapters.store.statements import Prepared, insert_on
from b2bbridge.adapters.store.tables import payload_pieces, payloads
from b2bbridge.core.errors import B2BError
from b2bbridge.ports import Clock, NotFoundError

COMPRESSION_LEVEL = 6
CHUNK = 256 * 1024
PIECE_BYTES = 1024 * 1024
"""Compressed bytes per ``payload_pieces`` row; a payload compressing to less stays inline.

EDI compresses ten to twenty times, so one piece is 10–20 MB of text: most payloads are
inline, and a large one costs a statement per piece, not per chunk read.
"""
SPOOL_BYTES = 1024 * 1024
"""Compressed bytes an opened payload keeps in memory before its copy goes to disk."""

# RETURNING names the row only when this insert stored it, which tells a put in pieces
# whether to keep its pieces; the row count does not say so on every driver (psycopg
# reports -1 for this statement).
_PUT = Prepared(
    lambda dialect: (
        insert_on(dialect, payloads)
        .on_conflict_do_nothing(index_elements=["sha256"])
        .returning(payloads.c.sha256)
    )
)
_GET = select(payloads.c.compressed, payloads.c.pieces).where(
    payloads.c.sha256 == bindparam("b_sha256")
)
_ADD_PIECE = insert(payload_pieces)
_GET_PIECE = select(payload_pieces.c.data).where(
    payload_pieces.c.sha256 == bindparam("b_sha256"),
    payload_pieces.c.seq == bindparam("b_seq"),
)
_RENAME_PIECES = (
    update(payload_pieces)
    .where(payload_pieces.c.sha256 == bindparam("b_provisional"))
    .values(sha256=bindparam("b_sha256"))
)
_DROP_PIECES = delete(payload_pieces).where(payload_pieces.c.sha256 == bindparam("b_provisional"))


class SqlPayloadRepository:
    """The ``payloads`` table behind :class:`b2bbridge.ports.PayloadRepository`."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def put(self, data: bytes) -> str:
        sha256, _ = self.put_chunks((data,))
        return sha256

    def put_chunks(self, chunks: Iterable[bytes]) -> tuple[str, int]:
        """Hash and compress the chunks as they come; at most a piece of output is held."""
        digest = hashlib.sha256()
        deflater = zlib.compressobj(COMPRESSION_LEVEL)
        held: list[bytes] = []
        held_bytes = size = pieces = 0
        provisional = ""
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            out = deflater.compress(chunk)
            held.append(out)
            held_bytes += len(out)
            if held_bytes >= PIECE_BYTES:
                provisional = provisional or f"pending-{secrets.token_hex(16)}"
                self._add_piece(provisional, pieces, b"".join(held))
                pieces, held, held_bytes = pieces + 1, [], 0
        held.append(deflater.flush())
        sha256 = digest.hexdigest()
        if pieces:
            self._add_piece(provisional, pieces, b"".join(held))
            pieces, held = pieces + 1, []
        values = {
            "sha256": sha256,
            "size": size,
            "compressed": b"".join(held),
            "pieces": pieces,
            "created_at": self._clock.now(),
        }
        stored = self._connection.execute(_PUT.on(self._connection), values).first()
        if pieces:
            names = {"b_provisional": provisional, "b_sha256": sha256}
            self._connection.execute(_RENAME_PIECES if stored else _DROP_PIECES, names)
        return sha256, size

    def get(self, sha256: str) -> bytes:
        data = zlib.decompress(b"".join(self._compressed(sha256)))
        if hashlib.sha256(data).hexdigest() != sha256:
            raise _corrupt(sha256)
        return data

    def open(self, sha256: str) -> io.BufferedReader:
        """The payload as a stream that inflates as it is read; the hash is checked first.

        The compressed pieces are copied to a spooled temporary file while the hash is
        checked, so the stream reads nothing more from the store and can be read after
        the unit of work that opened it has ended.
        """
        copy: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the stream closes it
        try:
            digest = hashlib.sha256()
            for piece in _inflate(_copied(self._compressed(sha256), copy)):
                digest.update(piece)
            if digest.hexdigest() != sha256:
                raise _corrupt(sha256)
            copy.seek(0)
        except BaseException:
            copy.close()
            raise
        return io.BufferedReader(_Inflating(copy), CHUNK)

    def _add_piece(self, key: str, seq: int, data: bytes) -> None:
        self._connection.execute(_ADD_PIECE, {"sha256": key, "seq": seq, "data": data})

    def _compressed(self, sha256: str) -> Iterator[bytes]:
        """The compressed form, a piece at a time; the first is read before this returns."""
        row = self._connection.execute(_GET, {"b_sha256": sha256}).one_or_none()
        if row is None:
            raise NotFoundError(f"no payload with sha256 {sha256}", code="payload_not_found")
        return self._pieces(sha256, bytes(row.compressed), int(row.pieces))

    def _pieces(self, sha256: str, inline: bytes, pieces: int) -> Iterator[bytes]:
        if not pieces:
            yield inline
            return
        for seq in range(pieces):
            data = self._connection.execute(
                _GET_PIECE, {"b_sha256": sha256, "b_seq": seq}
            ).scalar_one_or_none()
            if data is None:
                raise _corrupt(sha256)
            yield bytes(data)


def _corrupt(sha256: str) -> B2BError:
    return B2BError(f"payload {sha256} does not match its hash", code="payload_corrupt")


def _copied(pieces: Iterable[bytes], copy: IO[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        copy.write(piece)
        yield piece


def _read_from(file: IO[bytes]) -> Iterator[bytes]:
    while piece := file.read(CHUNK):
        yield piece


def _inflate(compressed: Iterable[bytes]) -> Iterator[bytes]:
    """The payload's bytes in pieces of at most :data:`CHUNK`, inflated one at a time."""
    inflater = zlib.decompressobj()
    for block in compressed:
        view = memoryview(block)
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
    """A raw, read-only stream that inflates a compressed copy (in a BufferedReader)."""

    def __init__(self, copy: IO[bytes]) -> None:
        self._copy = copy
        self._pieces = _inflate(_read_from(copy))
        self._left = b""

    def close(self) -> None:
        self._copy.close()
        super().close()

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
