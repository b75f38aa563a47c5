"""The pages in a real headless Chromium (Debian's; never a downloaded browser) against uvicorn
on 127.0.0.1: filter the product table, open a product, submit the classifier form, see the
charts render. Every request that leaves the server is blocked and counted (no CDN).
Screenshots go to test-output/web/.

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
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _need(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}: .ci/run must install it")
    pytest.skip(reason)


def _chromium() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _need("the playwright Python package is not installed")
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and Path(candidate).exists():
            return candidate
    _need("Debian's chromium is not installed (apt-get install chromium)")
    raise AssertionError("unreachable")




@pytest.fixture(scope="module")
def web_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite only: the pages read the same data layer on either backend, and the API suite
    already runs on both; a second browser pass would only double the time."""
    from ctatlas.dataset import load_dataset
    from ctatlas.store import build_store

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'atlas.sqlite'}"
    build_store(load_dataset(Path(__file__).resolve().parents[1] / "fixtures" / "data"), url)
    return url


@pytest.fixture(scope="module")
def base_url(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """uvicorn serving the fixture app on 127.0.0.1, in a thread."""
    with serve_app(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    with launched_chromium(executable, ARGS) as chromium:
        yield chromium


@pytest.fixture
def page(browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """A page that blocks every request not to the server, and fails on a JS error."""
    with guarded_page(browser, base_url) as tab:
        yield tab


def _shot(page: Any, name: str, param: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{param}.png"), full_page=True)


def _param(request: pytest.FixtureRequest) -> str:
    return "sqlite"


def test_filter_the_product_table(page, base_url: str, request) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/products")
    assert page.locator("#products tbody tr[data-slug]").count() == 6
    # ticking a box applies the filter: the URL holds it
    with page.expect_navigation():
        page.locator("#filters input[name=jurisdiction][value=KR]").check()
    assert "jurisdiction=KR" in page.url
    assert page.locator("#products tbody tr[data-slug]").count() == 4
    page.fill("#filters input[name=q]", "카티스템")
    with page.expect_navigation():
        page.click("#apply")
    rows = page.locator("#products tbody tr[data-slug]")
    assert rows.count() == 1 and rows.first.get_attribute("data-slug") == "cartistem"
    _shot(page, "products-filtered", _param(request))
    # the URL is shareable: opening it again gives the same table
    shared = page.url
    page.goto(shared)
    assert page.locator("#products tbody tr[data-slug]").count() == 1


def test_open_a_product(page, base_url: str, request) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/products?jurisdiction=US")
    with page.expect_navigation():
        page.locator("#products tbody tr[data-slug=tisagenlecleucel] a.product-link").click()
    assert page.url.endswith("/products/tisagenlecleucel")
    assert page.locator("#timeline li").count() >= 3
    assert page.locator("section.authorization").count() == 3
    assert page.locator(".sources a").count() >= 3
    _shot(page, "product", _param(request))


def test_submit_the_classifier(page, base_url: str, request) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/classify")
    page.select_option("#field-origin", "autologous")
    page.select_option("#field-manipulation", "more_than_minimal")
    page.select_option("#field-genetically_modified", "true")
    page.select_option("#field-viable_cells", "true")
    page.select_option("#field-intended_function", "disease_treatment")
    with page.expect_navigation():
        page.click("#classify-submit")
    decisions = page.locator("section.decision")
    assert decisions.count() == 3
    assert page.locator("section.decision[data-jurisdiction=US] ol.rules li").count() >= 1
    assert "origin=autologous" in page.url
    _shot(page, "classify", _param(request))


@pytest.mark.parametrize("path", ["/", "/analysis"])
def test_charts_render(page, base_url: str, path: str, request) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}{path}")
    figures = page.locator("figure.chart")
    total = figures.count()
    assert total >= 2
    page.wait_for_function(
        "document.querySelectorAll('figure.chart[data-rendered]').length === "
        "document.querySelectorAll('figure.chart').length",
        timeout=20_000,
    )
    assert page.locator("figure.chart[data-rendered=true]").count() == total
    assert page.locator("figure.chart .vega svg").count() == total
    name = "home" if path == "/" else "analysis"
    _shot(page, name, _param(request))


def test_definitions_and_api_docs(page, base_url: str, request) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/definitions")
    assert page.locator("#definitions tbody tr").count() == 9
    _shot(page, "definitions", _param(request))
    page.goto(f"{base_url}/api/docs")
    page.wait_for_selector(".opblock", timeout=20_000)  # Swagger UI, from /static only
    assert page.locator(".opblock").count() >= 9
    _shot(page, "api-docs", _param(request))


def test_content_security_policy_blocks_inline_script(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    """The pages' own scripts and charts run under the policy (the tests above fail on any
    console error, a refused script included); a script injected inline does not run."""
    context = browser.new_context()
    tab = context.new_page()
    refused: list[str] = []
    tab.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    tab.goto(f"{base_url}/analysis")
    ran = tab.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__injected = 1';
                   document.head.appendChild(s);
                   return window.__injected === 1; }"""
    )
    context.close()
    assert ran is False
    assert any("Content Security Policy" in text for text in refused), refused


def test_switch_and_browser_language(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    """A browser set to Korean gets Korean pages; the switch turns a page into Japanese and the
    next link followed stays Japanese."""
    context = browser.new_context(locale="ko-KR")
    tab = context.new_page()
    tab.goto(f"{base_url}/products")
    assert tab.locator("html").get_attribute("lang") == "ko"
    assert tab.locator("h1").inner_text() == "제품"
    with tab.expect_navigation():
        tab.locator("#lang-switch a[lang=ja]").click()
    assert tab.locator("h1").inner_text() == "製品" and "lang=ja" in tab.url
    with tab.expect_navigation():
        tab.locator("#products a.product-link").first.click()
    assert tab.locator("html").get_attribute("lang") == "ja" and "lang=ja" in tab.url
    context.close()


def test_pipeline_page(page, base_url: str, request) -> None:  # type: ignore[no-untyped-def]
    """/pipeline: the funnel draws, a ticked filter lands in the URL, the URL is shareable."""
    page.goto(f"{base_url}/pipeline")
    assert page.locator("#programs tbody tr[data-slug]").count() == 5
    page.wait_for_function(
        "document.querySelectorAll('figure.chart[data-rendered]').length === "
        "document.querySelectorAll('figure.chart').length",
        timeout=20_000,
    )
    assert page.locator("#chart-pipeline_funnel .vega svg").count() == 1
    with page.expect_navigation():
        page.locator("#filters input[name=jurisdiction][value=JP]").check()
    assert "jurisdiction=JP" in page.url
    assert page.locator("#programs tbody tr[data-slug]").count() == 3
    with page.expect_navigation():
        page.locator("#filters input[name=status][value=discontinued]").check()
    rows = page.locator("#programs tbody tr[data-slug]")
    assert rows.count() == 1 and rows.first.get_attribute("data-stage") == "phase2"
    assert "Phase 2" in rows.first.inner_text() and "phase2" not in rows.first.inner_text()
    assert page.locator("#discontinued li").count() == 1
    _shot(page, "pipeline", _param(request))
    shared = page.url
    page.goto(shared)
    assert page.locator("#programs tbody tr[data-slug]").count() == 1
