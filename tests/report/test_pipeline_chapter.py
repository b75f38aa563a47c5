"""The report's Pipeline chapter from the five real programs of tests/fixtures/data (Cartistem
and HS-001), in Markdown and XLSX; none for a past as-of date."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "data"


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    from ctatlas.analysis import landscape_from_dataset
    from ctatlas.dataset import load_dataset
    from ctatlas.report import build_report

    return build_report(landscape_from_dataset(load_dataset(DATA)))


def test_the_chapter_tables_and_findings(report) -> None:  # type: ignore[no-untyped-def]
    analysis = report.analysis
    table = analysis.table("pipeline_stage_family_origin")
    assert [(r["cell_family"], r["origin"], r["total"]) for r in table.rows] == [
        ("Mesenchymal stem cells (MSC)", "allogeneic", 2),  # the renderers label the origin
        ("Derived from iPS cells", "allogeneic", 1),
    ]
    discontinued = analysis.table("pipeline_discontinued").rows
    assert [(r["therapy"], r["stage"], r["discontinued"]) for r in discontinued] == [
        ("Cartistem", "Phase 2", "2024-02")
    ]
    assert analysis.table("pipeline_filed").rows == []
    auto = analysis.finding("pipeline_autologous_share")
    assert (auto.numerator, auto.denominator) == (0, 2)
    assert {c.id for c in report.charts} >= {"pipeline_funnel", "pipeline_family_origin"}


def test_markdown_and_xlsx_carry_the_chapter(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from ctatlas.report import render

    md = render(report, "md", tmp_path / "r.md")[0].read_text(encoding="utf-8")
    chapter = md.split("## 8. Pipeline: curated development programs", 1)[1].split("\n## ", 1)[0]
    row = "| Mesenchymal stem cells (MSC) | Allogeneic (donor cells) | 0 | 0 | 0 | 2 | 0 | 2 |"
    assert row in chapter
    assert "pipeline_funnel.png" in chapter and "phase1_2" not in chapter
    assert "### Is the pipeline still mostly autologous?" in md
    book = load_workbook(render(report, "xlsx", tmp_path / "r.xlsx")[0], read_only=True)
    try:
        names = book.sheetnames
    finally:
        book.close()
    assert any("pipeline" in n.lower() or "Pipeline" in n for n in names), names


def test_a_past_landscape_has_no_pipeline() -> None:
    from ctatlas.analysis import analyse, landscape_from_dataset
    from ctatlas.dataset import load_dataset

    past = analyse(landscape_from_dataset(load_dataset(DATA), as_of="2020-12-31"))
    assert not any(t.id.startswith("pipeline") for t in past.tables)
    assert not any(f.id.startswith("pipeline") for f in past.findings)
