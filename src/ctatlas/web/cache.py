"""HTTP caching for read-only data: ETag / Last-Modified, 304s, and an in-process response cache.

The data changes only when the store is rebuilt, so a response is a function of the data
version (``data_hash``), the code version and the request. This ASGI middleware:

* adds ``ETag`` (from the data hash and ctatlas version), ``Last-Modified`` (the store's
  ``built_at``) and ``Cache-Control`` to every successful GET of data or pages;
* answers ``If-None-Match`` / ``If-Modified-Since`` with ``304 Not Modified``;
* keeps successful responses in an LRU keyed on (data hash, day, method, path, query, and
  for ``POST /api/v1/classify`` the body), so a repeated request never reaches the app.

Conditional approvals' outcomes are computed for today (:mod:`ctatlas.conditional`), so the
day (UTC) is part of every cache key and ETag, and ``Last-Modified`` is never earlier than
today's midnight: yesterday's ETag or date never gets a 304 today.

The cache is bounded by the bytes it holds (:data:`MAX_CACHE_BYTES`, not only its number of
entries), so clients inventing URLs cannot grow the server: the query string is normalised
(parameters in one order, one encoding) before it keys anything, the API refuses parameters
it does not know (422s are never cached), and when the data version changes every entry of
the old one is dropped at once. The whole-atlas exports are built once per data version
(:mod:`ctatlas.web.api.export`).

Errors are never cached and never get an ETag.

A response also depends on the negotiated language (pages and the report: ``?lang=``, else
Accept-Language; the API answers in codes, the same in every language) and on the negotiated
encoding (``gzip`` when the client accepts it and the body is text worth compressing, done
here, once per cache entry). Both are part of the cache key and of the ETag (a strong ETag
names one representation), and every response says so with ``Vary: Accept-Language,
Accept-Encoding``.

Product pages (``/products/{slug}``) also list the product's trials, from the trials store,
which changes without the atlas (``ctatlas trials ingest`` / ``link``). Their cache key and
ETag include the trials store's state token (:meth:`ctatlas.web.state.Trials.version`, re-read
at most every refresh interval), so a cached product page never outlives an ingest; they carry
no ``Last-Modified`` (the atlas's build time says nothing about the trials), and
``If-Modified-Since`` alone never makes them 304.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import hashlib
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from ctatlas import conditional as _conditional
from ctatlas.i18n import DEFAULT_LANG, negotiate
from ctatlas.web.lru import ByteLRU
from ctatlas.web.memory import release_freed_memory
from ctatlas.web.state import Atlas, Trials

__all__ = ["ResponseCache"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: POST routes whose answer depends only on the data and the body.
CACHEABLE_POSTS = frozenset({"/api/v1/classify"})
#: Paths whose data is not the atlas's (the trials store changes on its own): never cached.
UNCACHED_PREFIXES = ("/static/", "/api/v1/trials", "/favicon.ico")
#: Pages that show trials as well as atlas data: keyed on the trials store's state too.
TRIALS_PAGES = re.compile(r"^/(products/[^/]+|trials(/[^/]+)?|analysis/report\.\w+)$")
MAX_BODY = 64 * 1024
MAX_CACHED_RESPONSE = 4 * 1024 * 1024
#: The most the response cache holds, in bytes (bodies and headers).
MAX_CACHE_BYTES = 64 * 1024 * 1024
#: Paths answered the same in every language (codes, not labels).
LANGUAGE_FREE_PREFIXES = ("/api/",)
#: Bodies smaller than this are sent as they are (gzip would save nothing).
MIN_COMPRESSED = 512
COMPRESSIBLE = (
    b"text/",
    b"application/json",
    b"application/javascript",
    b"application/xml",
    b"image/svg+xml",
    b"application/vnd.vega",
)
VARY = b"Accept-Language, Accept-Encoding"
#: Paths answering a page to browsers (Accept: text/html) and JSON to anything else: the
#: Accept header is part of their ETag and their Vary too.
ACCEPT_NEGOTIATED = frozenset({"/api"})


def request_language(scope: Scope, headers: dict[bytes, bytes]) -> str:
    """The language a response to this request is in ('' for the language-free API)."""
    if scope["path"].startswith(LANGUAGE_FREE_PREFIXES):
        return ""
    asked = None
    query = scope.get("query_string", b"")
    if b"lang=" in query:
        asked = dict(parse_qsl(query.decode("latin-1"))).get("lang")
    return negotiate(asked, headers.get(b"accept-language", b"").decode("latin-1"))


def request_encoding(headers: dict[bytes, bytes]) -> str:
    """``gzip`` when the client accepts it (and has not refused it with q=0), else ``identity``."""
    for part in headers.get(b"accept-encoding", b"").decode("latin-1").lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            q = params.strip()
            if q.startswith("q="):
                try:
                    if float(q[2:]) <= 0:
                        return "identity"
                except ValueError:
                    return "identity"
            return "gzip"
    return "identity"


def normalised_query(query: bytes) -> bytes:
    """The query string with its parameters sorted and re-encoded (``b=2&a=1`` and
    ``a=1&b=%32`` are one key; repeated parameters keep their order)."""
    if not query:
        return b""
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    ordered = sorted(enumerate(pairs), key=lambda ip: (ip[1][0], ip[0]))
    return urlencode([pair for _, pair in ordered]).encode("latin-1", "replace")


def _representation_etag(etag: str, lang: str, encoding: str) -> str:
    """The data's ETag, told apart by language and encoding (one ETag per representation)."""
    suffix = (f"-{lang}" if lang and lang != DEFAULT_LANG else "") + (
        "-gz" if encoding == "gzip" else ""
    )
    return f'{etag[:-1]}{suffix}"' if suffix else etag


def _compress(
    headers: list[tuple[bytes, bytes]], body: bytes
) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """``body`` gzipped, with its headers, when it is text worth compressing."""
    content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
    if len(body) < MIN_COMPRESSED or not content_type.lower().startswith(COMPRESSIBLE):
        return headers, body
    if any(k.lower() == b"content-encoding" for k, _ in headers):
        return headers, body
    packed = gzip.compress(body, compresslevel=6, mtime=0)
    kept = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    kept += [(b"content-encoding", b"gzip"), (b"content-length", str(len(packed)).encode())]
    return kept, packed


class _Entry:
    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body


class ResponseCache:
    """ASGI middleware: conditional requests and a response cache keyed on the data hash."""

    def __init__(
        self,
        app: ASGIApp,
        atlas: Atlas,
        trials: Trials | None = None,
        max_entries: int = 4096,
        max_bytes: int = MAX_CACHE_BYTES,
    ) -> None:
        self.app = app
        self.atlas = atlas
        self.trials = trials
        self.entries = ByteLRU(max_bytes, max_entries=max_entries, max_item=MAX_CACHED_RESPONSE)
        self.data_hash: str | None = None
        self.day: dt.date | None = None

    @property
    def hits(self) -> int:
        return self.entries.hits

    @property
    def misses(self) -> int:
        return self.entries.misses

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNCACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        path = scope["path"]
        if method in ("GET", "HEAD"):
            body = b""
        elif method == "POST" and path in CACHEABLE_POSTS:
            body, complete = await _read_body(receive)
            if not complete:  # too large to key on: let the app answer (and refuse it)
                await self.app(scope, _replay(body, receive), send)
                return
            receive = _replay(body, receive)
        else:
            await self.app(scope, receive, send)
            return
        snap = self.atlas.current()
        # conditional outcomes are computed for today: the day is part of the key and the
        # ETag, and nothing is older than today's midnight
        day = _conditional.today()
        if snap.data_hash != self.data_hash or day != self.day:
            # a rebuild or a new day: nothing cached before can be asked
            rebuilt = self.data_hash is not None
            self.entries.clear()
            self.data_hash, self.day = snap.data_hash, day
            if rebuilt:  # the old data and its cache are garbage now: give the pages back
                release_freed_memory()
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
        built_at = max(snap.built_at, midnight)
        last_modified: str | None = email.utils.format_datetime(built_at, usegmt=True)
        digest = hashlib.sha256(f"{snap.etag}:{day.isoformat()}".encode()).hexdigest()
        etag = f'"{digest[:32]}"'
        trials_state = ""
        if self.trials is not None and TRIALS_PAGES.match(path):
            trials_state = self.trials.version()
            digest = hashlib.sha256(f"{etag}:{trials_state}".encode()).hexdigest()
            etag, last_modified, built_at = f'"{digest[:32]}"', None, None
        headers = dict(scope.get("headers") or [])
        lang = request_language(scope, headers)
        encoding = request_encoding(headers)
        etag = _representation_etag(etag, lang, encoding)
        negotiated = path in ACCEPT_NEGOTIATED
        if negotiated and b"text/html" in headers.get(b"accept", b""):
            etag = f'{etag[:-1]}-html"'
        key = (
            snap.data_hash,
            day,
            trials_state,
            lang,
            encoding,
            method if method != "HEAD" else "GET",
            path,
            normalised_query(scope.get("query_string", b"")),
            hashlib.sha256(body).digest() if body else b"",
            headers.get(b"content-type", b"") if body else b"",
            b"html" if b"text/html" in headers.get(b"accept", b"") else b"",
        )
        conditional = method in ("GET", "HEAD")
        entry = self.entries.get(key)
        if entry is not None:
            if conditional and _not_modified(headers, etag, built_at):
                await _send_304(send, entry)
                return
            await _send(send, entry, head=method == "HEAD")
            return
        captured: dict[str, Any] = {"chunks": []}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                captured["chunks"].append(message.get("body", b""))
                if not message.get("more_body", False):
                    captured["done"] = True

        app_scope = dict(scope, method="GET") if method == "HEAD" else scope
        await self.app(app_scope, receive, capture)
        status = captured.get("status", 500)
        body_out = b"".join(captured["chunks"])
        out_headers: list[tuple[bytes, bytes]] = captured.get("headers", [])
        if status == 200:
            out_headers = [
                (k, v)
                for k, v in out_headers
                if k.lower() not in (b"etag", b"last-modified", b"cache-control", b"vary")
            ]
            out_headers.append((b"vary", VARY + b", Accept" if negotiated else VARY))
            if encoding == "gzip":
                out_headers, body_out = _compress(out_headers, body_out)
            if conditional:
                out_headers.append((b"etag", etag.encode()))
                if last_modified is not None:
                    out_headers.append((b"last-modified", last_modified.encode()))
                out_headers.append((b"cache-control", b"public, no-cache"))
            else:
                out_headers.append((b"cache-control", b"no-store"))
            entry = _Entry(status, out_headers, body_out)
            size = len(body_out) + sum(len(k) + len(v) + 16 for k, v in out_headers) + 256
            self.entries.put(key, entry, size)
            if conditional and _not_modified(headers, etag, built_at):
                await _send_304(send, entry)
                return
            await _send(send, entry, head=method == "HEAD")
            return
        await _send(send, _Entry(status, out_headers, body_out), head=method == "HEAD")


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BODY:
            return b"".join(chunks), False
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _not_modified(headers: dict[bytes, bytes], etag: str, built_at: Any) -> bool:
    inm = headers.get(b"if-none-match")
    if inm is not None:
        tags = [t.strip() for t in inm.decode("latin-1").split(",")]
        return "*" in tags or etag in tags or f"W/{etag}" in tags
    ims = headers.get(b"if-modified-since")
    if ims is not None and built_at is not None:
        try:
            since = email.utils.parsedate_to_datetime(ims.decode("latin-1"))
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return bool(built_at.replace(microsecond=0) <= since)
    return False


async def _send(send: Send, entry: _Entry, head: bool = False) -> None:
    await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
    await send({"type": "http.response.body", "body": b"" if head else entry.body})


async def _send_304(send: Send, entry: _Entry) -> None:
    keep = (b"etag", b"last-modified", b"cache-control", b"vary")
    headers = [(k, v) for k, v in entry.headers if k.lower() in keep]
    await send({"type": "http.response.start", "status": 304, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
