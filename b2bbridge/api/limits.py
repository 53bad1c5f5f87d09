"""The request size limit, enforced while the body streams in (ASGI middleware).

A declared ``Content-Length`` over the cap is refused before a byte is read; a chunked
body is counted as it arrives and cut off at the cap, so an oversized request never sits
in memory whole. The cap is the largest any partner is allowed; each partner's own limit
is checked again once we know who is calling.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from b2bbridge.api.problems import MEDIA_TYPE, TITLES, TYPE_BASE

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _problem(cap: int, path: str) -> bytes:
    return json.dumps(
        {
            "type": TYPE_BASE + "payload_too_large",
            "title": TITLES["payload_too_large"],
            "status": 413,
            "detail": f"the body is larger than {cap} bytes",
            "instance": path,
        }
    ).encode()


class BodyLimit:
    def __init__(self, app: ASGIApp, cap: Callable[[], int]) -> None:
        self.app = app
        self.cap = cap

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.cap()
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > cap:
            await _refuse(send, cap, scope["path"])
            return
        seen = 0
        started = False
        too_large = False

        async def counted() -> Message:
            nonlocal seen, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
                    too_large = True  # the app sees the client go away; we answer 413
                    return {"type": "http.disconnect"}
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if too_large and not started:
                return  # the app's own answer to the cut-off body is replaced below
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except Exception:
            if not too_large:
                raise
        if too_large and not started:
            await _refuse(send, cap, scope["path"])


async def _refuse(send: Send, cap: int, path: str) -> None:
    body = _problem(cap, path)
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
