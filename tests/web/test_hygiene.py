"""HTTP hygiene (issue 21, items 10, 13, 17): security headers on every response, no server
banner, oversized bodies refused with 413 in the envelope, and requests uvicorn refuses before
the app (a very long request line, bytes that are not HTTP) answered in the envelope too, by a
real uvicorn on loopback with either of its HTTP parsers."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from tests.web.serving import serve_app

from ctatlas.web.guard import MAX_BODY
from ctatlas.web.server import MAX_REQUEST_LINE, uvicorn_options

API = "/api/v1"
EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


def _secure(headers: Any) -> None:
    for name, value in EXPECTED.items():
        assert headers.get(name) == value, name
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert (
        "script-src 'self' 'unsafe-eval'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "server" not in headers


def test_security_headers_on_every_kind_of_response(client) -> None:  # type: ignore[no-untyped-def]
    slug = client.get(f"{API}/products?limit=1").json()["data"][0]["slug"]
    first = client.get(f"{API}/products/{slug}")
    responses = [
        client.get("/", headers={"accept": "text/html"}),
        first,
        client.get(f"{API}/products/{slug}"),  # from the response cache
        client.get(f"{API}/products/{slug}", headers={"if-none-match": first.headers["etag"]}),
        client.get(f"{API}/products/no-such-product"),
        client.get("/no/such/page", headers={"accept": "text/html"}),
        client.get(f"{API}/products?limit=0"),
        client.get("/static/site.css"),
        client.get("/api/docs"),
        client.get("/api/v1/openapi.json"),
        client.delete(f"{API}/products"),
        client.post(f"{API}/classify", json={}),
    ]
    assert [r.status_code for r in responses] == [
        200, 200, 200, 304, 404, 404, 422, 200, 200, 200, 405, 200
    ]  # fmt: skip
    for r in responses:
        _secure(r.headers)


def test_swagger_page_has_no_inline_script(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/api/docs").text
    from ctatlas.web.assets import package_assets

    init = package_assets().url("swagger-init.js")  # fingerprinted (ctatlas.web.assets)
    assert "<script>" not in html and f'<script src="{init}"></script>' in html
    assert "SwaggerUIBundle(" in client.get(init).text


def _classify_body(size: int) -> bytes:
    """A valid (empty) profile padded with JSON whitespace to ``size`` bytes."""
    return b"{" + b" " * (size - 2) + b"}"


def test_oversized_body_is_a_413_envelope(client) -> None:  # type: ignore[no-untyped-def]
    url = f"{API}/classify"
    headers = {"content-type": "application/json"}
    fits = client.post(url, content=_classify_body(MAX_BODY), headers=headers)
    assert fits.status_code == 200
    for body in (
        _classify_body(MAX_BODY + 1),  # with Content-Length
        iter([_classify_body(MAX_BODY)[:-1], b" " * 1024, b"}"]),  # chunked, no length
    ):
        r = client.post(url, content=body, headers=headers)
        assert r.status_code == 413
        envelope = r.json()
        assert envelope["ok"] is False and envelope["status"] == 413
        assert envelope["error"] == "request body too large (the limit is 64 KB)"
        _secure(r.headers)
    assert client.post(url, json={}).status_code == 200  # nothing was left half-read


# --------------------------------------------------------------------------- real uvicorn


@pytest.fixture(scope="module", params=["httptools", "h11"])
def server(app, request: pytest.FixtureRequest) -> Iterator[tuple[str, int]]:  # type: ignore[no-untyped-def]
    with serve_app(app, log_level="critical", **uvicorn_options(request.param)) as base:
        host, port = base.removeprefix("http://").split(":")
        yield host, int(port)


def _raw(address: tuple[str, int], request: bytes) -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(address, timeout=10) as sock:
        try:
            sock.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything
        data = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data:
                head, _, body = data.partition(b"\r\n\r\n")
                length = [
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ]
                if length and len(body) >= length[0]:
                    break
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def test_no_server_banner(server) -> None:  # type: ignore[no-untyped-def]
    status, headers, _ = _raw(
        server, b"GET /api/v1/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert status == 200
    _secure(headers)


def test_long_request_line_is_an_envelope(server) -> None:  # type: ignore[no-untyped-def]
    target = b"/api/v1/products?q=" + b"a" * (8 * MAX_REQUEST_LINE)
    status, headers, body = _raw(server, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status in (400, 414)  # h11 sees a head too long to parse; the others the URL
    assert headers["content-type"] == "application/json"
    envelope = json.loads(body)
    assert envelope["ok"] is False and envelope["status"] == status
    assert "request" in envelope["error"]
    _secure(headers)


def test_long_target_is_refused_by_the_app_too(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get(f"{API}/products", params={"q": "a" * MAX_REQUEST_LINE})
    assert r.status_code == 414
    assert r.json()["error"] == f"request line too long (at most {MAX_REQUEST_LINE} bytes)"
    _secure(r.headers)


def test_bytes_that_are_not_http_are_an_envelope(server) -> None:  # type: ignore[no-untyped-def]
    status, headers, body = _raw(
        server, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n"
    )
    assert status == 400
    envelope = json.loads(body)
    assert envelope["status"] == 400 and "cannot be read as HTTP" in envelope["error"]
    _secure(headers)


async def _tiny_app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    if scope["type"] != "http":
        return
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
    )
    await send({"type": "http.response.body", "body": b"ok"})


def test_an_idle_keep_alive_connection_is_kept_past_five_seconds() -> None:
    """uvicorn's own default closes idle connections after 5 s, as long as httpx keeps them:
    a client reusing one at that moment got a reset (seen in the soak with rebuilds)."""
    with serve_app(_tiny_app, log_level="critical", lifespan="off", **uvicorn_options()) as base:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            for pause in (5.5, 0):
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                data = b""
                while not data.endswith(b"\r\n\r\nok"):
                    chunk = sock.recv(65536)
                    assert chunk, "the server closed an idle keep-alive connection"
                    data += chunk
                assert data.startswith(b"HTTP/1.1 200")
                time.sleep(pause)
