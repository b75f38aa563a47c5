"""The server-rendered pages, parsed with BeautifulSoup: headings, rows, links, forms; no CDN."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

PAGES = [
    "/", "/products", "/products/cartistem", "/pipeline", "/definitions", "/classify",
    "/analysis", "/conditional", "/jurisdictions", "/jurisdictions/JP",
]  # fmt: skip


def soup(client, url: str, status: int = 200) -> BeautifulSoup:
    r = client.get(url, headers={"accept": "text/html"})
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    return BeautifulSoup(r.text, "html.parser")


@pytest.mark.parametrize("url", PAGES)
def test_every_asset_is_vendored(client, url: str) -> None:
    page = soup(client, url)
    assets = [s["src"] for s in page.find_all("script", src=True)]
    assets += [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert assets and all(a.startswith("/static/") for a in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    nav = [a["href"] for a in page.select("header nav.main a")]
    assert nav == [
        "/", "/products", "/pipeline", "/trials", "/jurisdictions", "/definitions", "/classify",
        "/analysis", "/conditional", "/api",
    ]


def test_home_key_figures_and_charts(client) -> None:
    page = soup(client, "/")
    assert page.select_one("#fig-products").text == "6"
    assert page.select_one("#fig-authorizations").text == "10"
    rows = page.select("#jurisdictions tbody tr")
    assert len(rows) == 5
    links = [a["href"] for a in rows[2].select("a")]
    assert links == ["/jurisdictions/KR", "/products?jurisdiction=KR"]  # its page, its products
    covered = {r.a.text: r.select("td")[-1].text for r in rows}
    assert covered["China (mainland)"] == "2026-06-24"
    assert covered["Republic of Korea"] == "not yet covered"  # a null date, never a bare dash
    assert page.select("figure.chart script.vega-spec")
    assert page.select_one("#finding-autologous_share")


def test_products_table(client) -> None:
    page = soup(client, "/products")
    rows = page.select("#products tbody tr[data-slug]")
    assert sorted(r["data-slug"] for r in rows) == [
        "cartistem",
        "invossa",
        "maci",
        "onasemnogene-abeparvovec",
        "relmacabtagene-autoleucel",
        "tisagenlecleucel",
    ]  # newest first approval first: tests/web/test_products_table.py
    assert rows[-1].select_one("a.product-link")["href"] == "/products/cartistem"
    assert "카티스템" in rows[-1].text
    assert page.select_one("#count")["data-count"] == "6"
    boxes = {(i["name"], i["value"]) for i in page.select("#filters input[type=checkbox]")}
    assert ("jurisdiction", "KR") in boxes and ("cell_class", "stem") in boxes
    assert ("status", "revoked") in boxes and ("pathway", "conditional_time_limited") in boxes
    assert page.select_one("#filters input[name=approved_from]")
    assert page.select_one("#filters input[name=q]")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jurisdiction=KR&cell_class=stem", ["cartistem"]),
        ("q=카티스템", ["cartistem"]),
        ("q=%EF%BD%8B%EF%BD%99%EF%BD%8D%EF%BD%92%EF%BD%89%EF%BD%81%EF%BD%88", ["tisagenlecleucel"]),
        ("origin=allogeneic&sort=-slug", ["invossa", "cartistem"]),
        ("approved_from=2017&approved_to=2017-12-31", ["tisagenlecleucel", "invossa"]),
        ("status=revoked", ["invossa"]),
        ("modality=tissue_engineered&pathway=standard", ["maci"]),
    ],
)
def test_products_filters_are_in_the_url(client, query: str, expected: list[str]) -> None:
    page = soup(client, f"/products?{query}")
    assert [r["data-slug"] for r in page.select("#products tbody tr[data-slug]")] == expected
    chosen = {(i["name"], i["value"]) for i in page.select("#filters input[checked]")}
    for key, values in parse_qs(query).items():
        if key in ("jurisdiction", "cell_class", "origin", "status", "modality", "pathway"):
            assert {(key, v) for v in values} <= chosen


def test_products_page_is_lenient_and_says_why(client) -> None:
    page = soup(client, "/products?modality=stem&jurisdiction=XX&approved_from=&utm=1")
    problems = page.select(".problems li")
    assert len(problems) == 2
    assert len(page.select("#products tbody tr[data-slug]")) == 6


def test_products_sort_links_and_pager(client) -> None:
    page = soup(client, "/products?jurisdiction=KR&limit=2")
    headers = {a.text: a["href"] for a in page.select("#products thead a")}
    sort = parse_qs(urlsplit(headers["First approval"]).query)
    assert sort["sort"] == ["approval_date"] and sort["jurisdiction"] == ["KR"]
    nxt = page.select_one("a[rel=next]")["href"]
    assert parse_qs(urlsplit(nxt).query)["offset"] == ["2"]
    second = soup(client, nxt)
    assert len(second.select("#products tbody tr[data-slug]")) == 2
    assert second.select_one("a[rel=prev]") and not second.select_one("a[rel=next]")
    desc = soup(client, "/products?sort=approval_date")
    toggled = {a.text: a["href"] for a in desc.select("#products thead a")}["First approval"]
    assert "sort=-approval_date" in toggled
    downloads = [a["href"] for a in page.select("#count a")]
    assert "/api/v1/export/csv?jurisdiction=KR" in downloads


def test_product_page(client) -> None:
    page = soup(client, "/products/tisagenlecleucel")
    assert "kymriah" in page.h1.text.lower() and "킴리아주" in page.select_one(".local-names").text
    attributes = {tr.th.text: tr.td.text for tr in page.select("#attributes tr")}
    assert attributes["Origin"] == "Autologous (own cells)"
    assert attributes["Genetically modified"] == "yes"
    timeline = page.select("#timeline li")
    dates = [li.time.text for li in timeline]
    assert dates == sorted(dates)
    assert {li["data-jurisdiction"] for li in timeline} == {"US", "KR", "SG"}
    assert len(page.select("section.authorization")) == 3

    doc = client.get("/api/v1/products/tisagenlecleucel").json()
    urls = {s["url"] for a in doc["authorizations"] for s in a["sources"]}
    urls |= {s["url"] for s in doc["sources"]}
    linked = {a["href"] for a in page.select(".sources a")}
    assert urls and urls <= linked  # every source, linked
    assert page.select(".indications li")


def test_unknown_product_page_is_a_404_page_with_suggestions(client) -> None:
    page = soup(client, "/products/cartistm", status=404)
    assert page.select_one(".error-message")["data-status"] == "404"
    assert [a["href"] for a in page.select(".suggestions a")] == ["/products/cartistem"]
    r = client.get("/products/cartistm", headers={"accept": "application/json"})
    assert r.json()["suggestions"] == ["cartistem"]


def test_definitions_each_cell_cited(client) -> None:
    page = soup(client, "/definitions")
    heads = [th.text for th in page.select("#definitions thead th")]
    assert heads[0] == "Aspect"
    assert any("(JP)" in h for h in heads) and any("(US)" in h for h in heads)
    rows = page.select("#definitions tbody tr")
    assert len(rows) == 9
    for row in rows:
        for cell in row.find_all("td"):
            assert cell.select("a.cite"), cell.text
            assert all(a["href"].startswith("http") for a in cell.select("a.cite"))


def test_classify_shows_the_routes_to_patients_and_what_else_regulates_it(client) -> None:
    query = (
        "classify=1&origin=autologous&manipulation=more_than_minimal&genetically_modified=false"
        "&stem_cell=true&pluripotent=false&viable_cells=true&intended_function=disease_treatment"
        "&provider=clinic&jurisdictions=JP"
    )
    page = soup(client, f"/classify?{query}")
    jp = page.select_one('section.decision[data-jurisdiction="JP"]')
    route = jp.select_one('ul.routes li[data-route="asrm"]')
    assert route is not None, jp.text
    assert "Class II regenerative medicine" in route.text and "Who decides:" in route.text
    assert route.select_one("a.cite")["href"].startswith("http")
    # a clinic's own cells are a medical practice under the ASRM, not a product
    assert "ASRM" in jp.select_one("p.regulated-as").text
    assert "asrm_class" not in jp.text  # labels, never codes
    blood = soup(client, "/classify?classify=1&origin=allogeneic&blood_product=true")
    us = blood.select_one('section.decision[data-jurisdiction="US"]')
    assert "blood product" in us.select_one("p.regulated-as").text


def test_classify_form_and_decision(client) -> None:
    page = soup(client, "/classify")
    form = page.select_one("form#profile")
    assert form["method"] == "get"
    names = {el["name"] for el in form.select("select, input")}
    assert {"origin", "manipulation", "genetically_modified", "processing_steps"} <= names
    assert not page.select("section.decision")
    query = (
        "classify=1&origin=autologous&manipulation=more_than_minimal&genetically_modified=true"
        "&viable_cells=true&intended_function=disease_treatment"
    )
    result = soup(client, f"/classify?{query}")
    decisions = result.select("section.decision")
    assert [d["data-jurisdiction"] for d in decisions] == ["JP", "KR", "US"]
    for d in decisions:
        for rule in d.select("ol.rules li"):
            assert rule.select_one("a.cite")["href"].startswith("http")
    assert result.select_one("#field-origin option[selected]")["value"] == "autologous"
    bad = soup(client, "/classify?manipulation=minimal&genetically_modified=true")
    assert "contradict" in bad.select_one("#classify-error").text


def test_analysis_page(client) -> None:
    page = soup(client, "/analysis")
    links = [a["href"] for a in page.select("#downloads a")]
    for fmt in ("csv", "xlsx", "json", "datapackage"):
        assert f"/api/v1/export/{fmt}" in links
    for fmt in ("html", "pdf", "xlsx"):
        assert f"/analysis/report.{fmt}" in links
    for link in links:
        if link.startswith("/api/"):
            assert client.get(link).status_code == 200, link
    assert page.select("section.report-table")
    assert page.select_one("#table-definitions")
    assert len(page.select("figure.chart")) >= 3
    assert page.select("section.finding")


def test_report_downloads(client, web_db_url: str) -> None:
    html = client.get("/analysis/report.html")
    assert html.status_code == 200 and "attachment" in html.headers["content-disposition"]
    assert BeautifulSoup(html.text, "html.parser").title
    assert client.get("/analysis/report.doc").status_code == 422
    if not web_db_url.startswith("sqlite"):
        return  # the PDF and XLSX render the same documents on either backend (slow)
    assert client.get("/analysis/report.pdf").content.startswith(b"%PDF")
    assert client.get("/analysis/report.xlsx").content.startswith(b"PK")


def test_pages_have_etags(client) -> None:
    r = client.get("/products?jurisdiction=KR")
    again = client.get("/products?jurisdiction=KR", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304


def test_product_sources_regulator_first_in_words(client) -> None:
    page = soup(client, "/products/tisagenlecleucel")
    us = next(s for s in page.select("section.authorization") if "United States" in s.h3.text)
    items = us.select("ul.sources li.source")
    kinds = [li.select_one(".kind").text.strip("()") for li in items]
    order = ["Regulator", "Company", "Peer-reviewed", "Registry", "News", "Other"]
    assert kinds[0] == "Regulator"
    assert [order.index(k) for k in kinds] == sorted(order.index(k) for k in kinds)
    first = items[0].text
    assert "First approval" in first and "approval_date" not in first  # words, not codes
    via = items[0].select_one("a.read-via")
    assert via is not None and via["href"].startswith("https://github.com/databio/")
    assert "read via a copy" in first
