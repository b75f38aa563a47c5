"""The ``/products`` table: each authorization's holder, pathway, status and conditional term;
newest first approvals first with unknown dates last; counts beside the filters; numbered pages.
Through the app on SQLite and PostgreSQL (the ``client`` fixture and a conditional-approval
store with an undated record)."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NEWEST_FIRST = [
    "relmacabtagene-autoleucel",  # 2021-09 (CN)
    "onasemnogene-abeparvovec",  # 2019-05-24 (US)
    "tisagenlecleucel",  # 2017-08-30 (US)
    "invossa",  # 2017-07-12 (KR)
    "maci",  # 2016-12-13 (US)
    "cartistem",  # 2012-01-18 (KR)
]


def soup(client, url: str) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    r = client.get(url, headers={"accept": "text/html"})
    assert r.status_code == 200, r.text[:300]
    return BeautifulSoup(r.text, "html.parser")


def slugs(page: BeautifulSoup) -> list[str]:
    return [r["data-slug"] for r in page.select("#products tbody tr[data-slug]")]


def test_default_order_is_newest_first_approval_and_sort_wins(client) -> None:  # type: ignore[no-untyped-def]
    page = soup(client, "/products")
    assert slugs(page) == NEWEST_FIRST
    assert page.select_one("#filters select[name=sort] option[selected]") is None
    # an explicit sort wins; a search without a sort ranks
    assert slugs(soup(client, "/products?sort=slug")) == sorted(NEWEST_FIRST)
    assert slugs(soup(client, "/products?sort=approval_date")) == NEWEST_FIRST[::-1]
    assert slugs(soup(client, "/products?q=kymriah")) == ["tisagenlecleucel"]
    # the "First approval" heading toggles from the default (newest first) to oldest first
    head = {a.text: a["href"] for a in page.select("#products thead a")}["First approval"]
    assert parse_qs(urlsplit(head).query)["sort"] == ["approval_date"]


def test_each_authorization_in_words_with_holder_pathway_and_status(client) -> None:  # type: ignore[no-untyped-def]
    page = soup(client, "/products")
    row = page.select_one("tr[data-slug=tisagenlecleucel]")
    items = {li["data-jurisdiction"]: li for li in row.select("ul.auths li")}
    assert set(items) == {"US", "KR", "SG"}
    us = items["US"]
    assert us.select_one(".date").text == "2017-08-30"
    assert us.select_one(".status").text == "Authorized"
    assert "Novartis" in us.select_one(".holder").text
    assert us.select_one(".pathway").text and "_" not in us.select_one(".pathway").text
    assert us.select_one("a.jur")["href"] == "/jurisdictions/US"
    # Korean readers see the Korean holder first, marked Korean
    ko = soup(client, "/products?lang=ko&jurisdiction=KR")
    holder = ko.select_one("tr[data-slug=cartistem] ul.auths li .holder")
    assert holder.span["lang"] == "ko" and holder.text.startswith("메디포스트")
    assert ko.select_one("tr[data-slug=cartistem] a.jur")["href"] == "/jurisdictions/KR?lang=ko"
    # only the matching authorizations are listed when a jurisdiction is chosen
    kr = soup(client, "/products?jurisdiction=KR")
    rows = kr.select("tr[data-slug=tisagenlecleucel] ul.auths li")
    assert [li["data-jurisdiction"] for li in rows] == ["KR"]


def _count(page: BeautifulSoup, name: str, value: str) -> int:
    box = page.select_one(f"#filters input[name={name}][value={value}]")
    return int(box.parent.select_one(".n")["data-count"])


def test_counts_beside_the_filters(client) -> None:  # type: ignore[no-untyped-def]
    page = soup(client, "/products")
    assert _count(page, "jurisdiction", "KR") == 4  # cartistem, invossa, kymriah, zolgensma
    assert _count(page, "jurisdiction", "CN") == 1
    assert _count(page, "cell_class", "stem") == 1
    assert _count(page, "status", "revoked") == 1
    assert _count(page, "jurisdiction", "SG") == 1
    assert _count(page, "cell_class", "somatic") == 4
    # the other filters narrow a filter's counts; its own values keep counting as "or"
    kr = soup(client, "/products?jurisdiction=KR")
    assert _count(kr, "jurisdiction", "US") == 3 and _count(kr, "jurisdiction", "CN") == 1
    assert _count(kr, "cell_class", "somatic") == 2  # Kymriah and Invossa in Korea
    stem = soup(client, "/products?cell_class=stem")
    assert _count(stem, "jurisdiction", "KR") == 1 and _count(stem, "jurisdiction", "US") == 0
    assert "(1)" in stem.select_one("#filters input[name=jurisdiction][value=KR]").parent.text
    # in Japanese too, the counts beside labels, never codes
    ja = soup(client, "/products?lang=ja")
    label = ja.select_one("#filters input[name=cell_class][value=stem]").parent.text
    assert "幹細胞" in label and "(1)" in label and "stem" not in label


def test_numbered_pages(client) -> None:  # type: ignore[no-untyped-def]
    page = soup(client, "/products?limit=2&lang=ko")
    pages = page.select("nav.pager a.page")
    assert [a.text for a in pages] == ["1", "2", "3"]
    assert [a.get("aria-current") for a in pages] == ["page", None, None]
    third = parse_qs(urlsplit(pages[2]["href"]).query)
    assert third["offset"] == ["4"] and third["limit"] == ["2"] and third["lang"] == ["ko"]
    last = soup(client, pages[2]["href"])
    assert slugs(last) == NEWEST_FIRST[4:]
    assert last.select_one("nav.pager a[aria-current=page]").text == "3"
    assert last.select_one("a[rel=prev]") and not last.select_one("a[rel=next]")
    # one page: no numbers
    assert not soup(client, "/products").select("nav.pager a.page")


# --------------------------------------------------------------------------- conditional terms


@pytest.fixture
def undated_client(tmp_path: Path, any_db_url: str):  # type: ignore[no-untyped-def]
    """The conditional-approval records and one undated record, on each backend."""
    from ctatlas.dataset import load_dataset
    from ctatlas.store import build_store, open_store
    from ctatlas.web import create_app

    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "conditional", data)
    for part in ("products", "jurisdictions"):
        for path in (FIXTURES / "undated" / part).iterdir():
            shutil.copy(path, data / part / path.name)
    build_store(load_dataset(data), any_db_url)
    app = create_app(
        store=open_store(any_db_url),
        trials_db=f"sqlite:///{tmp_path / 'no-trials.sqlite'}",
        refresh_seconds=0,
    )
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize("any_db_url", ["sqlite", "postgres"], indirect=True)
def test_conditional_terms_and_unknown_dates_last(undated_client) -> None:  # type: ignore[no-untyped-def]
    client = undated_client
    for url in ("/products", "/products?sort=approval_date", "/products?sort=-approval_date"):
        order = slugs(soup(client, url))
        assert order[-1] == "varnimcabtagene-autoleucel", url
    undated = soup(client, "/products").select_one("tr[data-slug=varnimcabtagene-autoleucel]")
    assert undated.select_one("td.first-approval").text == "—"
    page = soup(client, "/products?jurisdiction=JP")
    stemirac = page.select_one("tr[data-slug=stemirac] ul.auths li[data-jurisdiction=JP]")
    assert stemirac.select_one(".expiry .date").text == "2025-12"
    assert "Conditional term ends" in stemirac.select_one(".expiry").text
    assert "Conditional and time-limited approval" in stemirac.select_one(".pathway").text
    ja = soup(client, "/products?jurisdiction=JP&lang=ja")
    item = ja.select_one("tr[data-slug=stemirac] ul.auths li")
    assert "条件付き承認の期限" in item.text and "ニプロ株式会社" in item.select_one(".holder").text
    assert "conditional_time_limited" not in item.text
