"""Accepting a pushed payload: the Idempotency-Key rules, then the durable store.

Runs in a worker thread (the store is synchronous). The answer is built only after the
service has committed, so a 202 always means the bytes are in the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse

from b2bbridge.api.auth import Caller
from b2bbridge.api.idempotency import Remembered
from b2bbridge.api.problems import ApiProblemError
from b2bbridge.api.state import ApiState
from b2bbridge.services.intake import earlier_message

Answer = tuple[int, dict[str, Any]]


def _response(status: int, body: dict[str, Any], *, replayed: bool) -> JSONResponse:
    headers = {"Location": f"/v1/messages/{body['message_id']}"}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(body, status, headers=headers)


def accept(
    state: ApiState,
    caller: Caller,
    body: bytes,
    key: str | None,
    store: Callable[[], Answer],
) -> JSONResponse:
    """Store once per (partner, Idempotency-Key); replay the first answer afterwards."""
    if key is None:
        status, answer = store()
        state.metrics.stored_bytes.labels(caller.partner).inc(len(body))
        return _response(status, answer, replayed=False)
    sha = hashlib.sha256(body).hexdigest()
    with state.idempotency.lock(caller.partner, key):
        seen = state.idempotency.get(caller.partner, key)
        if seen is not None:
            if seen.sha256 != sha:
                raise ApiProblemError(
                    422,
                    "idempotency_key_reused",
                    f"Idempotency-Key {key!r} was first used with a different body",
                )
            return _response(seen.status, seen.body, replayed=True)
        first = earlier_message(state.ctx, partner=caller.partner, data=body)
        if first is not None:
            answer = {"message_id": first, "status": "accepted"}
            state.idempotency.put(caller.partner, key, Remembered(sha, 202, answer))
            return _response(202, answer, replayed=True)
        status, answer = store()
        state.metrics.stored_bytes.labels(caller.partner).inc(len(body))
        state.idempotency.put(caller.partner, key, Remembered(sha, status, answer))
        return _response(status, answer, replayed=False)
