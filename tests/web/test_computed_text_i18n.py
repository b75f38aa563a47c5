"""The computed words of the pages in Japanese and Korean: the findings' sentences and their
breakdown tables, the analysis tables' headings, descriptions, notes and computed cells, and the
pipeline charts. Left in English is only curated text, marked ``lang="en"`` (on SQLite and
PostgreSQL, the fixture store)."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from tests.web.latin import CJK, unmarked_latin


def _soup(client, url: str) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    response = client.get(url, headers={"accept": "text/html"})
    assert response.status_code == 200, url
    return BeautifulSoup(response.text, "html.parser")


@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_analysis_findings_and_tables_speak_the_page_language(client, lang: str) -> None:
    page = _soup(client, f"/analysis?lang={lang}")
    findings = page.select("section.finding")
    assert findings
    for section in findings:
        text = section.select_one(".finding-text")
        assert text.get("lang") is None, section["id"]  # no longer marked English
        assert CJK.search(text.h3.text) and CJK.search(text.p.text)
        for th in text.select("th"):
            assert CJK.search(th.text), th.text
        # breakdown rows name jurisdictions, never their codes
        for td in text.select("tbody tr td:first-child"):
            assert not re.fullmatch(r"[A-Z]{2}", td.text), td.text
    assert unmarked_latin(page.main, lang) == []


def test_disease_areas_by_their_local_names(client) -> None:  # type: ignore[no-untyped-def]
    """The fixture's areas carry no ja name: the English name stays, marked; a name in the
    data comes first in its language (the real data's GvHD area: 移植片対宿主病)."""
    page = _soup(client, "/analysis?lang=ja")
    cells = page.select("#table-disease_areas tbody td:first-child")
    assert cells
    for td in cells:
        span = td.find("span")
        assert span is not None and span.get("lang") in ("en", "ja"), td
        if span["lang"] == "ja":
            assert CJK.search(span.text)


def test_analysis_in_english_still_reads_as_computed(client) -> None:  # type: ignore[no-untyped-def]
    stats = client.get("/api/v1/stats").json()
    page = _soup(client, "/analysis?lang=en")
    for finding in stats["findings"]:
        section = page.select_one(f"#finding-{finding['id']}")
        assert section.select_one(".finding-text p:not(.claim)").text == finding["statement"]
    # JSON keeps the codes: the breakdown of the API names jurisdictions by code
    labels = [b["label"] for f in stats["findings"] for b in f["breakdown"]]
    assert "KR" in labels
    rows = [td.text for td in page.select("#finding-autologous_share tbody td:first-child")]
    assert "Republic of Korea" in rows and "KR" not in rows


def test_home_findings_in_korean(client) -> None:  # type: ignore[no-untyped-def]
    page = _soup(client, "/?lang=ko")
    items = page.select("ul.findings li")
    assert items
    for item in items:
        assert item.get("lang") is None
        assert "대부분" in item.text or "허가" in item.text or "제품" in item.text, item.text
        assert "?." not in item.text  # a question ends without a full stop after it


@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_pipeline_charts_and_headings_translated(client, lang: str) -> None:
    page = _soup(client, f"/pipeline?lang={lang}")
    assert unmarked_latin(page.main, lang) == []
    for chart in ("pipeline_funnel", "pipeline_family_origin"):
        figure = page.select_one(f"#chart-{chart}")
        assert CJK.search(figure.figcaption.text), figure.figcaption.text
        spec = json.loads(figure.select_one("script.vega-spec").string)
        titles = re.findall(r'"title": "([^"]*)"', json.dumps(spec, ensure_ascii=False))
        assert titles and all(CJK.search(t) for t in titles), titles
    funnel = json.loads(page.select_one("#chart-pipeline_funnel script.vega-spec").string)
    panels = {d["jurisdiction"] for d in next(iter(funnel["datasets"].values()))} if (
        "datasets" in funnel) else {d["jurisdiction"] for d in funnel["data"]["values"]}
    assert panels and not any(re.fullmatch(r"[A-Z]{2}", p) for p in panels), panels


def test_report_download_in_the_page_language(client) -> None:  # type: ignore[no-untyped-def]
    ko = _soup(client, "/analysis/report.html?lang=ko")
    assert ko.html["lang"] == "ko"
    assert ko.select_one("#summary h2").text == "분석 결과 요약"
    en = _soup(client, "/analysis/report.html")
    assert en.html["lang"] == "en"
    assert en.select_one("#summary h2").text == "Findings at a glance"
