"""Serving an app on loopback for the browser tests: one helper, not a copy per test file."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_app(app: Any, *, start_timeout: float = 20, **options: Any) -> Iterator[str]:
    """uvicorn serving ``app`` on 127.0.0.1 in a thread; yields the base URL, stops on exit.
    ``options`` go to ``uvicorn.Config`` (e.g. ``ctatlas.web.server.uvicorn_options()``)."""
    import uvicorn

    port = free_port()
    options.setdefault("log_level", "warning")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def launched_chromium(executable: str, args: list[str]) -> Iterator[Any]:
    """Headless Chromium through Playwright, closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=args)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def guarded_page(
    browser: Any, base_url: str, *, width: int = 1280, error_pages: tuple[str, ...] = ()
) -> Iterator[Any]:
    """A tab ``width`` CSS pixels wide that blocks every request not to the server and, on exit,
    fails on any request that tried to leave it and on any JavaScript error (the console's
    note that a page answered 4xx is expected only for URLs containing one of
    ``error_pages``)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))

    def console(message: Any) -> None:
        url = (message.location or {}).get("url", "")
        if message.type == "error" and not any(part in url for part in error_pages):
            errors.append(f"{message.text} ({url})" if url else message.text)

    tab.on("console", console)

    def guard(route: Any) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    tab.route("**/*", guard)
    yield tab
    context.close()
    assert not outside, f"requests left the server: {outside}"
    assert not errors, f"errors in the page: {errors}"
