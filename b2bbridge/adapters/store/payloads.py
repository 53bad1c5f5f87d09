"""Raw payloads, content-addressed by sha256 and stored zlib-compressed.

A payload is written once and never changed: putting the same bytes again is a no-op
that returns the same hash, so a file received twice costs one blob. Reading checks the
hash of what comes back, so silent corruption is caught rather than passed on.
"""

from __future__ import annotations

import hashlib
import zlib

from sqlalchemy import Connection, bindparam, select

from b2bbridge.adapters.store.statements import Prepared, insert_on
from b2bbridge.adapters.store.tables import payloads
from b2bbridge.core.errors import B2BError
from b2bbridge.ports import Clock, NotFoundError

COMPRESSION_LEVEL = 6
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
        digest = hashlib.sha256(data).hexdigest()
        values = {
            "sha256": digest,
            "size": len(data),
            "compressed": zlib.compress(data, COMPRESSION_LEVEL),
            "created_at": self._clock.now(),
        }
        self._connection.execute(_PUT.on(self._connection), values)
        return digest

    def get(self, sha256: str) -> bytes:
        compressed = self._connection.execute(_GET, {"b_sha256": sha256}).scalar_one_or_none()
        if compressed is None:
            raise NotFoundError(f"no payload with sha256 {sha256}", code="payload_not_found")
        data = zlib.decompress(compressed)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise B2BError(f"payload {sha256} does not match its hash", code="payload_corrupt")
        return data
