"""The PDF report's processes (issue 20: memory): charts drawn by a child that exits before the
layout, and ``ctatlas report -f pdf`` making its print HTML in a child so that the layout runs in
a process holding none of the analysis's libraries."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from ctatlas.analysis.charts import Chart, to_png
from ctatlas.cli import app
from ctatlas.errors import BadInput
from ctatlas.report.chart_images import ChartImages

REPORT_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "report"


@pytest.fixture()
def own_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private TMPDIR (children inherit it), to see what is left behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return folder


def test_the_child_draws_what_the_process_would(built_report, own_tmp: Path) -> None:
    charts = built_report.charts[:3]
    drawn = ChartImages.start(charts, scale=2).collect()
    assert drawn == [to_png(c, scale=2) for c in charts]
    assert list(own_tmp.iterdir()) == []  # its folder is gone


def test_a_chart_the_child_cannot_draw_is_a_clear_error(own_tmp: Path) -> None:
    bad = Chart(id="bad", title="Bad", spec={"mark": "no-such-mark", "data": {"values": []}})
    with pytest.raises(BadInput, match="drawing the report's charts failed"):
        ChartImages.start([bad]).collect()
    assert list(own_tmp.iterdir()) == []


def _report(db: str, *args: str):
    return CliRunner().invoke(app, ["--db", db, "--data", str(REPORT_DATA), "report", *args])


def test_cli_pdf_is_laid_out_from_the_childs_print_html(tmp_path: Path, own_tmp: Path) -> None:
    db = f"sqlite:///{tmp_path / 'atlas.sqlite'}"
    result = _report(db, "-q", "-f", "pdf", "-o", str(tmp_path / "r.pdf"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"Wrote {tmp_path / 'r.pdf'} (")
    reader = PdfReader(tmp_path / "r.pdf")
    assert len(reader.pages) >= 5
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Findings at a glance" in text and "Definitions side by side" in text
    assert list(own_tmp.iterdir()) == []  # the print HTML's folder is removed


def test_cli_pdf_child_errors_read_as_the_cli_would_say_them(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'atlas.sqlite'}"
    result = _report(db, "-f", "pdf", "--as-of", "2018-02-30")
    assert result.exit_code == 2
    assert result.stderr == "Error: --as-of '2018-02-30' is not a date written YYYY-MM-DD\n"
    assert not list(tmp_path.glob("*.pdf"))


def test_cli_pdf_default_name_follows_the_childs_as_of(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'atlas.sqlite'}"
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = _report(db, "-q", "-f", "pdf", "--as-of", "2018-12-31")
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "ctatlas-report-as-of-2018-12-31.pdf").read_bytes().startswith(b"%PDF")


def test_the_laying_out_process_never_loads_the_analysis(tmp_path: Path) -> None:
    """What keeps the PDF within its memory: the process that runs WeasyPrint has not imported
    the store, the analysis or the chart libraries (they stay in the child that exits)."""
    db = f"sqlite:///{tmp_path / 'atlas.sqlite'}"
    script = (
        "import sys\n"
        "from ctatlas.cli import main\n"
        f"sys.argv = ['ctatlas', '--db', {db!r}, '--data', {str(REPORT_DATA)!r}, 'report',"
        f" '-q', '-f', 'pdf', '-o', {str(tmp_path / 'r.pdf')!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "heavy = ('altair', 'sqlalchemy', 'vl_convert', 'ctatlas.analysis', 'ctatlas.store')\n"
        "print(sorted(m for m in heavy if m in sys.modules), 'weasyprint' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=600
    ).stdout
    assert out.strip() == "[] True"
