"""Every page type at a phone's width (390 px) and a desktop's (1400 px), in English, Japanese
and Korean, on SQLite and PostgreSQL, in a real headless Chromium (Debian's) against uvicorn:

- no sideways scrolling (``document.documentElement.scrollWidth <= innerWidth``), the key
  content of the page present, charts drawn;
- axe-core (vendored under ``tests/vendor/axe-core``, loaded into the page, offline) finds no
  ``serious`` or ``critical`` violation, at the phone's width in every language and at the
  desktop's in English;
- screenshots of the main pages in all three languages at both widths go to
  ``test-output/layout/`` (SQLite run).

One browser, one tab per width and language, pages visited in turn: the matrix stays cheap.
Every failure in a pass is collected and reported together, and the figures (widths, axe
violations) are written to ``test-output/layout/{backend}.json``.

Skips locally without Chromium or Playwright; fails when CI=true.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.serving import guarded_page, launched_chromium, serve_app
from tests.web.test_browser import ARGS, _chromium

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-output" / "layout"
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
FIX = Path(__file__).resolve().parents[1] / "fixtures" / "trials"
WIDTHS = (390, 1400)
LANGS = ("en", "ja", "ko")
# Screenshots of these (the main pages), in every language at both widths.
TITLES = {"en": "Products", "ja": "製品", "ko": "제품"}  # the navigation's first link
SHOT = {"home", "products", "product", "pipeline", "trials", "analysis", "classify"}

# name -> (path, a selector that must match: the page's key content). "{trial}" is a trial id
# read from /trials.
PAGES: dict[str, tuple[str, str]] = {
    "home": ("/", "#jurisdictions tbody tr"),
    "products": ("/products", "#products tbody tr[data-slug]"),
    "search": ("/products?q=CAR%20T", "#products tbody tr[data-slug]"),
    "product": ("/products/tisagenlecleucel", "#timeline li"),
    "product-local": ("/products/cartistem", "section.authorization"),
    "pipeline": ("/pipeline", "#programs tbody tr[data-slug]"),
    "conditional": ("/conditional", "#conditional tbody tr"),
    "trials": ("/trials", "#trials tbody tr"),
    "trial": ("/trials/{trial}", "#trial-id"),
    "definitions": ("/definitions", "#definitions tbody tr"),
    "jurisdictions": ("/jurisdictions", "#jurisdiction-list tbody tr"),
    "jurisdiction": ("/jurisdictions/JP", "#tier_routes .route"),
    "api": ("/api", "#endpoints tbody tr"),
    "classify": ("/classify", "#profile select"),
    "classified": (
        "/classify?origin=autologous&manipulation=more_than_minimal&genetically_modified=true"
        "&viable_cells=true&intended_function=disease_treatment&classify=1",
        "section.decision",
    ),
    "analysis": ("/analysis", "section.finding"),
    "report": ("/analysis/report.html", "section.section-findings article.finding"),
    "not-found": ("/products/no-such-product", ".error-message[data-status='404']"),
    "filter-problem": ("/products?jurisdiction=ZZ", "[role=alert] ul.problems li"),
    "bad-request": ("/conditional?as_of=notadate", ".error-message[data-status='422']"),
}
ERROR_PAGES = (PAGES["not-found"][0], PAGES["bad-request"][0])

CHARTS_DRAWN = (
    "document.querySelectorAll('figure.chart[data-rendered]').length === "
    "document.querySelectorAll('figure.chart').length"
)
WIDTH = "[document.documentElement.scrollWidth, window.innerWidth]"
# The elements sticking out past the right edge: what a failure names.
OVERFLOWING = """() => {
  const w = window.innerWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && r.width > 0) {
      let inside = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) { inside = true; break; }
      }
      const cls = typeof el.className === 'string' && el.className
        ? '.' + el.className.split(' ').join('.') : '';
      if (!inside) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls +
                            ' ' + Math.round(r.right) + 'px');
    }
  }
  return out.slice(0, 6);
}"""
RUN_AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                first: v.nodes[0] ? v.nodes[0].target.join(' ') : ''}));
}"""


@pytest.fixture(scope="module")
def layout_app(web_db_url: str, web_store, tmp_path_factory, empty_trials) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """The fixture atlas with real registry records, so /trials and a trial have content."""
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.link import product_specs, relink
    from ctatlas.trials.store import TrialStore
    from ctatlas.web import create_app

    url = empty_trials.url(web_db_url, tmp_path_factory.mktemp("layout"))
    store = TrialStore(url)
    ingest([FIX / "ctgov_legacy", FIX / "cris"], store)
    relink(store, product_specs(web_store))
    store.close()
    yield create_app(store=web_store, trials_db=url, refresh_seconds=0)
    empty_trials.drop(url)


@pytest.fixture(scope="module")
def base_url(layout_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with serve_app(layout_app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium(_chromium(), ARGS) as chromium:
        yield chromium


def _backend(request: pytest.FixtureRequest) -> str:
    return str(request.node.callspec.params.get("web_db_url", "sqlite"))


def _visit(tab: Any, url: str) -> None:
    tab.goto(url)
    if tab.locator("figure.chart").count():
        tab.wait_for_function(CHARTS_DRAWN, timeout=20_000)


def _report(tab: Any, base_url: str, body: list[bytes]) -> str:
    """The HTML report is a download (Content-Disposition: attachment) and carries its own
    inline scripts: the tab opens the same bytes from a URL that shows them, without the
    site's policy, and waits for its charts."""
    if not body:
        response = tab.request.get(f"{base_url}/analysis/report.html")
        assert response.ok
        body.append(response.body())
    url = f"{base_url}/layout-check/report.html"
    tab.route(url, lambda route: route.fulfill(body=body[0], content_type="text/html"))
    return url


def _with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def _open(tab: Any, base_url: str, name: str, path: str, lang: str, report: list[bytes]) -> str:
    """Open the page; returns the language its <html> must declare."""
    if name == "report":
        tab.goto(_report(tab, base_url, report))
        tab.wait_for_function(
            "[...document.querySelectorAll('.vega')].every(v => v.querySelector('canvas, svg'))",
            timeout=20_000,
        )
        return "en"  # the report is written in English only
    _visit(tab, base_url + _with_lang(path, lang))
    return lang


def _site_chrome(tab: Any, lang: str) -> list[str]:
    """The site's own pages: the navigation in the language, the switch on it, and links that
    keep ?lang=."""
    out = []
    if tab.locator("header nav.main a[href^='/products']").inner_text() != TITLES[lang]:
        out.append(f"the navigation is not in {lang}")
    if tab.locator("#lang-switch a[aria-current=true]").get_attribute("lang") != lang:
        out.append("the language switch does not mark the language")
    hrefs = tab.eval_on_selector_all("main a[href^='/products/']", "els => els.map(e => e.href)")
    if any(f"lang={lang}" not in h for h in hrefs):
        out.append(f"links that drop lang={lang}")
    return out


def _axe(tab: Any, source: str) -> list[dict[str, Any]]:
    if not tab.evaluate("typeof axe !== 'undefined'"):
        tab.evaluate(source)
    return list(tab.evaluate(RUN_AXE))


def test_every_page_fits_and_passes_axe(browser, base_url: str, request) -> None:  # type: ignore[no-untyped-def]
    """The matrix. On PostgreSQL the same pages are measured for width and content; axe and
    the screenshots run once, on SQLite (the markup does not depend on the backend)."""
    backend = _backend(request)
    axe_source = AXE.read_text(encoding="utf-8")
    problems: list[str] = []
    started = time.monotonic()
    figures: dict[str, Any] = {"backend": backend, "pages": {}}
    with guarded_page(browser, base_url) as tab:
        tab.goto(f"{base_url}/trials")
        trial = tab.locator("#trials tbody tr[data-trial]").first.get_attribute("data-trial")
    assert trial
    report: list[bytes] = []
    for width in WIDTHS:
        with guarded_page(browser, base_url, width=width, error_pages=ERROR_PAGES) as tab:
            for lang in LANGS:
                for name, (path, key) in PAGES.items():
                    if name == "report" and lang != "en":
                        continue
                    where = f"{name} {lang} {width}px"
                    t0 = time.monotonic()
                    expected = _open(tab, base_url, name, path.format(trial=trial), lang, report)
                    scroll, inner = tab.evaluate(WIDTH)
                    record: dict[str, Any] = {"scroll_width": scroll, "inner_width": inner}
                    record["load_ms"] = round((time.monotonic() - t0) * 1000)
                    found = []
                    if scroll > inner:
                        record["overflowing"] = tab.evaluate(OVERFLOWING)
                        found.append(
                            f"scrolls sideways ({scroll} > {inner}): {record['overflowing']}"
                        )
                    if tab.locator(key).count() < 1:
                        found.append(f"the key content {key!r} is missing")
                    if tab.locator("html").get_attribute("lang") != expected:
                        found.append(f"<html lang> is not {expected}")
                    if name != "report":
                        found += _site_chrome(tab, lang)
                    if backend == "sqlite" and (width == 390 or lang == "en"):
                        t1 = time.monotonic()
                        record["axe"] = _axe(tab, axe_source)
                        record["axe_ms"] = round((time.monotonic() - t1) * 1000)
                        found += [
                            f"axe {v['impact']} {v['id']} on {v['nodes']} element(s), "
                            f"first {v['first']}"
                            for v in record["axe"]
                        ]
                    if backend == "sqlite" and name in SHOT:
                        OUT.mkdir(parents=True, exist_ok=True)
                        tab.screenshot(path=str(OUT / f"{name}-{lang}-{width}.png"), full_page=True)
                    figures["pages"][where] = record
                    problems += [f"{where}: {p}" for p in found]
    OUT.mkdir(parents=True, exist_ok=True)
    figures["problems"] = problems
    figures["seconds"] = round(time.monotonic() - started, 1)
    (OUT / f"{backend}.json").write_text(json.dumps(figures, indent=1, ensure_ascii=False))
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_keyboard_skip_link_and_visible_focus(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    """At a phone's width: the first Tab reaches a visible skip link, Enter moves focus to the
    content, and a focused link shows a focus ring; a table wider than the screen is a
    keyboard stop that scrolls with the arrow keys."""
    with guarded_page(browser, base_url, width=390) as tab:
        tab.goto(f"{base_url}/definitions")
        tab.keyboard.press("Tab")
        focused = tab.evaluate(
            "() => { const el = document.activeElement, r = el.getBoundingClientRect();"
            " return [el.className, r.top >= 0 && r.bottom <= innerHeight && r.width > 0,"
            " getComputedStyle(el).outlineStyle]; }"
        )
        assert focused[0] == "skip" and focused[1] is True and focused[2] != "none"
        tab.keyboard.press("Enter")
        assert tab.evaluate("document.activeElement.id") == "main"
        box = tab.locator("#definitions")
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label")
        box.focus()
        tab.keyboard.press("ArrowRight")
        tab.wait_for_function("document.getElementById('definitions').scrollLeft > 0")
