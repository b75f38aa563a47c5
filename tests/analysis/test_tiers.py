"""The report's comparison of the routes beside product approval, from the curated files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatlas.analysis import landscape_from_dataset
from ctatlas.analysis.tiers import tier_figures_table, tier_routes_table
from ctatlas.dataset import Dataset, load_dataset
from ctatlas.report import build_report, render


@pytest.fixture(scope="module")
def curated() -> Dataset:
    return load_dataset()


def test_every_route_is_compared_with_who_decides_and_what_it_demands(curated) -> None:
    table = tier_routes_table(landscape_from_dataset(curated))
    by_route = {(r["jurisdiction"], r["route_id"]): r for r in table.rows}
    assert set(by_route) >= {
        ("JP", "asrm"),
        ("KR", "arba_research"),
        ("KR", "arba_treatment"),
        ("TW", "tw_rm_act"),
    }
    asrm = by_route[("JP", "asrm")]
    assert asrm["providers"] == "clinic, hospital" and "certified committee" in asrm["reviewer"]
    assert asrm["classes"].startswith("Class I regenerative medicine")
    # a route that ended says when (Taiwan's Special Regulations gave way to the 2026 acts)
    ended = [r for r in table.rows if r["jurisdiction"] == "TW" and r["until"]]
    assert ended and ended[0]["until"] == "2025-12-31"
    # jurisdictions without such a route are left out, and the counts say how many run
    assert "US" not in {r["jurisdiction"] for r in table.rows}
    assert "Republic of Korea 2" in table.description


def test_the_figures_run_oldest_first_and_name_their_class_in_words(curated) -> None:
    table = tier_figures_table(landscape_from_dataset(curated, ["JP", "KR"]))
    jp = [r for r in table.rows if r["jurisdiction"] == "JP"]
    assert [str(r["as_of"]) for r in jp] == sorted(str(r["as_of"]) for r in jp)
    classes = {r["class"] for r in jp}
    assert "Class III regenerative medicine" in classes and "asrm_class_iii" not in classes
    kr_total = [r for r in table.rows if "official total" in r["measure"]]
    assert [r["value"] for r in kr_total] == [42]


def test_every_report_format_shows_the_comparison_in_labels(curated, tmp_path: Path) -> None:
    report = build_report(landscape_from_dataset(curated, ["JP", "KR", "TW", "US"]))
    (md,) = render(report, "md", tmp_path / "r.md")[:1]
    text = md.read_text(encoding="utf-8")
    section = text.split("Routes to patients beside product approval", 1)[1]
    asrm = "| Japan | Regenerative medicine given by a medical institution (ASRM) | Clinic,"
    assert asrm in section
    assert "arba_research" not in section and "asrm_class" not in section
    (html,) = render(report, "html", tmp_path / "r.html")[:1]
    assert "Who decides" in html.read_text(encoding="utf-8")
    import openpyxl

    (xlsx,) = render(report, "xlsx", tmp_path / "r.xlsx")[:1]
    sheet = openpyxl.load_workbook(xlsx)["Routes beside approval"]
    assert [c.value for c in sheet[1]][:3] == ["Jurisdiction", "Route", "Who may give it"]
    # JSON keeps the codes
    routes = report.analysis.table("tier_routes").as_dict()["rows"]
    assert {"jurisdiction": "KR", "route_id": "arba_treatment"}.items() <= routes[2].items()
