"""A small JSON-RPC client for a deployed Tryton server, over HTTP with httpx.

Tryton 8 answers ``POST /<database>/rpc/`` with ``{"id", "method", "params"}`` bodies.
The client logs in once (``common.db.login``, slow on purpose: it hashes the password)
and then sends ``Authorization: Session base64(login:user_id:token)`` on every call; a
401 after that (the session expired) triggers one fresh login and a retry of the call.
The user's context (company, language…) is read once with
``model.res.user.get_preferences`` and always sent as the **last** parameter, since
Tryton answers 422 without it.

Values use Tryton's tagged JSON: Decimal, date and datetime travel as objects with a
``__class__`` key. Datetimes are naive UTC on the wire and timezone-aware UTC here.

Failures map to the exception tree: connection errors, timeouts, 429 and 5xx are
:class:`SystemUnavailableError` (retry); 401 on login, 403 and Tryton user errors are
:class:`SystemRejectedError`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import count

import httpx

from b2bbridge.adapters.systems.errors import SystemRejectedError, SystemUnavailableError
from b2bbridge.core.location import Location


def encode_value(value: object) -> object:
    """A Python value as Tryton's tagged JSON expects it (recursively)."""
    if isinstance(value, Decimal):
        return {"__class__": "Decimal", "decimal": str(value)}
    if isinstance(value, datetime):
        naive = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        parts = ("year", "month", "day", "hour", "minute", "second", "microsecond")
        return {"__class__": "datetime", **{part: getattr(naive, part) for part in parts}}
    if isinstance(value, date):
        return {"__class__": "date", "year": value.year, "month": value.month, "day": value.day}
    if isinstance(value, Mapping):
        return {str(key): encode_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [encode_value(item) for item in value]
    return value


def decode_object(tagged: dict[str, object]) -> object:
    """The json ``object_hook``: tagged objects back to Decimal, date and aware datetime."""
    kind = tagged.get("__class__")
    if kind == "Decimal":
        return Decimal(str(tagged["decimal"]))
    if kind == "date":
        return date(_int(tagged["year"]), _int(tagged["month"]), _int(tagged["day"]))
    if kind == "datetime":
        year, month, day = _int(tagged["year"]), _int(tagged["month"]), _int(tagged["day"])
        hour, minute = _int(tagged.get("hour", 0)), _int(tagged.get("minute", 0))
        second, micro = _int(tagged.get("second", 0)), _int(tagged.get("microsecond", 0))
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    return tagged


def _int(value: object) -> int:
    return int(str(value))


class TrytonClient:
    """One logged-in session on one Tryton database."""

    def __init__(
        self,
        url: str,
        database: str,
        login: str,
        password: str,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.database = database
        self._login, self._password = login, password
        self._http = httpx.Client(base_url=url.rstrip("/"), timeout=timeout, transport=transport)
        self._ids = count(1)
        self._auth: str | None = None
        self.context: dict[str, object] = {}

    def close(self) -> None:
        self._http.close()

    def call(
        self, method: str, *params: object, extra: Mapping[str, object] | None = None
    ) -> object:
        """Call ``method`` with ``params`` and the user's context (plus ``extra``) appended."""
        if self._auth is None:
            self.login()
        try:
            return self._post(method, [*params, {**self.context, **(extra or {})}], authorized=True)
        except _SessionExpiredError:
            self.login()
            return self._post(method, [*params, {**self.context, **(extra or {})}], authorized=True)

    def model(self, model: str, method: str, *params: object) -> object:
        """``call("model.<model>.<method>", ...)``, the usual shape of a Tryton call."""
        return self.call(f"model.{model}.{method}", *params)

    def login(self) -> None:
        """Open a session and load the user's preferences as the call context."""
        self._auth = None
        answer = self._post("common.db.login", [self._login, {"password": self._password}, "en"])
        if not isinstance(answer, list) or len(answer) < 2:
            raise SystemRejectedError(f"unexpected login answer {answer!r}", location=self._where())
        token = f"{self._login}:{answer[0]}:{answer[1]}".encode()
        self._auth = "Session " + base64.b64encode(token).decode("ascii")
        preferences = self._post("model.res.user.get_preferences", [True, {}], authorized=True)
        if isinstance(preferences, dict):
            self.context = {k: v for k, v in preferences.items() if not k.startswith("_")}

    def _post(self, method: str, params: list[object], *, authorized: bool = False) -> object:
        body = json.dumps({"id": next(self._ids), "method": method, "params": encode_value(params)})
        headers = {"Content-Type": "application/json"}
        if authorized and self._auth is not None:
            headers["Authorization"] = self._auth
        try:
            response = self._http.post(f"/{self.database}/rpc/", content=body, headers=headers)
        except httpx.TransportError as exc:
            raise SystemUnavailableError(
                f"Tryton at {self._http.base_url} unreachable: {exc}", location=self._where()
            ) from exc
        return self._answer(method, response, authorized=authorized)

    def _answer(self, method: str, response: httpx.Response, *, authorized: bool) -> object:
        status = response.status_code
        if status == 401 and authorized:
            raise _SessionExpiredError(method)
        if status == 429 or status >= 500:
            raise SystemUnavailableError(
                f"Tryton answered {status} to {method}", location=self._where()
            )
        if status != 200:
            raise SystemRejectedError(
                f"Tryton answered {status} to {method}", location=self._where()
            )
        data = json.loads(response.content, object_hook=decode_object)
        if isinstance(data, dict) and data.get("error"):
            raise SystemRejectedError(
                f"Tryton refused {method}: {data['error']}", location=self._where()
            )
        return data.get("result") if isinstance(data, dict) else data

    def _where(self) -> Location:
        return Location(file=f"tryton:{self.database}")


class _SessionExpiredError(Exception):
    """A 401 on an authorized call: the session is gone, log in again once."""
