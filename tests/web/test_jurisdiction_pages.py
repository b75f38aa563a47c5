"""The jurisdiction pages (``/jurisdictions``, ``/jurisdictions/{code}``) and ``/definitions``
on SQLite and PostgreSQL: the framework the YAML holds, tier data included, every citation a
visible link, local legal terms marked with their language, labels not codes, and the cache's
ETag and Vary on the new pages."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup


def soup(client, url: str, status: int = 200, **headers: str) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    r = client.get(url, headers={"accept": "text/html", **headers})
    assert r.status_code == status, (url, r.status_code, r.text[:300])
    return BeautifulSoup(r.text, "html.parser")


def _citations(value: Any) -> list[dict[str, Any]]:
    """Every citation in a jurisdiction document (not the sources of figures and events)."""
    found: list[dict[str, Any]] = []
    if isinstance(value, list):
        for item in value:
            found += _citations(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            found += item if key == "citations" else _citations(item)
    return found


def test_index_lists_every_jurisdiction_with_counts(client) -> None:  # type: ignore[no-untyped-def]
    page = soup(client, "/jurisdictions")
    rows = {tr["data-code"]: tr for tr in page.select("#jurisdiction-list tbody tr")}
    assert sorted(rows) == ["CN", "JP", "KR", "SG", "US"]
    assert rows["KR"].select_one("a.jurisdiction-link")["href"] == "/jurisdictions/KR"
    assert rows["KR"].select_one("a.jurisdiction-link").text == "Republic of Korea"
    cells = [td.text for td in rows["KR"].find_all("td")]
    assert cells[2] == "4" and cells[4] == "5"  # products, legal definitions
    assert rows["JP"].select_one("[lang=ja]").text == "日本"
    ko = soup(client, "/jurisdictions?lang=ko")
    assert ko.h1.text == "관할"
    link = ko.select_one("tr[data-code=KR] a.jurisdiction-link")
    assert link["href"] == "/jurisdictions/KR?lang=ko"


def test_every_citation_is_a_visible_link(client) -> None:  # type: ignore[no-untyped-def]
    for code in ("JP", "KR", "US", "CN", "SG"):
        doc = client.get(f"/api/v1/jurisdictions/{code}").json()
        page = soup(client, f"/jurisdictions/{code}")
        links = page.select("main .citations a.citation")
        assert len(links) == len(_citations(doc)), code
        for a in links:
            assert a["href"].startswith("http") and a.text.strip(), (code, a)
            assert "title" not in a.attrs  # the words are on the page, not in a tooltip
        assert {a["href"] for a in links} == {c["url"] for c in _citations(doc)}
    # words name the law and the article where the citation gives them
    jp = soup(client, "/jurisdictions/JP")
    words = [a.text for a in jp.select("#def-regenerative_medical_product a.citation")]
    assert "PMD Act, Art. 2(9)" in words


def test_jurisdiction_page_holds_the_framework_and_tier_data(client) -> None:  # type: ignore[no-untyped-def]
    doc = client.get("/api/v1/jurisdictions/JP").json()
    page = soup(client, "/jurisdictions/JP")
    assert page.h1.text.startswith("Japan")
    assert [li.text for li in page.select("nav.toc a")][:3] == [
        "Regulators", "Laws and regulations", "Legal definitions",
    ]  # fmt: skip
    assert len(page.select("#laws li.item")) == len(doc["laws"])
    assert len(page.select("#risk_tiers li.tier")) == len(doc["risk_tiers"]) == 3
    ranks = [t.select_one(".rank").text for t in page.select("#risk_tiers li.tier")]
    assert ranks == ["1", "2", "3"]
    assert len(page.select("#tier_routes .route")) == len(doc["tier_routes"])
    assert len(page.select("#figures tbody tr")) == len(doc["tier_figures"]) == 9
    assert len(page.select("#tier_events li.event")) == len(doc["tier_events"]) == 7
    sources = sum(len(x["sources"]) for x in doc["tier_figures"] + doc["tier_events"])
    assert len(page.select("#tier_figures li.source, #tier_events li.source")) == sources
    assert len(page.select("#comparison tr")) == 9
    route = page.select_one("#route-asrm")
    assert route.select_one("td.providers").text == "Clinic, Hospital"  # labels, not codes
    kr = soup(client, "/jurisdictions/KR")
    assert len(kr.select("#plans tbody tr")) == 3
    # the local legal terms carry their language
    term = page.select_one("#def-regenerative_medical_product h3 [lang=ja]")
    assert term.text == "再生医療等製品"
    assert kr.select_one("#regulators [lang=ko]")
    assert kr.select_one("#definitions h3 [lang=ko]")
    # in Japanese: headings and labels translated, curated text marked English
    ja = soup(client, "/jurisdictions/JP?lang=ja")
    assert ja.select_one("#regulators h2").text == "規制当局"
    assert ja.select_one("#route-asrm td.providers").text == "診療所, 病院"
    assert ja.select_one("#regulators li span[lang=en]")


def test_jurisdiction_codes_redirect_and_unknown_ones_suggest(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/jurisdictions/kr?lang=ja", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/jurisdictions/KR?lang=ja"
    page = soup(client, "/jurisdictions/KP", status=404)
    assert "/jurisdictions/KR" in [a["href"] for a in page.select(".suggestions a")]
    r = client.get("/jurisdictions/KP", headers={"accept": "application/json"})
    assert r.status_code == 404 and r.json()["ok"] is False


def test_linked_from_the_nav_products_and_definitions(client) -> None:  # type: ignore[no-untyped-def]
    home = soup(client, "/")
    assert "/jurisdictions" in [a["href"] for a in home.select("header nav.main a")]
    product = soup(client, "/products/cartistem?lang=ko")
    links = [a["href"] for a in product.select("section.authorization h3 a.jurisdiction-link")]
    assert links == ["/jurisdictions/KR?lang=ko"]
    definitions = soup(client, "/definitions")
    heads = [a["href"] for a in definitions.select("#definitions thead a")]
    assert "/jurisdictions/JP" in heads and "/jurisdictions/US" in heads
    # every jurisdiction's definitions, those without a comparison column too
    sections = {s["data-code"]: s for s in definitions.select("section.jurisdiction-definitions")}
    assert sorted(sections) == ["CN", "JP", "KR", "SG", "US"]
    for code, section in sections.items():
        doc = client.get(f"/api/v1/jurisdictions/{code}").json()
        assert len(section.select("dt")) == len(doc["definitions"]), code
        cited = [a["href"] for a in section.select("a.citation")]
        assert len(cited) == sum(len(d["citations"]) for d in doc["definitions"]), code
    assert sections["JP"].select_one("dt [lang=ja]").text
    assert sections["SG"].select("dt")  # no comparison column, still listed


def test_new_pages_are_cached_per_language_with_etags(client) -> None:  # type: ignore[no-untyped-def]
    for url in ("/jurisdictions", "/jurisdictions/JP", "/definitions"):
        h = {"accept-encoding": "identity"}
        en = client.get(url, headers={**h, "accept-language": "en"})
        ja = client.get(url, headers={**h, "accept-language": "ja"})
        assert en.status_code == ja.status_code == 200
        assert en.headers["etag"] != ja.headers["etag"], url
        assert en.headers["vary"] == "Accept-Language, Accept-Encoding"
        again = client.get(
            url, headers={**h, "accept-language": "ja", "if-none-match": ja.headers["etag"]}
        )
        assert again.status_code == 304, url
        stale = client.get(
            url, headers={**h, "accept-language": "ja", "if-none-match": en.headers["etag"]}
        )
        assert stale.status_code == 200, url


def test_designations_in_figures_beside_the_published_totals(client) -> None:  # type: ignore[no-untyped-def]
    """The jurisdiction's designations as ``ctatlas designations`` counts them (the API's
    stats), then the regulator's published totals with their sources, running totals set
    beside the atlas's count: labels, not codes."""
    api = client.get("/api/v1/designations?jurisdiction=US").json()
    page = soup(client, "/jurisdictions/US")
    assert "#designation_figures" in [a["href"] for a in page.select("nav.toc a")]
    rows = {
        tr["data-designation"]: [td.text for td in tr.find_all("td")]
        for tr in page.select("#designation-outcomes tbody tr")
    }
    assert sorted(rows) == sorted(s["designation"] for s in api["stats"]) != []
    for s in api["stats"]:
        median = s["median_days_to_approval"]
        assert rows[s["designation"]][1:] == [
            str(s["designated"]), str(s["approved"]), str(s["in_development"]),
            str(s["stopped"]), "—" if median is None else f"{median:,g}",
            str(s["timed_approvals"]),
        ]  # fmt: skip
    assert rows["breakthrough_therapy"][0] == "Breakthrough therapy designation"
    totals = page.select("#designation-totals tbody tr")
    assert [tr["data-designation"] for tr in totals] == [p["designation"] for p in api["published"]]
    for tr, published in zip(totals, api["published"], strict=True):
        assert tr.select_one("td.num").text == f"{published['value']:,}"
        named = tr.select_one("td.named").text
        if published["atlas_names"] is None:
            assert named == "not compared"
        else:
            assert named == f"the atlas names {published['atlas_names']} of {published['value']:,}"
        assert [a["href"] for a in tr.select("li.source > a")] == [published["source"]]
    assert totals[0].select_one("td").text == "Regenerative Medicine Advanced Therapy (RMAT)"
    assert "2016-12-13 to 2024-12-31" in totals[0].text
    ja = soup(client, "/jurisdictions/US?lang=ja")
    assert ja.select_one("#designation_figures h2").text == "指定の数値"
    assert ja.select_one("#designation-totals td.named").text == "152件中0件をアトラスに収録"
    # a jurisdiction with no designated therapy and no published total has no such section
    assert not soup(client, "/jurisdictions/SG").select("#designation_figures")
