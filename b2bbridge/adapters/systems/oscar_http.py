"""HTTP plumbing for a django-oscar storefront: the admin API and the dashboard.

The admin API (django-oscar-api, ``/api/admin/…``) takes HTTP Basic auth as a staff user
and needs ``OSCARAPI_BLOCK_ADMIN_API_ACCESS = False`` on the shop. The dashboard
(``/dashboard/…``) is a set of HTML forms: it needs a session login through
``/accounts/login/`` and a CSRF token, read from the cookie Django sets and sent back as
``csrfmiddlewaretoken`` with a matching ``Referer``.

Connection errors, timeouts, 429 and 5xx are :class:`SystemUnavailableError` (retry);
other 4xx are :class:`SystemRejectedError`.
"""

from __future__ import annotations

import httpx

from b2bbridge.adapters.systems.errors import SystemRejectedError, SystemUnavailableError
from b2bbridge.core.location import Location


class OscarHttp:
    """One staff user's view of one Oscar shop, over one keep-alive connection pool."""

    def __init__(
        self,
        url: str,
        user: str,
        password: str,
        *,
        email: str | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = url.rstrip("/")
        self._email = email or user
        self._password = password
        self._api = httpx.Client(
            base_url=self.base_url, auth=(user, password), timeout=timeout, transport=transport
        )
        self._dashboard = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)
        self._logged_in = False

    def close(self) -> None:
        self._api.close()
        self._dashboard.close()

    def api(self, method: str, path: str, json: object = None) -> object:
        """One admin API call; the decoded JSON body (None for an empty one)."""
        response = self._send(self._api, method, path, json=json)
        return response.json() if response.content else None

    def api_status(self, method: str, path: str, json: object = None) -> int:
        """One API call whose 404 is an answer, not an error; the status code."""
        try:
            response = self._api.request(method, path, json=json)
        except httpx.TransportError as exc:
            raise self._unavailable(f"{method} {path}: {exc}") from exc
        if response.status_code == 404:
            return 404
        self._check(response, method, path)
        return response.status_code

    def dashboard_post(self, path: str, form: dict[str, str]) -> httpx.Response:
        """POST a dashboard form as the logged-in staff user, with its CSRF token."""
        if not self._logged_in:
            self._login()
        self._send(self._dashboard, "GET", path)
        token = self._dashboard.cookies.get("csrftoken", "")
        headers = {"Referer": f"{self.base_url}{path}"}
        body = {**form, "csrfmiddlewaretoken": token}
        return self._send(self._dashboard, "POST", path, data=body, headers=headers)

    def _login(self) -> None:
        path = "/accounts/login/"
        self._send(self._dashboard, "GET", path)
        form = {
            "login-username": self._email,
            "login-password": self._password,
            "login_submit": "Log in",
            "csrfmiddlewaretoken": self._dashboard.cookies.get("csrftoken", ""),
        }
        headers = {"Referer": f"{self.base_url}{path}"}
        response = self._send(self._dashboard, "POST", path, data=form, headers=headers)
        if response.status_code != 302:
            raise SystemRejectedError("Oscar dashboard login refused", location=self._where())
        self._logged_in = True

    def _send(
        self, client: httpx.Client, method: str, path: str, **kwargs: object
    ) -> httpx.Response:
        try:
            response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
        except httpx.TransportError as exc:
            raise self._unavailable(f"{method} {path}: {exc}") from exc
        self._check(response, method, path)
        return response

    def _check(self, response: httpx.Response, method: str, path: str) -> None:
        status = response.status_code
        if status == 429 or status >= 500:
            raise self._unavailable(f"{method} {path} answered {status}")
        if status >= 400:
            raise SystemRejectedError(
                f"Oscar refused {method} {path}: {status} {response.text[:300]}",
                location=self._where(),
            )

    def _unavailable(self, detail: str) -> SystemUnavailableError:
        return SystemUnavailableError(
            f"Oscar at {self.base_url} failed: {detail}", location=self._where()
        )

    def _where(self) -> Location:
        return Location(file=f"oscar:{self.base_url}")
