"""The errors a system adapter raises, placed in b2bbridge's one exception tree.

``SystemUnavailableError`` (a :class:`ConnectorError`, so RETRY) is for what a later
attempt can fix: the server is down, timed out, rate-limited or answered 5xx.
``SystemRejectedError`` (REJECT) is for what it cannot: the server refused the data or
the method. Library errors are mapped to these at the edge, ``raise ... from exc``.
"""

from __future__ import annotations

from b2bbridge.core.errors import B2BError, ConnectorError


class SystemUnavailableError(ConnectorError):
    default_code = "system_unavailable"


class SystemRejectedError(B2BError):
    default_code = "system_rejected"
