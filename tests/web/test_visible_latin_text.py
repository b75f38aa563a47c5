"""No English left unmarked on a Japanese or Korean page, on every page type: what a reader sees
in Latin letters is either a link, code, or curated text marked ``lang="en"`` (brand and common
names, holders, publishers, hosts, notes) or text marked with its own language (a Malay legal
term). And the products table and the timeline name jurisdictions, the code only beside the name
(on SQLite and PostgreSQL, the fixture store; a trials store from the registry fixtures)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from tests.web.latin import CJK, unmarked_latin

from ctatlas import labels

TRIALS = Path(__file__).resolve().parents[1] / "fixtures" / "trials"
FIXTURE_PRODUCTS = Path(__file__).resolve().parents[1] / "fixtures" / "data" / "products"
FIXTURE_JURISDICTIONS = FIXTURE_PRODUCTS.parent / "jurisdictions"

CLASSIFY = (
    "/classify?classify=1&origin=autologous&manipulation=more_than_minimal"
    "&genetically_modified=false"
)
PAGES = [
    "/",
    "/products",
    "/products?q=CAR-T",
    "/jurisdictions",
    "/definitions",
    "/analysis",
    "/pipeline",
    "/classify",
    CLASSIFY,
    "/conditional",
    "/api",
    *(f"/products/{p.stem}" for p in sorted(FIXTURE_PRODUCTS.glob("*.yaml"))),
    *(f"/jurisdictions/{p.stem}" for p in sorted(FIXTURE_JURISDICTIONS.glob("*.yaml"))),
]


def _get(client, url: str, lang: str) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    sep = "&" if "?" in url else "?"
    response = client.get(f"{url}{sep}lang={lang}", headers={"accept": "text/html"})
    assert response.status_code == 200, url
    return BeautifulSoup(response.text, "html.parser")


@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_no_unmarked_english_on_any_page_type(client, lang: str) -> None:  # type: ignore[no-untyped-def]
    found = {url: unmarked_latin(_get(client, url, lang).body, lang) for url in PAGES}
    assert {url: texts for url, texts in found.items() if texts} == {}


def test_the_check_sees_english_left_unmarked() -> None:
    page = BeautifulSoup(
        '<body><p>承認 <span>Mesoblast Limited</span></p><p lang="en">Kymriah</p>'
        '<p lang="ms">Bahagian Regulatori</p><p lang="ja">Approved</p>'
        "<code>cell_therapy</code></body>",
        "html.parser",
    )
    assert unmarked_latin(page.body, "ja") == ["<span> Mesoblast Limited", "<p> Approved"]


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
def test_products_table_names_each_jurisdiction(client, lang: str) -> None:  # type: ignore[no-untyped-def]
    row = _get(client, "/products", lang).select_one("tr[data-slug=cartistem]")
    link = row.select_one("li[data-jurisdiction=KR] a.jur")
    assert link.select_one(".jur-name").text == labels.jurisdiction_name("KR", lang)
    assert link.select_one(".jur-code").text == "KR"  # the code stays, as a small mark
    if lang != "en":
        assert CJK.search(link.select_one(".jur-name").text)


def test_product_timeline_and_crumbs_name_not_code(client) -> None:  # type: ignore[no-untyped-def]
    page = _get(client, "/products/tisagenlecleucel", "ko")
    for mark in page.select("ol.timeline li .jur"):
        code = mark.find_parent("li")["data-jurisdiction"]
        assert mark.select_one(".jur-name").text == labels.jurisdiction_name(code, "ko")
    crumbs = page.select_one("p.crumbs").get_text(" ", strip=True)
    assert "tisagenlecleucel" not in crumbs.lower()  # the slug is not shown, the name is
    assert page.select_one("h1").get_text(" ", strip=True).split(" / ")[0] in crumbs


@pytest.fixture(scope="module")
def trials_client(web_store, web_db_url: str, tmp_path_factory, empty_trials) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """The app with a trials store filled from every registry fixture."""
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.store import TrialStore
    from ctatlas.web import create_app

    url = empty_trials.url(web_db_url, tmp_path_factory.mktemp("latin-trials"))
    store = TrialStore(url)
    ingest([TRIALS / "ctgov_legacy", TRIALS / "cris", TRIALS / "ictrp"], store)
    store.close()
    with TestClient(
        create_app(store=web_store, trials_db=url, refresh_seconds=0),
        raise_server_exceptions=False,
    ) as client:
        yield client
    empty_trials.drop(url)


@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_trials_pages_leave_no_english_unmarked(trials_client, lang: str) -> None:  # type: ignore[no-untyped-def]
    listing = _get(trials_client, "/trials", lang)
    trial_pages = [a["href"].split("?")[0] for a in listing.select("a.trial-page")][:8]
    assert trial_pages
    urls = ["/trials", *trial_pages]
    found = {url: unmarked_latin(_get(trials_client, url, lang).body, lang) for url in urls}
    assert {url: texts for url, texts in found.items() if texts} == {}


@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_error_pages_leave_no_english_unmarked(client, lang: str) -> None:  # type: ignore[no-untyped-def]
    # without a trials store (503), an unknown product or jurisdiction (404)
    for url, status in [("/trials", 503), ("/products/no-such", 404), ("/jurisdictions/XX", 404)]:
        response = client.get(f"{url}?lang={lang}", headers={"accept": "text/html"})
        assert response.status_code == status, url
        page = BeautifulSoup(response.text, "html.parser")
        assert CJK.search(page.body.get_text()), url
        assert unmarked_latin(page.body, lang) == [], url
