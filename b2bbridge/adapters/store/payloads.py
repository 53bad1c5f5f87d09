"""Raw payloads, content-addressed by sha256 and stored zlib-compressed.

A payload is written once and never changed: putting the same bytes again is a no-op
that returns the same hash, so a file received twice costs one blob. Reading checks the
hash of what comes back, so silent corruption is caught rather than passed on.
"""

from __future__ import annotations

import hashlib
import zlib

from sqlalchemy import Connection, select

from b2bbridge.adapters.store.statements import insert_for
from b2bbridge.adapters.store.tables import payloads
from b2bbridge.core.errors import B2BError
from b2bbridge.ports import Clock, NotFoundError

COMPRESSION_LEVEL = 6


class SqlPayloadRepository:
    """The ``payloads`` table behind :class:`b2bbridge.ports.PayloadRepository`."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        statement = insert_for(self._connection, payloads).values(
            sha256=digest,
            size=len(data),
            compressed=zlib.compress(data, COMPRESSION_LEVEL),
            created_at=self._clock.now(),
        )
        self._connection.execute(statement.on_conflict_do_nothing(index_elements=["sha256"]))
        return digest

    def get(self, sha256: str) -> bytes:
        query = select(payloads.c.compressed).where(payloads.c.sha256 == sha256)
        compressed = self._connection.execute(query).scalar_one_or_none()
        if compressed is None:
            raise NotFoundError(f"no payload with sha256 {sha256}", code="payload_not_found")
        data = zlib.decompress(compressed)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise B2BError(f"payload {sha256} does not match its hash", code="payload_corrupt")
        return data
