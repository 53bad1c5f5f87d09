"""Idempotency-Key: the same key and body give the same answer and never a second message.

Keys live in the store (:mod:`b2bbridge.services.idempotency`), so the answer survives a
restart and is shared by every API process on one database. An *attempt* either stores
the request (having claimed its key) and returns the answer, or returns the key's row
when someone claimed it first. A row that is ``done`` is replayed; one that is still
``pending`` (the first request with this key is being stored right now, here or in
another process) is asked again every :data:`POLL_SECONDS` for up to
:data:`WAIT_SECONDS`, then answered 409 with ``Retry-After``. No path stores twice. A key
reused with a different body is refused with 422.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from b2bbridge.api.problems import ApiProblemError
from b2bbridge.ports import IdempotencyRecord
from b2bbridge.services.idempotency import DONE, IdempotencyLedger

WAIT_SECONDS = 2.0
POLL_SECONDS = 0.05

Answer = tuple[int, dict[str, Any]]
Attempt = Callable[[], Answer | IdempotencyRecord]


def answer_once(key: str, request_sha256: str, attempt: Attempt) -> tuple[Answer, bool]:
    """The answer to a keyed request, and whether it is a replay of an earlier one."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        got = attempt()
        if not isinstance(got, IdempotencyRecord):
            return got, False
        if got.request_sha256 != request_sha256:
            raise ApiProblemError(
                422,
                "idempotency_key_reused",
                f"Idempotency-Key {key!r} was first used with a different body",
            )
        if got.state == DONE and got.status is not None and got.answer is not None:
            return (got.status, dict(got.answer)), True
        if time.monotonic() >= deadline:
            raise ApiProblemError(
                409,
                "idempotency_key_in_flight",
                f"a request with Idempotency-Key {key!r} is still being stored; retry shortly",
                headers={"Retry-After": "1"},
            )
        time.sleep(POLL_SECONDS)


def claim_then_store(
    ledger: IdempotencyLedger,
    partner: str,
    key: str,
    request_sha256: str,
    store: Callable[[], Answer],
) -> Attempt:
    """An attempt for a request stored on its own: claim, store, answer (or release)."""

    def attempt() -> Answer | IdempotencyRecord:
        seen = ledger.claim(partner, key, request_sha256)
        if seen is not None:
            return seen
        try:
            status, answer = store()
        except BaseException:
            _release(ledger, partner, key)
            raise
        ledger.complete(partner, key, status, answer)
        return status, answer

    return attempt


def _release(ledger: IdempotencyLedger, partner: str, key: str) -> None:
    """Best effort: an unreleased claim only delays the retry until it counts as abandoned."""
    try:
        ledger.release(partner, key)
    except Exception:  # noqa: BLE001 - the store's own failure is what the caller sees
        return
