"""/analysis as a reader meets it: a table of contents that leads to every finding and table,
each chart beside the finding or table it supports, charts that name products by brand and
speak the page's language, and a note (not empty axes) where a chart has no data. On SQLite
and PostgreSQL (the fixture store)."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup


def _soup(client, url: str) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    response = client.get(url, headers={"accept": "text/html"})
    assert response.status_code == 200, url
    return BeautifulSoup(response.text, "html.parser")


def _spec(page: BeautifulSoup, chart_id: str) -> dict:  # type: ignore[type-arg]
    node = page.select_one(f"#chart-{chart_id} script.vega-spec")
    assert node is not None, chart_id
    return json.loads(node.string)  # type: ignore[no-any-return]


def test_contents_lead_to_every_finding_and_table(client) -> None:  # type: ignore[no-untyped-def]
    page = _soup(client, "/analysis")
    toc = page.select_one("nav#contents")
    assert toc is not None
    targets = [a["href"][1:] for a in toc.select("a[href^='#']")]
    findings = [s["id"] for s in page.select("section.finding")]
    tables = [s["id"] for s in page.select("section.report-table")]
    assert findings and tables
    assert set(findings) | set(tables) | {"findings", "tables"} == set(targets)
    for target in targets:
        assert page.find(id=target) is not None, target
    # the contents come before the findings, the findings before the tables
    html = str(page)
    assert html.index('id="contents"') < html.index(f'id="{findings[0]}"')
    assert html.index(f'id="{findings[-1]}"') < html.index(f'id="{tables[0]}"')


def test_each_chart_sits_beside_what_it_supports(client) -> None:  # type: ignore[no-untyped-def]
    page = _soup(client, "/analysis")
    autologous = page.select_one("#finding-autologous_share")
    assert autologous.select_one("#chart-autologous_share") is not None
    assert "with-chart" in autologous["class"]
    assert page.select_one("#finding-allogeneic_over_time #chart-allogeneic_over_time")
    assert page.select_one("#table-approval_lag #chart-approval_lag")
    assert page.select_one("#table-disease_areas #chart-disease_areas")
    # every chart appears once
    ids = [f["id"] for f in page.select("figure.chart")]
    assert len(ids) == len(set(ids)) >= 4


def test_charts_name_products_by_brand(client) -> None:  # type: ignore[no-untyped-def]
    page = _soup(client, "/analysis")
    spec = _spec(page, "approval_lag")
    therapies = {row["therapy"] for row in spec["data"]["values"]}
    slugs = {r["data-slug"] for r in _soup(client, "/products").select("tr[data-slug]")}
    assert therapies and not therapies & slugs
    assert "Kymriah" in therapies  # tisagenlecleucel, approved in the US, then JP and KR


def test_chart_words_in_the_page_language(client) -> None:  # type: ignore[no-untyped-def]
    english = _soup(client, "/analysis?lang=en")
    for lang in ("ja", "ko"):
        page = _soup(client, f"/analysis?lang={lang}")
        for figure in page.select("figure.chart"):
            chart_id = figure["id"].removeprefix("chart-")
            caption = figure.figcaption.get_text(strip=True)
            assert caption != english.select_one(f"#{figure['id']} figcaption").get_text(
                strip=True
            ), (lang, chart_id)
        axis = _spec(page, "approval_lag")["encoding"]["x"]["title"]
        assert axis != _spec(english, "approval_lag")["encoding"]["x"]["title"]
        assert not axis.isascii(), (lang, axis)


def test_a_chart_without_data_is_left_out_and_said_so(web_store) -> None:  # type: ignore[no-untyped-def]
    """With no data for the approval-lag chart (as for a selection with no therapy approved
    twice), the page shows no chart there, and a note instead of empty axes."""
    from ctatlas.analysis import analyse, landscape_from_store
    from ctatlas.analysis.charts import all_charts
    from ctatlas.web.analysis_view import arrange

    result = analyse(landscape_from_store(web_store))
    tables = {t.id: t for t in result.tables}
    tables["approval_lag"].rows = []
    findings = {f.id: f for f in result.findings}
    charts = all_charts(tables, findings, list(result.jurisdictions))
    assert "approval_lag" not in {c.id for c in charts}
    views = [{"id": c.id, "title": c.title, "spec": "{}"} for c in charts]
    layout = arrange(result.findings, result.tables, views)
    lag = next(p for p in layout["tables"] if p["item"].id == "approval_lag")
    assert lag["charts"] == [] and lag["no_chart"] is True
    autologous = next(p for p in layout["findings"] if p["item"].id == "autologous_share")
    assert [v["id"] for v in autologous["charts"]] == ["autologous_share"]
    assert autologous["no_chart"] is False
    # a finding with no chart of its own gets no note
    stem = next(p for p in layout["findings"] if p["item"].id == "mesenchymal_share")
    assert stem["charts"] == [] and stem["no_chart"] is False
