"""The products table, the jurisdiction pages and the API index in a real headless Chromium
(Debian's) against uvicorn on 127.0.0.1, on SQLite and on PostgreSQL (the conftest's store),
every outside request blocked. Screenshots go to test-output/web/.

Skips locally without Chromium or Playwright; fails when CI=true.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.serving import guarded_page, launched_chromium, serve_app

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "web"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip


def _chromium() -> str:
    reason = ""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "the playwright Python package is not installed"
    candidates = ("/usr/bin/chromium", shutil.which("chromium") or "")
    executable = next((c for c in candidates if c and Path(c).exists()), "")
    if not reason and not executable:
        reason = "Debian's chromium is not installed (apt-get install chromium)"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}: .ci/run must install it")
        pytest.skip(reason)
    return executable


@pytest.fixture(scope="module")
def base_url(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with serve_app(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium(_chromium(), ARGS) as chromium:
        yield chromium


@pytest.fixture
def page(browser, base_url: str) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    with guarded_page(browser, base_url) as tab:
        yield tab


def _shot(page: Any, name: str, web_db_url: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    backend = "sqlite" if web_db_url.startswith("sqlite") else "postgres"
    page.screenshot(path=str(SHOTS / f"{name}-{backend}.png"), full_page=True)


#: Every date on a page and the lines it takes (one box per line: a date that wraps has two).
DATE_HEIGHTS = """() => [...document.querySelectorAll('main span.date, main time')].map(e => (
  {text: e.textContent.trim(), lines: e.getClientRects().length}))"""


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
def test_products_table_in_a_browser(page, base_url: str, web_db_url: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/products?limit=4&lang={lang}")
    rows = page.locator("#products tbody tr[data-slug]")
    assert rows.count() == 4
    assert rows.first.get_attribute("data-slug") == "relmacabtagene-autoleucel"
    for width in (800, 1400):  # at 800 px a table squeezed this much would wrap them
        page.set_viewport_size({"width": width, "height": 900})
        dates = page.evaluate(DATE_HEIGHTS)
        assert len(dates) >= 8
        assert all(d["lines"] == 1 for d in dates), (width, [d for d in dates if d["lines"] != 1])
    # the counts stand beside the filter values
    kr = page.locator("#filters input[name=jurisdiction][value=KR]").locator("xpath=..")
    assert "(4)" in kr.inner_text()
    _shot(page, f"products-table-{lang}", web_db_url)
    # the numbered pages: page 2 holds the last two, marked current, language kept
    with page.expect_navigation():
        page.locator("nav.pager a.page", has_text="2").click()
    assert page.locator("#products tbody tr[data-slug]").count() == 2
    assert page.locator("nav.pager a[aria-current=page]").inner_text() == "2"
    assert page.locator("html").get_attribute("lang") == lang


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
def test_jurisdiction_pages_in_a_browser(page, base_url: str, web_db_url: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{base_url}/jurisdictions?lang={lang}")
    _shot(page, f"jurisdictions-{lang}", web_db_url)
    with page.expect_navigation():
        page.locator("tr[data-code=JP] a.jurisdiction-link").click()
    assert page.url.endswith(f"/jurisdictions/JP?lang={lang}")
    # every citation is shown as words on the page, not only in a tooltip
    links = page.locator("main .citations a.citation")
    assert links.count() > 20
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box is not None and box["width"] > 0 and links.nth(i).inner_text().strip()
    # Japanese legal terms render with Japanese glyphs: their lang is on the element
    term = page.locator("#def-regenerative_medical_product h3 [lang=ja]")
    assert term.inner_text() == "再生医療等製品"
    assert term.evaluate("e => e.closest('[lang]').lang") == "ja"
    # the table of contents jumps to the tier data
    page.locator("nav.toc a[href='#tier_figures']").click()
    page.wait_for_function("location.hash === '#tier_figures'")
    assert page.locator("#figures tbody tr").count() == 9
    _shot(page, f"jurisdiction-JP-{lang}", web_db_url)


def test_fingerprinted_assets_favicon_and_api_index(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    """The browser loads every asset under its hashed name (immutable), the icon, and the
    /api page whose example links answer."""
    with guarded_page(browser, base_url) as tab:
        responses: list[Any] = []
        tab.on("response", lambda r: responses.append(r))
        tab.goto(f"{base_url}/analysis")
        tab.wait_for_function(
            "document.querySelectorAll('figure.chart[data-rendered=true]').length > 0",
            timeout=20_000,
        )
        static = [r for r in responses if "/static/" in r.url]
        assert len(static) >= 5  # site.css, site.js, three Vega scripts (and the icon)
        for r in static:
            assert r.status == 200, r.url
            assert r.headers["cache-control"] == "public, max-age=31536000, immutable", r.url
        # the browser decodes the page's icon (the /favicon.ico copy is checked over HTTP:
        # Playwright's request routing does not pass Chromium's favicon.ico loads)
        size = tab.evaluate(
            """() => new Promise((ok, fail) => { const img = new Image();
              img.onload = () => ok([img.naturalWidth, img.naturalHeight]);
              img.onerror = () => fail('no icon');
              img.src = document.querySelector('link[rel=icon][type="image/svg+xml"]').href; })"""
        )
        assert size[0] > 0 and size[0] == size[1]
        tab.goto(f"{base_url}/api?lang=ko")
        rows = tab.locator("#endpoints tbody tr")
        assert rows.count() >= 13
        with tab.expect_navigation():
            tab.locator("#endpoints a.example[href='/api/v1/jurisdictions/JP']").click()
        assert '"code":"JP"' in tab.content().replace(" ", "")
