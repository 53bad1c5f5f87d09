"""One reusable SSH/SFTP session: host-key pinning, authentication and transient retries.

Host keys are pinned by default: the partner's ``known_hosts`` file is loaded and any key
not in it is refused (a :class:`paramiko.RejectPolicy` that names the key), as is a key
that differs from the pinned one; both errors show the SHA256 fingerprint the server
offered, in the form ``ssh-keygen -lf`` prints, so an operator can compare it with what
the partner announced. Turning pinning off is an explicit option and logs a warning on
every connect.

Transient failures (a refused or dropped connection, a timeout, a channel closed mid-
transfer) drop the session and are retried with exponential backoff (tenacity) up to the
connector's ``retry.attempts`` (:mod:`~b2bbridge.adapters.connectors.retrying`, with
jitter). Refused credentials and host keys are never retried.
"""

from __future__ import annotations

import base64
import hashlib
import io
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TypeVar

import paramiko
import structlog

from b2bbridge.adapters.connectors import sftp_prefetch
from b2bbridge.adapters.connectors.base import ConnectorRetry
from b2bbridge.adapters.connectors.errors import AuthenticationError, HostKeyError
from b2bbridge.adapters.connectors.retrying import retryer
from b2bbridge.adapters.connectors.secrets import Secret
from b2bbridge.core.errors import ConfigError, ConnectorError
from b2bbridge.core.location import Location

log = structlog.get_logger("b2bbridge.sftp")
T = TypeVar("T")
KEY_TYPES: tuple[type[paramiko.PKey], ...] = (
    paramiko.Ed25519Key,
    paramiko.ECDSAKey,
    paramiko.RSAKey,
)
TRANSIENT = (OSError, EOFError, socket.timeout, paramiko.SSHException)


def fingerprint(key: paramiko.PKey) -> str:
    """``SHA256:…`` as OpenSSH prints it."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


class _PinnedPolicy(paramiko.RejectPolicy):
    """RejectPolicy, with the offered key's fingerprint in the error."""

    def missing_host_key(
        self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey
    ) -> NoReturn:
        raise HostKeyError(
            f"host key for {hostname} is not in known_hosts: the server offered "
            f"{key.get_name()} {fingerprint(key)}; add it only after checking it with the partner"
        )


class _WarnPolicy(paramiko.MissingHostKeyPolicy):
    def missing_host_key(
        self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey
    ) -> None:
        log.warning("sftp_host_key_unverified", host=hostname, fingerprint=fingerprint(key))


@dataclass(frozen=True)
class Credentials:
    username: str
    password: Secret | None = None
    private_key: Secret | None = None
    passphrase: Secret | None = None

    def pkey(self) -> paramiko.PKey | None:
        if self.private_key is None:
            return None
        text = self.private_key.reveal() + "\n"
        phrase = self.passphrase.reveal() if self.passphrase else None
        for kind in KEY_TYPES:
            try:
                return kind.from_private_key(io.StringIO(text), password=phrase)
            except (paramiko.SSHException, ValueError):
                continue
        raise ConfigError(
            "the private key cannot be loaded (not an ed25519, ECDSA or RSA key, or the "
            "passphrase is wrong)",
            code="sftp_key_invalid",
        )


@dataclass
class SessionSettings:
    host: str
    port: int
    credentials: Credentials
    known_hosts: Path | None
    host_key_check: bool
    timeout_seconds: float
    retry: ConnectorRetry
    connector: str


class SftpSession:
    """A lazily opened, reused SFTP channel with retries around each operation."""

    def __init__(self, settings: SessionSettings) -> None:
        self.settings = settings
        self._client: paramiko.SSHClient | None = None
        self._sftp: paramiko.SFTPClient | None = None
        self.server_fingerprint: str | None = None
        self.connects = 0

    def run(self, what: str, op: Callable[[paramiko.SFTPClient], T]) -> T:
        """Run ``op`` on a live channel, reconnecting and retrying transient failures."""
        retrying = retryer(self.settings.retry, connector=self.settings.connector, what=what)
        for attempt in retrying:
            with attempt:
                return self._once(what, op, attempt.retry_state.attempt_number)
        raise AssertionError("unreachable: tenacity reraises")  # pragma: no cover

    def _once(self, what: str, op: Callable[[paramiko.SFTPClient], T], attempt: int) -> T:
        try:
            return op(self.channel())
        except (ConfigError, FileNotFoundError, PermissionError):
            raise
        except TRANSIENT as exc:
            self.close()
            log.warning(
                "sftp_transient_error",
                connector=self.settings.connector,
                operation=what,
                attempt=attempt,
                error=f"{type(exc).__name__}: {exc}",
            )
            raise ConnectorError(
                f"sftp {what} on {self._where()} failed: {type(exc).__name__}: {exc}",
                location=Location(file=what),
            ) from exc

    def channel(self) -> paramiko.SFTPClient:
        if self._sftp is not None and self._alive():
            return self._sftp
        self.close()
        client = self._connect()
        self._client, self._sftp = client, client.open_sftp()
        self._sftp.get_channel().settimeout(self.settings.timeout_seconds)  # type: ignore[union-attr]
        return self._sftp

    def _alive(self) -> bool:
        transport = self._client.get_transport() if self._client else None
        return transport is not None and transport.is_active()

    def _where(self) -> str:
        s = self.settings
        return f"{s.credentials.username}@{s.host}:{s.port}"

    def _client_with_policy(self) -> paramiko.SSHClient:
        s = self.settings
        client = paramiko.SSHClient()
        if s.host_key_check:
            if s.known_hosts is not None and s.known_hosts.exists():
                client.load_host_keys(str(s.known_hosts))
            client.set_missing_host_key_policy(_PinnedPolicy())
        else:
            log.warning("sftp_host_key_check_disabled", connector=s.connector, host=s.host)
            client.set_missing_host_key_policy(_WarnPolicy())
        return client

    def _connect(self) -> paramiko.SSHClient:
        s = self.settings
        sftp_prefetch.install()  # a dropped download's helper thread logs, not prints
        client = self._client_with_policy()
        self.connects += 1
        try:
            client.connect(
                s.host,
                port=s.port,
                username=s.credentials.username,
                password=s.credentials.password.reveal() if s.credentials.password else None,
                pkey=s.credentials.pkey(),
                timeout=s.timeout_seconds,
                banner_timeout=s.timeout_seconds,
                auth_timeout=s.timeout_seconds,
                look_for_keys=False,
                allow_agent=False,
            )
        except paramiko.BadHostKeyException as exc:
            client.close()
            raise HostKeyError(
                f"host key for {exc.hostname} changed: the server offered "
                f"{exc.key.get_name()} {fingerprint(exc.key)}, known_hosts pins "
                f"{fingerprint(exc.expected_key)}; refusing to connect"
            ) from None
        except paramiko.AuthenticationException:
            client.close()
            raise AuthenticationError(
                f"{self._where()} refused our credentials; not retrying (check the "
                "username and the key or password reference)"
            ) from None
        except BaseException:
            client.close()
            raise
        transport = client.get_transport()
        if transport is not None:
            self.server_fingerprint = fingerprint(transport.get_remote_server_key())
        return client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = self._sftp = None
