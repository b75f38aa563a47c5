"""Each format from one report: the PDF has pages, the XLSX its sheets and types, the HTML
works offline, the Markdown has its charts beside it."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from ctatlas.report import render


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("render")


def test_html_is_self_contained_and_interactive(built_report, out: Path) -> None:
    from bs4 import BeautifulSoup

    steps: list[tuple[str, int, int]] = []
    (path,) = render(built_report, "html", out / "r.html", lambda *s: steps.append(s))
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    assert not soup.select("script[src]") and not soup.select("link[href]")  # no CDN
    assert "vegaEmbed" in soup.find("script").string
    specs = soup.select('script[type="application/json"]')
    assert {s["id"] for s in specs} >= {"spec-approvals_over_time", "spec-autologous_share"}
    rows = soup.select("#table-japan_somatic tbody tr")
    assert [r.find("td").get_text() for r in rows] == ["JACE", "Kymriah Suspension for "
                                                      "Intravenous Infusion"]
    assert "ジェイス" in rows[0].get_text()
    assert rows[0].select("a.ref")  # every row links its sources
    assert len(soup.select("#table-definitions tbody tr")) == 9
    assert soup.select("#finding-autologous_share .verdict.yes")
    assert "5 of 9" in soup.select_one("#finding-autologous_share .statement").get_text()
    assert steps and steps[-1][1] == steps[-1][2]
    # the findings first: a summary, each line leading to the finding in full, then chapters
    sections = [s["id"] for s in soup.select("main > section")]
    assert sections[0] == "summary" and sections[1] == "definitions"
    links = [a["href"] for a in soup.select("#summary li a")]
    assert links == [f"#finding-{f.id}" for f in built_report.analysis.findings]
    assert all(soup.select_one(link) for link in links)


def test_markdown_has_tables_and_charts_beside_it(built_report, out: Path) -> None:
    files = render(built_report, "md", out / "r.md")
    text = files[0].read_text(encoding="utf-8")
    assert "| JACE | ジェイス |" in text
    assert "5 of 9 marketed cell products (56%) are autologous" in text
    assert text.index("## Findings at a glance") < text.index("## 1. Definitions side by side")
    pngs = [f for f in files if f.suffix == ".png"]
    assert pngs and all(f.read_bytes().startswith(b"\x89PNG") for f in pngs)
    assert all(f.parent == out / "r_files" for f in files[1:])
    assert f"](r_files/{pngs[0].name})" in text
    assert any(f.suffix == ".svg" for f in files)


def test_xlsx_sheets_types_frozen_header_filters(built_report, out: Path) -> None:
    import openpyxl

    (path,) = render(built_report, "xlsx", out / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "About", "Definitions", "Japan somatic", "Asia stem cell", "Approvals over time",
        "Approvals by year", "Approval lag", "Approval lag medians", "Disease areas",
        "Conditional approvals", "Conditional conversion",
        "Routes beside approval", "Route figures", "Designation outcomes",
        "Completeness", "Findings", "Finding breakdown", "Finding exclusions",
    ]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref, ws.title
    ws = wb["Japan somatic"]
    header = [c.value for c in ws[1]]
    assert ws.max_row == 3  # header + JACE + Kymriah
    row = dict(zip(header, ws[2], strict=True))
    assert row["Brand"].value == "JACE"
    assert row["Approved"].value == dt.datetime(2007, 10, 29)  # a date, not text
    assert row["Approved"].is_date
    lag = wb["Approval lag"]
    header = [c.value for c in lag[1]]
    kymriah = next(r for r in lag.iter_rows(min_row=2) if r[0].value == "tisagenlecleucel")
    cells = dict(zip(header, kymriah, strict=True))
    assert cells["Lag to Japan (days)"].value == 573
    assert cells["Korea approval"].number_format == "yyyy-mm"  # known to the month
    assert cells["Approximate"].value is True
    findings = wb["Findings"]
    auto = next(r for r in findings.iter_rows(min_row=2) if r[0].value == "autologous_share")
    assert (auto[4].value, auto[5].value, auto[7].value) == (5, 9, True)
    assert auto[6].number_format == "0%" and abs(auto[6].value - 5 / 9) < 1e-9
    defs = wb["Definitions"]
    assert [c.value for c in defs[1]][:3] == ["Aspect", "Japan", "Japan — citations"]
    assert defs.cell(row=2, column=3).value.count("http") >= 1


def test_pdf_has_pages_and_cjk_text(built_report, out: Path) -> None:
    from pypdf import PdfReader

    (path,) = render(built_report, "pdf", out / "r.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) >= 5
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("CJK" in name for name in fonts), fonts
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    else:
        text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Definitions side by side" in text
    assert "ジェイス" in text  # Japanese rendered with a real font, not boxes
    assert "카티스템" in text  # and Korean
    assert "Most marketed cell products are autologous" in text
    # the PDF starts with its findings: every one is summed up before the first chapter
    first_chapter = text.index("Definitions side by side")
    assert "Findings at a glance" in reader.pages[0].extract_text()
    for finding in built_report.analysis.findings:
        assert text.index(finding.title[:20]) < first_chapter, finding.id


def test_documents_show_words_not_codes(built_report, out: Path) -> None:
    """Table cells holding codes (origin, status, pathway, modality...) show their labels."""
    text = render(built_report, "md", out / "words.md")[0].read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("|")]
    cells = {c.strip() for line in rows for c in line.split("|")}
    assert "Autologous (own cells)" in cells and "Standard approval" in cells
    assert not cells & {"autologous", "allogeneic", "authorized", "standard", "cell_therapy"}
