"""Accepting a pushed payload: the Idempotency-Key rules, then the durable store.

:func:`accept` runs in a worker thread (the store is synchronous); :func:`accepted`
answers an unkeyed order that the order writer has committed while the event loop
awaited it. Either way the answer is built only after the service has committed, so a
202 always means the bytes are in the store. A keyed request goes through
:func:`b2bbridge.api.idempotency.answer_once`: it stores at most once per (partner, key),
and a retry gets the first answer back with ``Idempotent-Replayed: true``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi.responses import JSONResponse

from b2bbridge.api import idempotency
from b2bbridge.api.auth import Caller
from b2bbridge.api.idempotency import Attempt
from b2bbridge.api.problems import ApiProblemError
from b2bbridge.api.state import ApiState
from b2bbridge.ports import IdempotencyRecord


def _response(status: int, body: dict[str, Any], *, replayed: bool) -> JSONResponse:
    headers = {"Location": f"/v1/messages/{body['message_id']}"}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(body, status, headers=headers)


def request_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def accepted(state: ApiState, caller: Caller, body: bytes, answer: dict[str, Any]) -> JSONResponse:
    """The 202 for a payload stored just now (not a replay)."""
    state.metrics.stored_bytes.labels(caller.partner).inc(len(body))
    return _response(202, answer, replayed=False)


def accept(
    state: ApiState, caller: Caller, body: bytes, key: str | None, attempt: Attempt
) -> JSONResponse:
    """Store once per (partner, Idempotency-Key); replay the first answer afterwards."""
    if key is None:
        got = attempt()
        if isinstance(got, IdempotencyRecord):  # only a keyed attempt can meet a claimed key
            raise ApiProblemError(500, "internal_error", "an unkeyed request met a key")
        (status, answer), replayed = got, False
    else:
        (status, answer), replayed = idempotency.answer_once(key, request_digest(body), attempt)
    if not replayed:
        state.metrics.stored_bytes.labels(caller.partner).inc(len(body))
    return _response(status, answer, replayed=replayed)
