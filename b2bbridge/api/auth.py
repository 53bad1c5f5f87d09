"""Who is calling: a partner's API key (stored hashed) or an HMAC signature of the body.

A request authenticates with ``Authorization: Bearer <key>`` (or ``X-API-Key``), checked
against every HTTP connector's ``api_key_sha256``; or with ``X-B2B-Partner: <partner>``
plus ``X-B2B-Signature: sha256=<hex>``, the HMAC-SHA256 of the exact body under that
partner's shared secret. The endpoints come from the configured ``http`` connectors,
found here by shape (:class:`ApiEndpoint`) so the API does not import adapters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from b2bbridge.api.problems import ApiProblemError

DEFAULT_MAX_BODY = 1_048_576
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="b2bbridge"'}


@runtime_checkable
class ApiEndpoint(Protocol):
    """What the API needs from a partner's http connector."""

    name: str
    partner: str | None
    max_body_bytes: int

    def verify_key(self, key: str) -> bool: ...
    def verify_signature(self, body: bytes, signature: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class Caller:
    partner: str
    connector: str
    max_body_bytes: int


class Authenticator:
    """Checks credentials against the configured endpoints."""

    def __init__(self, connectors: Iterable[object]) -> None:
        self.endpoints = [
            c for c in connectors if isinstance(c, ApiEndpoint) and c.partner is not None
        ]

    @property
    def max_body_bytes(self) -> int:
        """The largest limit any partner has: the cap before we know who is calling."""
        return max((e.max_body_bytes for e in self.endpoints), default=DEFAULT_MAX_BODY)

    def authenticate(self, headers: Mapping[str, str], body: bytes) -> Caller:
        signature = headers.get("x-b2b-signature")
        if signature is not None:
            return self._by_signature(headers.get("x-b2b-partner"), signature, body)
        key = _api_key(headers)
        if key is None:
            raise ApiProblemError(
                401, "unauthenticated", "send an API key or a signed request", headers=CHALLENGE
            )
        for e in self.endpoints:
            if e.verify_key(key):
                return _caller(e)
        raise ApiProblemError(401, "unauthenticated", "the API key is not valid", headers=CHALLENGE)

    def _by_signature(self, partner: str | None, signature: str, body: bytes) -> Caller:
        if not partner:
            raise ApiProblemError(401, "unauthenticated", "a signed request names X-B2B-Partner")
        for e in self.endpoints:
            if e.partner == partner and e.verify_signature(body, signature):
                return _caller(e)
        raise ApiProblemError(
            401,
            "signature_invalid",
            "X-B2B-Signature is not the HMAC-SHA256 of the body under the partner's secret",
        )


def _caller(e: ApiEndpoint) -> Caller:
    assert e.partner is not None
    return Caller(e.partner, e.name, e.max_body_bytes)


def _api_key(headers: Mapping[str, str]) -> str | None:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return headers.get("x-api-key") or None
