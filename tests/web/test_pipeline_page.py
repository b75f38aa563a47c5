"""The /pipeline page and programs on product pages, on SQLite and PostgreSQL (in process)."""

from __future__ import annotations

from bs4 import BeautifulSoup


def _page(client, url: str) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return BeautifulSoup(r.text, "html.parser")


def _rows(page: BeautifulSoup) -> list[tuple[str, str, str]]:
    return sorted(
        (tr["data-slug"], tr["data-jurisdiction"], tr["data-stage"])
        for tr in page.select("#programs tbody tr[data-slug]")
    )


def test_every_program_with_no_filter(client) -> None:
    page = _page(client, "/pipeline")
    assert _rows(page) == [
        ("cartistem", "JP", "phase2"),
        ("cartistem", "JP", "phase3"),
        ("cartistem", "KR", "approved"),
        ("cartistem", "US", "phase3"),
        ("hs-001", "JP", "phase1_2"),
    ]
    assert page.select_one("#count")["data-count"] == "5"
    assert {f["id"] for f in page.select("figure.chart")} == {
        "chart-pipeline_funnel",
        "chart-pipeline_family_origin",
    }
    cells = [td.text for td in page.select("#programs tbody td")]
    assert "Phase 1/2" in cells and "phase1_2" not in cells  # words, not codes
    discontinued = page.select("#discontinued li")
    assert len(discontinued) == 1 and "2024-02" in discontinued[0].text
    topics = [tr.td.text for tr in page.select("#topics tbody tr")]
    assert topics[0] == "Severe liver disease" and len(topics) == 6
    assert page.select_one("#filed .empty") is not None


def test_the_page_says_how_complete_each_jurisdiction_is(client) -> None:
    page = _page(client, "/pipeline?jurisdiction=JP")
    [item] = page.select("#completeness > ul > li")
    assert item["data-jurisdiction"] == "JP" and item["data-complete-as-of"] == ""
    text = " ".join(item.text.split())
    assert "not yet complete (newest source found: 2026-02-24)" in text
    assert "jRCT" in item.select("details")[-1].text
    parts = item.select("ul.parts > li")
    assert [p["data-complete-as-of"] for p in parts] == ["2026-08-22", ""]
    assert "complete as of 2026-08-22" in " ".join(parts[0].text.split())
    assert "quarter of the plans" in parts[1].select_one("details").text
    ja = _page(client, "/pipeline?jurisdiction=JP&lang=ja")
    item = ja.select_one("#completeness > ul > li")
    own = " ".join(item.find_all(string=True, recursive=False))
    assert "まだ網羅していない" in own and "not yet complete" not in own
    part = item.select_one("ul.parts > li")
    assert "2026-08-22 時点で網羅" in part.text and "complete as of" not in part.text


def test_filters_are_in_the_url(client) -> None:
    page = _page(client, "/pipeline?jurisdiction=jp&stage=phase3&stage=phase1_2")
    assert _rows(page) == [("cartistem", "JP", "phase3"), ("hs-001", "JP", "phase1_2")]
    ticked = {(i["name"], i["value"]) for i in page.select("#filters input[checked]")}
    assert ticked == {("jurisdiction", "JP"), ("stage", "phase3"), ("stage", "phase1_2")}
    assert "jurisdiction=JP" in page.select_one("#count a")["href"]
    area = _page(client, "/pipeline?disease=cardiovascular&developer=heartseed")
    assert _rows(area) == [("hs-001", "JP", "phase1_2")]


def test_bad_values_are_dropped_and_reported(client) -> None:
    page = _page(client, "/pipeline?stage=phase9&jurisdiction=XX&disease=nope&status=active")
    problems = [li.text for li in page.select("ul.problems li")]
    assert len(problems) == 3 and all(p.endswith("(ignored)") for p in problems)
    assert all(r[0] == "cartistem" for r in _rows(page))  # status=active still applies


def test_a_therapy_in_development_has_a_page(client) -> None:
    page = _page(client, "/products/hs-001")
    assert page.h1.text.strip()
    assert "hs-001" not in {tr["data-slug"] for tr in _page(client, "/products").select(
        "#products tbody tr[data-slug]"
    )}


def test_product_pages_show_programs_beside_authorizations(client) -> None:
    page = _page(client, "/products/cartistem")
    programs = page.select("section.program")
    assert [s["data-stage"] for s in programs] == ["phase3", "phase3", "approved", "phase2"]
    assert len(page.select("section.authorization")) == 1
    approved = next(s for s in programs if s["data-stage"] == "approved")
    assert approved.select_one("a")["href"] == "#auth-KR-1"
    assert "Phase 2" in programs[3].h3.text and "discontinued" in programs[3].text.lower()
    hs = _page(client, "/products/hs-001")
    assert hs.h1.text.strip() and hs.select_one("#not-authorized") is not None
    assert "Phase 1/2" in hs.select_one("section.program h3").text


def test_founding_topics_in_the_page_language(client) -> None:  # type: ignore[no-untyped-def]
    """The topics take their Japanese and Korean names from the disease areas in the data; a
    topic the data has no name for in that language stays English, marked so."""
    for lang, gvhd in (("ja", "移植片対宿主病"), ("ko", "이식편대숙주질환")):
        page = _page(client, f"/pipeline?lang={lang}")
        cell = page.select_one("#topics tr[data-topic='Graft-versus-host disease'] td span")
        assert cell["lang"] == lang and cell.text == gvhd
        lupus = page.select_one("#topics tr[data-topic='Systemic lupus erythematosus'] td span")
        assert lupus["lang"] == "en"
    english = _page(client, "/pipeline")
    cell = english.select_one("#topics tr[data-topic='Graft-versus-host disease'] td span")
    assert cell["lang"] == "en" and cell.text == "Graft-versus-host disease"
