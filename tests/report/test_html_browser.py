"""The HTML report's charts draw in a real headless Chromium with every network request
blocked (the Vega libraries are inlined)."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from ctatlas.report import render

pytestmark = pytest.mark.browser


def _unavailable(reason: str) -> None:
    """Skip locally; in CI (CI=true) a missing browser is a failure of the set-up."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}: .ci/run must install it")
    pytest.skip(reason)


def _chromium() -> str:
    if importlib.util.find_spec("playwright") is None:
        _unavailable("the playwright package is not installed")
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    _unavailable("no Chromium on this machine")
    raise AssertionError("unreachable")


def test_charts_draw_offline(built_report, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    (path,) = render(built_report, "html", tmp_path / "r.html")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = browser.new_page()
        errors: list[str] = []
        requests: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

        def block(route):  # anything but the file itself would be a CDN
            if not route.request.url.startswith("file:"):
                requests.append(route.request.url)
                return route.abort()
            return route.continue_()

        page.route("**/*", block)
        page.goto(path.as_uri())
        page.wait_for_selector("#vega-autologous_share svg, #vega-autologous_share canvas")
        drawn = page.evaluate(
            "Array.from(document.querySelectorAll('div.vega'))"
            ".filter(d => d.querySelector('.marks')).length"
        )
        browser.close()
    assert drawn == len(built_report.charts)
    assert not errors and not requests
