"""The /trials page and a trial's page (/trials/{id}) on SQLite and PostgreSQL, from real
registry records linked to the fixture atlas's products; without a trials store both pages
say in plain words what the user can do (no command line) and create nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "trials"


@pytest.fixture(scope="module")
def linked_url(web_db_url: str, web_store, tmp_path_factory, empty_trials) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Real records (ClinicalTrials.gov and CRIS) linked to the fixture atlas's products."""
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.link import product_specs, relink
    from ctatlas.trials.store import TrialStore

    url = empty_trials.url(web_db_url, tmp_path_factory.mktemp("trialpages"))
    store = TrialStore(url)
    ingest([FIX / "ctgov_legacy", FIX / "cris"], store)
    relink(store, product_specs(web_store))
    store.close()
    yield url
    empty_trials.drop(url)


@pytest.fixture(scope="module")
def tclient(web_store, linked_url: str) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from ctatlas.web import create_app

    app = create_app(store=web_store, trials_db=linked_url, refresh_seconds=0)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _soup(client: Any, path: str, status: int = 200) -> BeautifulSoup:
    r = client.get(path)
    assert r.status_code == status, r.text[:800]
    return BeautifulSoup(r.text, "html.parser")


def _ids(page: BeautifulSoup) -> list[str]:
    return [tr["data-trial"] for tr in page.select("#trials tbody tr[data-trial]")]


def test_trials_page_matches_the_api(tclient) -> None:  # type: ignore[no-untyped-def]
    for query in ("", "family=MSC", "country=KR&label=all", "phase=2&start_year_from=2015"):
        api = tclient.get(f"/api/v1/trials?{query}&limit=500").json()
        page = _soup(tclient, f"/trials?{query}&limit=500")
        assert int(page.select_one("#count")["data-count"]) == api["count"], query
        assert _ids(page) == [t["trial_id"] for t in api["data"]], query
    assert api["count"] >= 1


def test_trials_page_paging_and_shareable_urls(tclient) -> None:  # type: ignore[no-untyped-def]
    whole = _ids(_soup(tclient, "/trials?label=all&limit=500"))
    first = _soup(tclient, "/trials?label=all&limit=5")
    assert _ids(first) == whole[:5]
    link = first.select_one("a#next")["href"]
    assert "label=all" in link and "limit=5" in link and "offset=5" in link
    second = _soup(tclient, link)
    assert _ids(second) == whole[5:10]
    assert second.select_one("a#prev")["href"].startswith("/trials?")
    # a filter chosen in the form is kept in its control and in the pager's links
    page = _soup(tclient, "/trials?family=MSC&limit=2&lang=ja")
    assert page.select_one("#filter-family option[selected]")["value"] == "MSC"
    if page.select_one("a#next"):
        assert "family=MSC" in page.select_one("a#next")["href"]
        assert "lang=ja" in page.select_one("a#next")["href"]


def test_trials_page_links_registry_and_products(tclient) -> None:  # type: ignore[no-untyped-def]
    page = _soup(tclient, "/trials?product=cartistem&label=all")
    rows = page.select("#trials tbody tr[data-trial]")
    assert rows
    for row in rows:
        assert row.select_one("a.registry-link")["href"].startswith("https://")
        assert row.select_one("a.trial-page")["href"] == f"/trials/{row['data-trial']}"
        products = [a["href"] for a in row.select("a.product-link")]
        assert "/products/cartistem" in products
    # the product is named in words, never by its slug alone
    assert "Cartistem" in rows[0].select_one("a.product-link[href='/products/cartistem']").text


def test_trials_page_labels_not_codes(tclient) -> None:  # type: ignore[no-untyped-def]
    page = _soup(tclient, "/trials?family=MSC&limit=500")
    cells = [tr.select("td")[2].text for tr in page.select("#trials tbody tr")]
    assert cells and all(c == "Mesenchymal stem cells (MSC)" for c in cells)
    ko = _soup(tclient, "/trials?family=MSC&lang=ko")
    assert ko.select_one("#trials tbody tr").select("td")[2].text == "중간엽줄기세포(MSC)"
    options = [o.text for o in page.select("#filter-status option")]
    assert "Not yet recruiting" in options and "not_yet_recruiting" not in options


def test_trials_page_bad_parameters_are_ignored_and_said(tclient) -> None:  # type: ignore[no-untyped-def]
    page = _soup(tclient, "/trials?phase=9&colour=blue&family=MSC")
    problems = page.select_one("ul.problems").text
    assert "phase" in problems and "colour" in problems
    assert page.select_one("#filter-family option[selected]")["value"] == "MSC"
    api = tclient.get("/api/v1/trials?family=MSC").json()
    assert int(page.select_one("#count")["data-count"]) == api["count"]


def test_trials_page_charts(tclient) -> None:  # type: ignore[no-untyped-def]
    import json

    page = _soup(tclient, "/trials?label=all&country=KR")
    figures = {f["id"]: f for f in page.select("figure.chart")}
    assert set(figures) == {
        "chart-trial_starts_by_family",
        "chart-trial_starts_by_region",
        "chart-trial_phase_mix",
    }
    spec = json.loads(figures["chart-trial_starts_by_region"].select_one("script").string)
    regions = {v["region"] for v in spec["data"]["values"]}
    assert regions == {"South Korea", "All countries"} | (
        {"Japan"} if "Japan" in regions else set()
    )
    api = tclient.get("/api/v1/trials?label=all&country=KR&limit=500").json()
    world = sum(v["trials"] for v in spec["data"]["values"] if v["region"] == "All countries")
    dated = [t for t in api["data"] if (t["start_date"] or "")[:4].isdigit()]
    assert world == len(dated)


def test_trial_page(tclient) -> None:  # type: ignore[no-untyped-def]
    api = tclient.get("/api/v1/trials?product=cartistem&label=all").json()["data"][0]
    page = _soup(tclient, f"/trials/{api['trial_id']}")
    assert page.select_one("#trial-id").text == api["trial_id"]
    assert page.select_one("#trial-label").text == "Cell therapy"
    assert page.select_one("#trial-family").text == "Mesenchymal stem cells (MSC)"
    assert [s.text for s in page.select("#secondary-ids .secondary-id")] == api["secondary_ids"]
    assert page.select_one("a.registry-link")["href"] == api["url"]
    assert page.select_one("#trial-products a.product-link")["href"] == "/products/cartistem"
    evidence = [li.text for li in page.select("#evidence ul.evidence li")]
    assert evidence and all("cell." not in e and "negative." not in e for e in evidence)
    assert any(e.startswith(("The title", "Intervention", "The interventions")) for e in evidence)
    # any of its ids finds it; the page says it was asked by another id
    if api["secondary_ids"]:
        other = _soup(tclient, f"/trials/{api['secondary_ids'][0]}")
        assert other.select_one("#trial-id").text == api["trial_id"]
        assert other.select_one("#asked-as") is not None


def test_trial_page_not_a_cell_therapy(tclient) -> None:  # type: ignore[no-untyped-def]
    api = tclient.get("/api/v1/trials?label=not_cell&limit=1").json()["data"][0]
    page = _soup(tclient, f"/trials/{api['trial_id']}?lang=ja")
    assert page.select_one("#trial-label").text == "細胞治療ではない"
    assert page.select_one("#trial-family") is None


def test_trial_page_unknown_id(tclient) -> None:  # type: ignore[no-untyped-def]
    r = tclient.get("/trials/NCT99999999")
    assert r.status_code == 404 and "NCT99999999" in r.text


def test_pages_without_a_trials_store(client, app) -> None:  # type: ignore[no-untyped-def]
    """No trials store: plain words (no command line), a 503, nothing created."""
    for path in ("/trials", "/trials?family=MSC", "/trials/NCT01041001"):
        r = client.get(path)
        assert r.status_code == 503, path
        page = BeautifulSoup(r.text, "html.parser")
        text = page.select_one("#no-trials-store").text
        assert "no clinical trial records yet" in text
        assert "ctatlas" not in text and not page.select("#no-trials-store code")
    ja = BeautifulSoup(client.get("/trials?lang=ja").text, "html.parser")
    assert "no clinical trial records" not in ja.select_one("#no-trials-store").text
    from ctatlas.web.state import trials_store_exists

    assert not trials_store_exists(app.state.trials.url)


def test_country_filter_is_a_choice_of_names_in_the_pages_language(tclient) -> None:  # type: ignore[no-untyped-def]
    api = tclient.get("/api/v1/trials?label=all&limit=500").json()["data"]
    stored = {c for t in api for c in t["countries"]}
    assert {"KR", "US"} <= stored
    page = _soup(tclient, "/trials?label=all&country=kr&lang=ja")
    options = page.select("#filter-country option")
    assert options[0]["value"] == ""
    assert {o["value"] for o in options[1:]} == stored
    names = {o["value"]: o.text for o in options[1:]}
    assert names["KR"] == "韓国" and names["US"] == "アメリカ合衆国"
    assert page.select_one("#filter-country option[selected]")["value"] == "KR"
    # the table names the countries too (labels, never codes)
    cells = [tr.select("td")[5].text for tr in page.select("#trials tbody tr[data-trial]")]
    assert cells and all("韓国" in c for c in cells)
    english = _soup(tclient, "/trials?label=all&country=KR")
    assert english.select_one("#filter-country option[selected]").text == "South Korea"
