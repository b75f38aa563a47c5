"""HTTP hygiene for every response and request, outermost of the app's middleware.

* Security headers on every response, whatever produced it (a page, the API, a cached entry,
  a 304, an error, a static file): a Content-Security-Policy that lets pages run only the
  atlas's own scripts and styles (no inline script, nothing from elsewhere, no framing),
  ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` and a ``Referrer-Policy``.
  Any ``server`` banner is dropped.
* A request target longer than :data:`MAX_TARGET` is refused with 414 in the error envelope
  (``ctatlas serve`` already refuses longer ones in the HTTP parser, :mod:`ctatlas.web.server`).
* A request body larger than :data:`MAX_BODY` is refused with 413 in the error envelope
  before anything reads it whole (the cache middleware keys POSTs on their body; the
  classifier's profile is a few hundred bytes).

Why ``'unsafe-eval'`` in ``script-src``: the vendored Vega compiles chart expressions with
``Function`` (scripts still come only from the atlas itself). Why ``'unsafe-inline'`` in
``style-src``: Vega-Embed and Swagger UI set inline styles; styles cannot run code.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

__all__ = ["MAX_BODY", "MAX_TARGET", "SECURITY_HEADERS", "Guard"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The largest request body the atlas reads (the API's only POST takes a small profile).
MAX_BODY = 64 * 1024
#: The longest path plus query string served.
MAX_TARGET = 16 * 1024

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_REPLACED = {name for name, _ in SECURITY_HEADERS} | {b"server"}


def secure(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with the security headers set (once) and no ``server`` banner."""
    return [(k, v) for k, v in headers if k.lower() not in _REPLACED] + SECURITY_HEADERS


def too_large_body(limit: int = MAX_BODY) -> bytes:
    from ctatlas.web.errors import error_body

    return orjson.dumps(
        error_body(
            413,
            f"request body too large (the limit is {limit // 1024} KB)",
            [{"loc": ["body"], "msg": f"at most {limit} bytes are read"}],
        )
    )


def too_long_target(limit: int = MAX_TARGET) -> bytes:
    from ctatlas.web.errors import error_body

    return orjson.dumps(error_body(414, f"request line too long (at most {limit} bytes)"))


class Guard:
    """ASGI middleware: security headers on every response; oversized bodies refused."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message, headers=secure(list(message.get("headers") or [])))
            await send(message)

        target = len(scope.get("raw_path") or scope["path"].encode()) + len(
            scope.get("query_string", b"")
        )
        if target > MAX_TARGET:
            await _refuse(send_secure, 414, too_long_target())
            return
        if scope["method"] in ("POST", "PUT", "PATCH"):
            body, fits = await self._read(scope, receive)
            if not fits:
                await _refuse(send_secure, 413, too_large_body(self.max_body))
                return
            receive = _replay(body, receive)
        await self.app(scope, receive, send_secure)

    async def _read(self, scope: Scope, receive: Receive) -> tuple[bytes, bool]:
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                if int(declared) > self.max_body:
                    return b"", False
            except ValueError:
                pass  # the app answers a malformed length
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return b"".join(chunks), True
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return b"", False
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), True


async def _refuse(send: Send, status: int, body: bytes) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
