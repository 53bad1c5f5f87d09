"""Connector failures that retrying cannot fix: a refused host key, refused credentials.

They are :class:`ConfigError` subclasses (disposition STOP) so that neither the in-poll
retry nor the worker's backoff retries them: a wrong password retried in a loop only
locks the account. Transient failures stay :class:`ConnectorError` (RETRY).
"""

from __future__ import annotations

from b2bbridge.core.errors import ConfigError


class HostKeyError(ConfigError):
    """The server's host key is unknown or differs from the pinned one."""

    default_code = "sftp_host_key_rejected"


class AuthenticationError(ConfigError):
    """The peer refused our credentials."""

    default_code = "connector_auth_failed"
