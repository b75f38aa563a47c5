"""The report's designations table carries what ``ctatlas designations`` computes: the median
days from designation to approval and the designation's published running total beside the
atlas's count, in HTML and Markdown (fixture: STEMIRAC, SAKIGAKE-designated 2016-02-10 and
approved 2018-12-28; the SAKIGAKE tally of 11 regenerative products by 2020-04; both copied
from data/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bs4 import BeautifulSoup

from ctatlas.report import render

WAIT = (dt.date(2018, 12, 28) - dt.date(2016, 2, 10)).days  # 1,052 days


def test_the_table_has_the_median_and_the_published_total(built_report) -> None:
    table = built_report.analysis.table("designation_outcomes")
    rows = {(r["jurisdiction"], r["designation"]): r for r in table.rows}
    sakigake = rows[("JP", "sakigake")]
    assert (sakigake["median_days_to_approval"], sakigake["timed_approvals"]) == (WAIT, 1)
    assert (sakigake["published_total"], sakigake["published_as_of"]) == (11, "2020-04")
    # no dated designation, no published total: empty, never zero
    orphan = rows[("JP", "orphan")]
    assert orphan["median_days_to_approval"] is None and orphan["published_total"] is None


def test_html_and_markdown_show_them_with_labels(built_report, tmp_path: Path) -> None:
    (html,) = render(built_report, "html", tmp_path / "r.html")
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    table = soup.select_one("#table-designation_outcomes")
    heads = [th.get_text() for th in table.select("thead th")]
    assert heads[-4:] == [
        "Median days from designation to approval",
        "Approvals with a dated designation",
        "Published total",
        "Published total as of",
    ]
    texts = [[td.get_text() for td in tr.find_all("td")] for tr in table.select("tbody tr")]
    cells = {tuple(row[:2]): row for row in texts}
    assert cells[("Japan", "SAKIGAKE designation")][-4:] == [str(WAIT), "1", "11", "2020-04"]
    assert cells[("Japan", "Orphan designation")][-4:] == ["—", "0", "—", "—"]
    md = render(built_report, "md", tmp_path / "r.md")[0].read_text(encoding="utf-8")
    line = next(x for x in md.splitlines() if x.startswith("| Japan | SAKIGAKE designation |"))
    assert line.endswith(f"| {WAIT} | 1 | 11 | 2020-04 |")
    assert "| Median days from designation to approval |" in md
