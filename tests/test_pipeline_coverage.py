"""How complete each jurisdiction's development programs are: the ``pipeline:`` block of a
jurisdiction file, validated, and shown by ``ctatlas pipeline`` (SQLite and PostgreSQL) and in
the report's Pipeline chapter.

The fixture JP and US files carry the block as curated in data/jurisdictions/ (JP: not yet
complete, newest source 2026-02-24, with two parts said on their own: foreign developers'
CAR-T trials complete as of 2026-08-22, academic research not complete); KR carries none. A
test that needs a complete jurisdiction sets JP's date in a copy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from ctatlas.cli import app
from ctatlas.dataset import ProblemCode, validate_dataset

TODAY = dt.date(2026, 12, 6)


def _set(data: Path, code: str, old: str, new: str) -> None:
    path = data / "jurisdictions" / f"{code}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _complete_jp(data: Path, day: str = "2026-11-30") -> None:
    _set(data, "JP", "pipeline:\n  complete_as_of:\n", f"pipeline:\n  complete_as_of: '{day}'\n")
    _complete_academic_part(data)


def _complete_academic_part(data: Path, day: str = "2026-11-30") -> None:
    _set(data, "JP", "Safety of Regenerative Medicine\n    complete_as_of:\n",
         f"Safety of Regenerative Medicine\n    complete_as_of: '{day}'\n")


def test_the_fixture_blocks_load(data_copy: Path) -> None:
    dataset, problems = validate_dataset(data_copy, TODAY)
    assert dataset is not None, [p.format() for p in problems]
    jp = dataset.jurisdictions["JP"].pipeline
    assert jp is not None and jp.complete_as_of is None
    assert jp.sources_through == "2026-02-24" and jp.excludes
    assert dataset.jurisdictions["KR"].pipeline is None
    car_t, academic = jp.parts
    assert car_t.complete_as_of == dt.date(2026, 8, 22) and "CAR-T" in car_t.scope
    assert academic.complete_as_of is None and "quarter" in academic.basis


def test_a_future_day_in_a_part_names_file_and_field(data_copy: Path) -> None:
    _complete_academic_part(data_copy, "2027-02-01")
    dataset, problems = validate_dataset(data_copy, TODAY)
    assert dataset is None
    [problem] = [p for p in problems if p.severity == "error"]
    assert (problem.file, problem.code) == ("jurisdictions/JP.yaml", ProblemCode.future_date)
    assert problem.field == "pipeline.parts[1].complete_as_of"


def test_a_complete_jurisdiction_with_a_part_not_complete_is_inconsistent(
    data_copy: Path,
) -> None:
    _set(data_copy, "JP", "pipeline:\n  complete_as_of:\n",
         "pipeline:\n  complete_as_of: '2026-11-30'\n")
    dataset, problems = validate_dataset(data_copy, TODAY)
    assert dataset is None
    [problem] = [p for p in problems if p.severity == "error"]
    assert (problem.field, problem.code) == (
        "pipeline.parts[1].complete_as_of", ProblemCode.inconsistent)
    assert "Academic clinical research" in problem.message


def test_a_future_complete_as_of_names_file_and_field(data_copy: Path) -> None:
    _complete_jp(data_copy, "2027-01-05")
    dataset, problems = validate_dataset(data_copy, TODAY)
    assert dataset is None
    [problem] = [p for p in problems if p.severity == "error"]
    assert (problem.file, problem.field, problem.code) == (
        "jurisdictions/JP.yaml",
        "pipeline.complete_as_of",
        ProblemCode.future_date,
    )


def test_a_source_newer_than_the_completeness_day_is_inconsistent(data_copy: Path) -> None:
    _complete_jp(data_copy, "2026-01-31")  # the newest source is of 2026-02-24
    dataset, problems = validate_dataset(data_copy, TODAY)
    assert dataset is None
    [problem] = [p for p in problems if p.severity == "error"]
    assert problem.field == "pipeline.sources_through"
    assert problem.code is ProblemCode.inconsistent
    assert "later than complete_as_of 2026-01-31" in problem.message


def test_a_block_without_its_method_is_a_shape_error(data_copy: Path) -> None:
    path = data_copy / "jurisdictions" / "JP.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("  method:")]
    assert len(kept) == len(lines) - 1
    path.write_text("".join(kept), encoding="utf-8")
    dataset, problems = validate_dataset(data_copy, TODAY)
    assert dataset is None
    assert any(
        p.file == "jurisdictions/JP.yaml" and p.field == "pipeline.method" for p in problems
    ), [p.format() for p in problems]


def test_the_table_says_how_complete_each_jurisdiction_is(
    runner: CliRunner, data_copy: Path, any_db_url: str
) -> None:
    args = ["--db", any_db_url, "--data", str(data_copy), "pipeline"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    tail = result.stdout.splitlines()[-6:]
    assert tail == [
        "Programs recorded, how complete:",
        "  Japan (JP): not yet complete (newest source 2026-02-24)",
        "    - Foreign developers' CAR-T trials with a Japanese site: complete as of 2026-08-22",
        "    - Academic clinical research under the Act on the Safety of Regenerative Medicine: "
        "not yet complete",
        "  Republic of Korea (KR): not yet complete (coverage not stated)",
        "  United States (US): not yet complete (newest source 2026-05-15)",
    ], tail
    _complete_jp(data_copy)
    # the store is rebuilt because the data changed
    args = ["--db", any_db_url, "--data", str(data_copy), "pipeline", "-j", "JP"]
    args += ["--stage", "filed"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    # no JP program is filed, yet the jurisdiction asked for is still said complete
    assert result.stdout.splitlines()[-4:] == [
        "Programs recorded, how complete:",
        "  Japan (JP): complete as of 2026-11-30",
        "    - Foreign developers' CAR-T trials with a Japanese site: complete as of 2026-08-22",
        "    - Academic clinical research under the Act on the Safety of Regenerative Medicine: "
        "complete as of 2026-11-30",
    ]


def test_the_report_chapter_has_the_table(data_copy: Path) -> None:
    from ctatlas.analysis import analyse, landscape_from_dataset
    from ctatlas.dataset import load_dataset

    _complete_jp(data_copy)
    table = analyse(landscape_from_dataset(load_dataset(data_copy))).table(
        "pipeline_completeness"
    )
    by_name = {r["jurisdiction"]: r for r in table.rows if r["sources_through"] or
               r["jurisdiction"] != "JP"}
    assert set(by_name) == {"JP", "KR", "US"}  # codes in the table, names where people read
    japan = [r for r in table.rows if r["jurisdiction"] == "JP"]
    assert [r["completeness"] for r in japan] == [
        "complete as of 2026-11-30", "complete as of 2026-08-22", "complete as of 2026-11-30"]
    assert japan[1]["coverage"].startswith("Foreign developers' CAR-T trials with a Japanese "
                                           "site: Every trial with a Japanese site")
    assert by_name["JP"]["completeness"] == "complete as of 2026-11-30"
    assert by_name["JP"]["sources_through"] == "2026-02-24"
    assert "Act on the Safety of Regenerative Medicine" in by_name["JP"]["excludes"]
    assert by_name["KR"]["completeness"] == "not yet complete"
    assert by_name["KR"]["coverage"] is None


def test_the_report_table_reads_in_japanese_and_korean(data_copy: Path) -> None:
    from ctatlas.analysis import analyse, landscape_from_dataset
    from ctatlas.dataset import load_dataset
    from ctatlas.report.common import cell_text

    table = analyse(landscape_from_dataset(load_dataset(data_copy))).table(
        "pipeline_completeness"
    )
    columns = {c.key: c for c in table.columns}
    jp_whole, jp_car_t = table.rows[0], table.rows[1]

    def shown(row: dict, key: str, lang: str) -> str:
        return cell_text(row[key], columns[key], lang)

    assert shown(jp_whole, "jurisdiction", "en") == "Japan"
    assert shown(jp_whole, "jurisdiction", "ja") == "日本"
    assert shown(jp_whole, "completeness", "ja") == "まだ網羅していない"
    assert shown(jp_whole, "completeness", "ko") == "아직 완전하지 않음"
    assert shown(jp_car_t, "completeness", "en") == "complete as of 2026-08-22"
    assert shown(jp_car_t, "completeness", "ja") == "2026-08-22 時点で網羅"
    assert shown(jp_car_t, "completeness", "ko") == "2026-08-22 기준 완전"
