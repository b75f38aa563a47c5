"""A product page lists the clinical trials linked to the product, on SQLite and PostgreSQL;
``GET /api/v1/trials?product=`` filters on the links; without a trials store the page says so
and creates nothing; a cached product page does not outlive an ingest or a re-link."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "trials"
API = "/api/v1/trials"
CARTISTEM_TRIALS = {"NCT01733186", "NCT01041001", "NCT02755376", "NCT04310215", "NCT01626677"}


def _fill(url: str, web_store: Any) -> None:
    """Ingest real records and link them to the fixture atlas's products."""
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.link import product_specs, relink
    from ctatlas.trials.store import TrialStore

    store = TrialStore(url)
    ingest([FIX / "ctgov_legacy", FIX / "ctgov_flat" / "car_t_trials_labelled_subset.csv"], store)
    relink(store, product_specs(web_store))
    store.close()


@pytest.fixture(scope="module")
def linked_url(web_db_url: str, web_store, tmp_path_factory, empty_trials) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A linked trials store beside the atlas store (its own schema on PostgreSQL)."""
    url = empty_trials.url(web_db_url, tmp_path_factory.mktemp("linked"))
    _fill(url, web_store)
    yield url
    empty_trials.drop(url)


@pytest.fixture(scope="module")
def linked_client(web_store, linked_url: str) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from ctatlas.web import create_app

    app = create_app(store=web_store, trials_db=linked_url, refresh_seconds=0)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _soup(client: Any, path: str) -> BeautifulSoup:
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]
    return BeautifulSoup(r.text, "html.parser")


def test_product_page_lists_linked_trials(linked_client) -> None:  # type: ignore[no-untyped-def]
    page = _soup(linked_client, "/products/cartistem")
    section = page.select_one("section#trials")
    assert section is not None and section.select_one("h2").text == "Clinical trials"
    assert page.select_one("#no-trials") is None
    rows = section.select("#trials-table tbody tr")
    assert len(rows) == 5
    links = {a.text: a["href"] for a in section.select("a.trial-link")}
    assert set(links) == CARTISTEM_TRIALS
    assert links["NCT01733186"] == "https://ClinicalTrials.gov/show/NCT01733186"
    cells = {r.select("td")[0].text: [td.text for td in r.select("td")] for r in rows}
    trial_id, title, phases, status, countries, start = cells["NCT01733186"]
    assert "CARTISTEM" in title and phases and status and countries == "US"
    assert start.isdigit() and len(start) == 4
    assert "5 trials name this product" in section.select_one(".trial-count").text
    api = section.select_one("a.api-link")["href"]
    assert api.startswith(f"{API}?product=cartistem&label=all")
    body = linked_client.get(api).json()
    assert {t["trial_id"] for t in body["data"]} == CARTISTEM_TRIALS == {
        r.select("td")[0].text for r in rows
    }


def test_product_page_without_linked_trials(linked_client) -> None:  # type: ignore[no-untyped-def]
    page = _soup(linked_client, "/products/maci")
    empty = page.select_one("section#trials #no-trials")
    assert empty is not None and "No trials linked" in empty.text
    assert "no registry record in the trials store names this product" in empty.text
    assert page.select_one("#trials-table") is None


def test_no_trials_store_empty_state_creates_nothing(web_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from ctatlas.web import create_app

    missing = tmp_path / "none" / "trials.sqlite"
    app = create_app(store=web_store, trials_db=f"sqlite:///{missing}", refresh_seconds=0)
    with TestClient(app, raise_server_exceptions=False) as client:
        page = _soup(client, "/products/cartistem")
    empty = page.select_one("section#trials #no-trials")
    assert empty is not None and "No trials linked" in empty.text
    assert "ctatlas trials ingest" in empty.text and "no trials store yet" in empty.text
    assert not missing.exists() and not missing.parent.exists()


def test_api_product_filter(linked_client) -> None:  # type: ignore[no-untyped-def]
    body = linked_client.get(f"{API}?product=cartistem").json()
    assert {t["trial_id"] for t in body["data"]} == CARTISTEM_TRIALS == {
        t["trial_id"] for t in body["data"] if t["product_slugs"] == ["cartistem"]
    }
    assert body["count"] == 5
    relma = linked_client.get(f"{API}?product=relmacabtagene-autoleucel&label=all").json()
    assert relma["count"] >= 3
    assert all("relmacabtagene-autoleucel" in t["product_slugs"] for t in relma["data"])
    assert linked_client.get(f"{API}?product=maci&label=all").json()["count"] == 0
    for bad in ("Cartistem", "cartistem%25", "a_b", "-x"):
        r = linked_client.get(f"{API}?product={bad}")
        assert r.status_code == 422, bad
        assert r.json()["errors"][0]["loc"][:2] == ["query", "product"]


def test_cached_product_page_follows_the_trials_store(web_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The product page's cache entry and ETag are keyed on the trials store's state: a
    re-link (or an ingest) is shown at once, and an old ETag no longer gets a 304."""
    from fastapi.testclient import TestClient

    from ctatlas.trials.store import TrialStore
    from ctatlas.web import create_app

    url = f"sqlite:///{tmp_path / 'trials.sqlite'}"
    app = create_app(store=web_store, trials_db=url, refresh_seconds=0)
    with TestClient(app) as client:
        before = client.get("/products/cartistem")
        assert before.status_code == 200 and "no trials store yet" in before.text
        etag = before.headers["etag"]
        assert "last-modified" not in before.headers  # the atlas's build time says nothing
        again = client.get("/products/cartistem", headers={"If-None-Match": etag})
        assert again.status_code == 304

        _fill(url, web_store)  # `ctatlas trials ingest` + `ctatlas trials link`
        after = client.get("/products/cartistem", headers={"If-None-Match": etag})
        assert after.status_code == 200 and after.headers["etag"] != etag
        assert "NCT01733186" in after.text and "No trials linked" not in after.text

        store = TrialStore(url)
        run = store.start_run(["link"])
        store.set_product_links({"NCT01733186": []})
        store.finish_run(run, {})
        store.close()
        last = client.get("/products/cartistem", headers={"If-None-Match": after.headers["etag"]})
        assert last.status_code == 200 and "NCT01733186" not in last.text
        # If-Modified-Since alone never answers 304 for a page that shows trials
        since = "Fri, 01 Jan 2100 00:00:00 GMT"
        r = client.get("/products/cartistem", headers={"If-Modified-Since": since})
        assert r.status_code == 200
        # the JSON product and the other pages keep the atlas's ETag and Last-Modified
        product = client.get("/api/v1/products/cartistem")
        assert product.headers["last-modified"] and product.headers["etag"] != last.headers["etag"]
