"""``ctatlas report --lang ja|ko``: the HTML report's computed words (title, chapters, findings,
tables' headings, notes and computed cells, charts) in Japanese or Korean through the message
catalogues; curated text stays English. Markdown and XLSX are English only (a clear error)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from ctatlas.cli import app

REPORT_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "report"
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('store') / 'atlas.sqlite'}"


def _run(runner: CliRunner, db: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--db", db, "--data", str(REPORT_DATA), "report", "-q", *args])


@pytest.mark.parametrize(("lang", "words"), [("ja", "分析結果の要点"), ("ko", "분석 결과 요약")])
def test_html_report_in_japanese_and_korean(
    runner: CliRunner, db: str, tmp_path: Path, lang: str, words: str
) -> None:
    out = tmp_path / f"atlas-{lang}.html"
    result = _run(runner, db, "--lang", lang, "--out", str(out))
    assert result.exit_code == 0, result.output
    page = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert page.html["lang"] == lang
    assert CJK.search(page.title.text) and CJK.search(page.h1.text)
    assert page.select_one("#summary h2").text == words
    # every chapter heading, finding title and statement, table heading in the language
    for node in page.select("main section > h2, article.finding h3, p.statement, "
                            "table.data thead th, table.numbers th"):
        text = " ".join(node.text.split())
        if text:
            assert CJK.search(text), text
    # yes/no in the language; curated English cells marked as English
    bools = [td.text for td in page.select("table.data td.bool")]
    assert bools and all(CJK.search(b) or b == "—" for b in bools), bools
    for td in page.select("table.data td.text"):
        if re.search(r"[a-z]{3}", td.text) and not CJK.search(td.text):
            assert td.get("lang") == "en", td.text
    # jurisdictions named, not coded, in the breakdowns
    first = [td.text for td in page.select("table.breakdown tbody td:first-child")]
    assert first and not any(re.fullmatch(r"[A-Z]{2}", t) for t in first), first
    # the charts are drawn in the same language
    specs = [json.loads(s.string) for s in page.select("script[id^='spec-']")]
    assert specs
    titles = re.findall(r'"title": "([^"]+)"', json.dumps(specs, ensure_ascii=False))
    assert titles and sum(bool(CJK.search(t)) for t in titles) > len(titles) // 2


def test_english_report_unchanged_by_default(runner: CliRunner, db: str, tmp_path: Path) -> None:
    out = tmp_path / "atlas.html"
    assert _run(runner, db, "--out", str(out)).exit_code == 0
    page = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert page.html["lang"] == "en"
    assert page.select_one("#summary h2").text == "Findings at a glance"
    assert page.title.text.startswith("Cell therapy products: the landscape")


def test_lang_is_for_html_and_pdf_only(runner: CliRunner, db: str, tmp_path: Path) -> None:
    result = _run(runner, db, "--lang", "ja", "-f", "md", "--out", str(tmp_path / "a.md"))
    assert result.exit_code == 2
    assert "--lang ja is for the html and pdf reports" in result.output
    assert not (tmp_path / "a.md").exists()
    result = _run(runner, db, "--lang", "fr", "--out", str(tmp_path / "a.html"))
    assert result.exit_code == 2
    assert "en, ja, ko" in result.output


def test_pdf_report_in_japanese(runner: CliRunner, db: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "atlas-ja.pdf"
    result = _run(runner, db, "--lang", "ja", "--out", str(out))
    assert result.exit_code == 0, result.output
    first = PdfReader(out).pages[0].extract_text()
    assert "分析結果の要点" in first and "Findings at a glance" not in first
