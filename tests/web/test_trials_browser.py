"""/trials and a trial's page in a real headless Chromium (Debian's) against uvicorn, on SQLite
and PostgreSQL: filter with the form, page through, see the charts render, open a trial and
follow it to its product. Every request that leaves the server is blocked and counted.

Skips locally without Chromium or Playwright; fails when CI=true.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.serving import guarded_page, launched_chromium, serve_app
from tests.web.test_browser import ARGS, SHOTS, _chromium

pytestmark = pytest.mark.browser
FIX = Path(__file__).resolve().parents[1] / "fixtures" / "trials"


@pytest.fixture(scope="module")
def trials_app(web_db_url: str, web_store, tmp_path_factory, empty_trials) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """The fixture atlas with real registry records linked to its products."""
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.link import product_specs, relink
    from ctatlas.trials.store import TrialStore
    from ctatlas.web import create_app

    url = empty_trials.url(web_db_url, tmp_path_factory.mktemp("trialsbrowser"))
    store = TrialStore(url)
    ingest([FIX / "ctgov_legacy", FIX / "cris"], store)
    relink(store, product_specs(web_store))
    store.close()
    yield create_app(store=web_store, trials_db=url, refresh_seconds=0)
    empty_trials.drop(url)


@pytest.fixture(scope="module")
def base_url(trials_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with serve_app(trials_app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    with launched_chromium(executable, ARGS) as chromium:
        yield chromium


@pytest.fixture
def page(browser, base_url: str) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    with guarded_page(browser, base_url) as tab:
        yield tab


def _backend(request: pytest.FixtureRequest) -> str:
    return str(request.node.callspec.params.get("web_db_url", "sqlite"))


def _count(page: Any) -> int:
    return int(page.locator("#count").get_attribute("data-count"))


def test_filter_page_and_chart_trials(page, base_url: str, request) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/trials")
    everything = _count(page)
    assert everything >= 10
    page.wait_for_function(
        "document.querySelectorAll('figure.chart[data-rendered]').length === 3", timeout=20_000
    )
    assert page.locator("figure.chart .vega svg").count() == 3
    # choosing a family and applying the form filters; the URL holds the filter
    page.select_option("#filter-family", "MSC")
    with page.expect_navigation():
        page.click("#apply")
    assert "family=MSC" in page.url
    msc = _count(page)
    assert 0 < msc < everything
    families = page.locator("#trials tbody tr td:nth-child(3)").all_inner_texts()
    assert families and set(families) == {"Mesenchymal stem cells (MSC)"}
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"trials-{_backend(request)}.png"), full_page=True)
    # the URL is shareable: opened afresh, it gives the same list
    shared = page.url
    page.goto(shared)
    assert _count(page) == msc
    # paging: five a page, the next page continues the list
    page.goto(f"{base_url}/trials?limit=5")
    first = page.locator("#trials tbody tr").evaluate_all("rows => rows.map(r => r.dataset.trial)")
    with page.expect_navigation():
        page.click("a#next")
    second = page.locator("#trials tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.trial)"
    )
    assert len(first) == 5 and second and not set(first) & set(second)


def test_open_a_trial_and_its_product(page, base_url: str, request) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/trials?product=cartistem&label=all")
    row = page.locator("#trials tbody tr").first
    trial_id = row.get_attribute("data-trial")
    assert row.locator("a.registry-link").get_attribute("href").startswith("https://")
    with page.expect_navigation():
        row.locator("a.trial-page").click()
    assert page.url.endswith(f"/trials/{trial_id}")
    assert page.locator("#trial-id").inner_text() == trial_id
    assert page.locator("#trial-label").inner_text() == "Cell therapy"
    assert page.locator("#evidence ul.evidence li").count() >= 1
    page.screenshot(path=str(SHOTS / f"trial-{_backend(request)}.png"), full_page=True)
    with page.expect_navigation():
        page.locator("#trial-products a.product-link[href='/products/cartistem']").click()
    assert page.url.endswith("/products/cartistem")
    assert page.locator(f"#trials-table a.trial-link:text-is('{trial_id}')").count() == 1
