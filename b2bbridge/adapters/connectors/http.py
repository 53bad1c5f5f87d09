"""HTTP: the partner side of the b2bbridge API, i.e. who may push and how they prove it.

Features
    authenticate (API key or HMAC signature), a request size limit. The API stores what
    arrives through the services directly, so ``poll`` has nothing to list; ``send``
    (outbound webhooks) is not offered and says so.
Connection
    none; the HTTP server is ``b2bbridge serve`` (see :mod:`b2bbridge.api`).
Options
    ``api_key_sha256``: the SHA-256 hex digest of the partner's API key (the key itself is
    never stored: generate one, give it to the partner, keep only the digest);
    ``hmac_secret`` (by reference): the shared secret for ``X-B2B-Signature:
    sha256=<hex>``, the HMAC-SHA256 of ``<X-B2B-Timestamp>.<body>`` (:func:`sign`);
    ``max_body_bytes`` (1 MiB).

Both comparisons run in constant time. At least one of the two credentials is required.
The timestamp is part of the signed bytes so that a captured request cannot be replayed
once it is stale; how stale is too stale is the API's setting
(``api.signature_max_skew_seconds``), checked in :mod:`b2bbridge.api.auth`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from b2bbridge.adapters.connectors.base import ConnectorDefinition, parse_options, register_kind
from b2bbridge.adapters.connectors.secrets import Secret, SecretOption
from b2bbridge.core.errors import ConfigError, ConnectorError
from b2bbridge.core.location import Location
from b2bbridge.ports import InboundFile


class HttpOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    api_key_sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")
    hmac_secret: SecretOption | None = None
    max_body_bytes: int = Field(1_048_576, ge=1)

    @model_validator(mode="after")
    def _some_credential(self) -> HttpOptions:
        if self.api_key_sha256 is None and self.hmac_secret is None:
            raise ValueError("give api_key_sha256 or hmac_secret: an open endpoint is refused")
        return self


def hash_api_key(key: str) -> str:
    """The digest to put in ``api_key_sha256`` for a key handed to a partner."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def signed_bytes(timestamp: str, body: bytes) -> bytes:
    """What the signature covers: the ``X-B2B-Timestamp`` value as sent, a dot, the body."""
    return timestamp.encode("utf-8") + b"." + body


def sign(secret: str, body: bytes, timestamp: int | str) -> str:
    """The ``X-B2B-Signature`` value a partner sends with ``body`` at ``timestamp``."""
    message = signed_bytes(str(timestamp), body)
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


class HttpConnector:
    """One partner's credentials for the HTTP API behind the Connector protocol."""

    kind = "http"

    def __init__(
        self, name: str, partner: str | None, options: HttpOptions, secret: Secret | None
    ) -> None:
        self.name = name
        self.partner = partner
        self.max_body_bytes = options.max_body_bytes
        self.api_key_sha256 = options.api_key_sha256
        self._secret = secret

    def verify_key(self, key: str) -> bool:
        if self.api_key_sha256 is None:
            return False
        return hmac.compare_digest(hash_api_key(key), self.api_key_sha256)

    def verify_signature(self, body: bytes, signature: str, timestamp: str) -> bool:
        if self._secret is None:
            return False
        expected = sign(self._secret.reveal(), body, timestamp)
        return hmac.compare_digest(expected, signature.strip())

    def poll(self) -> Iterator[InboundFile]:
        """Pushed payloads are stored by the API as they arrive: nothing to poll."""
        return iter(())

    def fetch(self, item: InboundFile) -> bytes:
        raise ConnectorError(f"http connector {self.name!r} has nothing to fetch")

    def confirm(self, item: InboundFile, *, ok: bool) -> str | None:
        return None

    def send(self, name: str, data: bytes) -> str:
        raise ConnectorError(
            f"http connector {self.name!r} only receives; send acks through another connector",
            code="http_send_unsupported",
        )

    def close(self) -> None:
        """Nothing held open."""


def _create(definition: ConnectorDefinition, home: Path) -> HttpConnector:
    options = parse_options(HttpOptions, definition)
    if definition.partner is None:
        raise ConfigError(
            f"http connector {definition.name!r} names no partner: API callers must be one",
            code="connector_options_invalid",
            location=Location(file=definition.source),
        )
    secret = options.hmac_secret.resolve(home) if options.hmac_secret else None
    return HttpConnector(definition.name, definition.partner, options, secret)


register_kind("http", _create)
