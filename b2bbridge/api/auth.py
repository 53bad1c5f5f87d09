"""Who is calling: a partner's API key (stored hashed) or an HMAC signature of the body.

A request authenticates with ``Authorization: Bearer <key>`` (or ``X-API-Key``), checked
against every HTTP connector's ``api_key_sha256``; or it is signed, with three headers:

- ``X-B2B-Partner: <partner>``;
- ``X-B2B-Timestamp: <unix seconds>``, the time of signing;
- ``X-B2B-Signature: sha256=<hex>``, the HMAC-SHA256, under that partner's shared
  secret, of the bytes ``<X-B2B-Timestamp value>.<exact body>`` (the timestamp as sent,
  one ASCII dot, then the body).

A signed request whose timestamp is missing, not whole seconds, or further than the
allowed skew (``api.signature_max_skew_seconds``, 300 by default) from the server's
clock, in either direction, is refused with a 401 that names ``X-B2B-Timestamp``: a
captured request cannot be replayed after that window, and within it an
``Idempotency-Key`` makes a replay return the first answer instead of storing again.
The endpoints come from the configured ``http`` connectors, found here by shape
(:class:`ApiEndpoint`) so the API does not import adapters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from b2bbridge.api.problems import ApiProblemError
from b2bbridge.ports import Clock

DEFAULT_MAX_BODY = 1_048_576
DEFAULT_MAX_SKEW_SECONDS = 300
TIMESTAMP_HEADER = "X-B2B-Timestamp"
UNIX_SECONDS = re.compile(r"[0-9]{1,12}")
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="b2bbridge"'}


@runtime_checkable
class ApiEndpoint(Protocol):
    """What the API needs from a partner's http connector."""

    name: str
    partner: str | None
    max_body_bytes: int

    def verify_key(self, key: str) -> bool: ...
    def verify_signature(self, body: bytes, signature: str, timestamp: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class Caller:
    partner: str
    connector: str
    max_body_bytes: int


class Authenticator:
    """Checks credentials against the configured endpoints."""

    def __init__(
        self,
        connectors: Iterable[object],
        *,
        clock: Clock | None = None,
        max_skew_seconds: int = DEFAULT_MAX_SKEW_SECONDS,
    ) -> None:
        self.endpoints = [
            c for c in connectors if isinstance(c, ApiEndpoint) and c.partner is not None
        ]
        self.clock = clock or _WallClock()
        self.max_skew_seconds = max_skew_seconds

    @property
    def max_body_bytes(self) -> int:
        """The largest limit any partner has: the cap before we know who is calling."""
        return max((e.max_body_bytes for e in self.endpoints), default=DEFAULT_MAX_BODY)

    def authenticate(self, headers: Mapping[str, str], body: bytes) -> Caller:
        signature = headers.get("x-b2b-signature")
        if signature is not None:
            return self._by_signature(headers, signature, body)
        key = _api_key(headers)
        if key is None:
            raise ApiProblemError(
                401, "unauthenticated", "send an API key or a signed request", headers=CHALLENGE
            )
        for e in self.endpoints:
            if e.verify_key(key):
                return _caller(e)
        raise ApiProblemError(401, "unauthenticated", "the API key is not valid", headers=CHALLENGE)

    def _by_signature(self, headers: Mapping[str, str], signature: str, body: bytes) -> Caller:
        partner = headers.get("x-b2b-partner")
        if not partner:
            raise ApiProblemError(401, "unauthenticated", "a signed request names X-B2B-Partner")
        timestamp = self._fresh_timestamp(headers.get("x-b2b-timestamp"))
        for e in self.endpoints:
            if e.partner == partner and e.verify_signature(body, signature, timestamp):
                return _caller(e)
        raise ApiProblemError(
            401,
            "signature_invalid",
            "X-B2B-Signature is not the HMAC-SHA256 of '<X-B2B-Timestamp>.<body>' under the "
            "partner's secret",
        )

    def _fresh_timestamp(self, raw: str | None) -> str:
        """The timestamp as sent, once it is known to be recent enough."""
        if raw is None or not raw.strip():
            raise _timestamp_problem(
                "timestamp_missing",
                f"a signed request sends {TIMESTAMP_HEADER}: <unix seconds>, and signs it",
            )
        value = raw.strip()
        if not UNIX_SECONDS.fullmatch(value):
            raise _timestamp_problem(
                "timestamp_invalid", f"{TIMESTAMP_HEADER} must be whole seconds since 1970-01-01Z"
            )
        skew = abs(int(self.clock.now().timestamp()) - int(value))
        if skew > self.max_skew_seconds:
            raise _timestamp_problem(
                "timestamp_invalid",
                f"{TIMESTAMP_HEADER} is {skew} s from the server's clock; at most "
                f"{self.max_skew_seconds} s is accepted",
            )
        return value


def _timestamp_problem(code: str, detail: str) -> ApiProblemError:
    return ApiProblemError(401, code, detail, [{"header": TIMESTAMP_HEADER, "detail": detail}])


class _WallClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def _caller(e: ApiEndpoint) -> Caller:
    assert e.partner is not None
    return Caller(e.partner, e.name, e.max_body_bytes)


def _api_key(headers: Mapping[str, str]) -> str | None:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return headers.get("x-api-key") or None
