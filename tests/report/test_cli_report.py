"""``ctatlas report``: formats, --jurisdiction, --as-of, and its errors (exit code, message)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from ctatlas.cli import app

REPORT_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "report"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('store') / 'atlas.sqlite'}"


def _run(runner: CliRunner, db: str, *args: str):
    return runner.invoke(app, ["--db", db, "--data", str(REPORT_DATA), "report", *args])


def _sheet_rows(path: Path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row), strict=True))
            for row in ws.iter_rows(min_row=2)]


def test_xlsx_from_the_out_suffix(runner: CliRunner, db: str, tmp_path: Path) -> None:
    out = tmp_path / "atlas.xlsx"
    result = _run(runner, db, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.stderr
    assert [r["Brand"] for r in _sheet_rows(out, "Japan somatic")] == [
        "JACE", "Kymriah Suspension for Intravenous Infusion"
    ]


def test_as_of_drops_later_approvals_and_restores_later_withdrawals(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    out = tmp_path / "then.xlsx"
    assert _run(runner, db, "-o", str(out), "--as-of", "2018-12-31").exit_code == 0
    # Kymriah (JP 2019) drops out; HeartSheet (expired 2024) is back
    assert [r["Slug"] for r in _sheet_rows(out, "Japan somatic")] == ["jace", "heartsheet"]
    about = {r["Field"]: r["Value"] for r in _sheet_rows(out, "About")}
    assert about["As of"].date().isoformat() == "2018-12-31"
    out = tmp_path / "2021.xlsx"
    assert _run(runner, db, "-o", str(out), "--as-of", "2021-12-31").exit_code == 0
    withdrawn = [r for r in _sheet_rows(out, "Finding breakdown")
                 if r["Finding"] == "withdrawals_and_lapses"]
    assert sum(r["Numerator"] for r in withdrawn) == 0  # Zynteglo's EU withdrawal was in 2022


def test_jurisdiction_filter(runner: CliRunner, db: str, tmp_path: Path) -> None:
    out = tmp_path / "kr.xlsx"
    result = _run(runner, db, "-f", "xlsx", "-o", str(out), "-j", "KR")
    assert result.exit_code == 0, result.output
    rows = _sheet_rows(out, "Asia stem cell")
    assert sorted(r["Slug"] for r in rows) == ["cartistem", "cupistem"]
    assert {r["Country"] for r in rows} == {"KR"}


def test_markdown_default_name(
    runner: CliRunner, db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run(runner, db, "--format", "md", "--as-of", "2018-12-31", "-j", "JP,KR")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "ctatlas-report-as-of-2018-12-31.md").read_text(encoding="utf-8")
    assert text.startswith("# Cell therapy products: the landscape as of 2018-12-31")
    assert (tmp_path / "ctatlas-report-as-of-2018-12-31_files").is_dir()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2018-02-30"], "Error: --as-of '2018-02-30' is not a date written "
                                    "YYYY-MM-DD\n"),
        (["-j", "JP,XX"], "Error: unknown jurisdiction XX; known: JP, KR, US, EU, IN, SG\n"),
        (["--out", "report.docx"], "Error: cannot tell the format from 'report.docx'; give "
                                   "--format (html, md, pdf, xlsx)\n"),
    ],
)
def test_errors(runner: CliRunner, db: str, args: list[str], message: str) -> None:
    result = _run(runner, db, *args)
    assert result.exit_code == 2
    assert result.stderr == message


def test_bad_format(runner: CliRunner, db: str) -> None:
    result = _run(runner, db, "--format", "docx")
    assert result.exit_code == 2
    assert "docx" in result.stderr
