"""Idempotency-Key: the same key and body give the same answer and never a second message.

The answer to each keyed request is remembered per partner and key (in memory, bounded,
oldest dropped first). The store backs it up across restarts: a keyed request whose exact
body this partner already sent is answered with that first message instead of storing
again. A key reused with a different body is refused with 422. Requests with the same key
are serialised by a lock per key, so two concurrent retries cannot both store.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

LOCK_STRIPES = 64


@dataclass(frozen=True, slots=True)
class Remembered:
    sha256: str
    status: int
    body: dict[str, Any]


class IdempotencyCache:
    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[tuple[str, str], Remembered] = OrderedDict()
        self._guard = threading.Lock()
        self._stripes = [threading.Lock() for _ in range(LOCK_STRIPES)]

    def lock(self, partner: str, key: str) -> threading.Lock:
        return self._stripes[hash((partner, key)) % LOCK_STRIPES]

    def get(self, partner: str, key: str) -> Remembered | None:
        with self._guard:
            return self._entries.get((partner, key))

    def put(self, partner: str, key: str, answer: Remembered) -> None:
        with self._guard:
            self._entries[(partner, key)] = answer
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
