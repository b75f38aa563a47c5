"""How ``ctatlas serve`` runs uvicorn: no ``server`` banner, and the error envelope (JSON, with
the security headers) even for requests uvicorn refuses before the app sees them: a request
line longer than :data:`MAX_REQUEST_LINE` (414) or bytes that are not HTTP (400), where
uvicorn would answer plain text.
"""

from __future__ import annotations

from typing import Any

import orjson

from ctatlas.web.guard import MAX_TARGET

__all__ = [
    "EnvelopeH11",
    "EnvelopeHttpTools",
    "KEEP_ALIVE_SECONDS",
    "MAX_REQUEST_LINE",
    "protocol_class",
    "uvicorn_options",
]

#: The longest request target read (the same bound as h11's default for a whole request head).
MAX_REQUEST_LINE = MAX_TARGET
#: Seconds an idle keep-alive connection stays open. Longer than clients keep idle connections
#: (httpx 5 s, browsers more): with uvicorn's 5 s the server closed connections that a client was
#: reusing at that moment, and a soak with rebuilds saw ReadError / RemoteProtocolError.
KEEP_ALIVE_SECONDS = 30


def _refusal(status: int, message: str) -> bytes:
    from ctatlas.web.errors import error_body
    from ctatlas.web.guard import secure

    reason = {400: b"Bad Request", 414: b"URI Too Long"}[status]
    body = orjson.dumps(error_body(status, message))
    headers = secure(
        [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
    )
    head = b"HTTP/1.1 %d %s\r\n" % (status, reason)
    head += b"".join(k + b": " + v + b"\r\n" for k, v in headers)
    return head + b"\r\n" + body


class _EnvelopeRefusals:
    """Mixin for uvicorn's protocol classes: refusals in the envelope."""

    transport: Any
    _line_too_long = False

    def send_400_response(self, msg: str) -> None:
        if self._line_too_long:
            status, message = 414, f"request line too long (at most {MAX_REQUEST_LINE} bytes)"
        else:
            status = 400
            message = (
                "the request cannot be read as HTTP (malformed, or its head is over "
                f"{MAX_REQUEST_LINE // 1024} KB)"
            )
        self.transport.write(_refusal(status, message))
        self.transport.close()


from uvicorn.protocols.http.h11_impl import H11Protocol  # noqa: E402


class EnvelopeH11(_EnvelopeRefusals, H11Protocol):
    """uvicorn's h11 protocol with refusals in the envelope."""


try:
    import httptools
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - uvicorn[standard] brings httptools
    EnvelopeHttpTools: type | None = None
else:

    class EnvelopeHttpTools(_EnvelopeRefusals, HttpToolsProtocol):  # type: ignore[no-redef]
        """uvicorn's httptools protocol with refusals in the envelope and a bounded URL."""

        def on_url(self, url: bytes) -> None:
            super().on_url(url)
            if len(self.url) > MAX_REQUEST_LINE:
                self._line_too_long = True
                raise httptools.HttpParserError("request line too long")


def protocol_class(prefer: str = "httptools") -> type:
    """The protocol class uvicorn gets (httptools when installed, else h11)."""
    if prefer == "httptools" and EnvelopeHttpTools is not None:
        return EnvelopeHttpTools
    return EnvelopeH11


def uvicorn_options(prefer: str = "httptools") -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config``."""
    return {
        "http": protocol_class(prefer),
        "server_header": False,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "h11_max_incomplete_event_size": MAX_REQUEST_LINE,
    }
