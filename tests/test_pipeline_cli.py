"""``ctatlas pipeline`` and ``ctatlas show`` for programs, on SQLite and PostgreSQL.

The fixture data holds five real programs: Cartistem's approved Korean program, its Japanese
phase 3 and discontinued phase 2, its US phase 3, and HS-001's Japanese phase 1/2 (a therapy
only in development).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ctatlas.cli import app

CONTRACT = {
    "slug",
    "name",
    "codes",
    "developer",
    "jurisdiction",
    "stage",
    "status",
    "cell_class",
    "cell_family",
    "origin",
    "indications",
    "trial_ids",
    "sources",
}


def run(runner: CliRunner, data: Path, db: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--db", db, "--data", str(data), *args])


def programs(runner: CliRunner, data: Path, db: str, *args: str) -> list[dict]:
    result = run(runner, data, db, "pipeline", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def keys(rows: list[dict]) -> list[tuple[str, str, str]]:
    return sorted((r["slug"], r["jurisdiction"], r["stage"]) for r in rows)


def test_no_filter_lists_every_program(
    runner: CliRunner, data_copy: Path, any_db_url: str
) -> None:
    rows = programs(runner, data_copy, any_db_url)
    assert keys(rows) == [
        ("cartistem", "JP", "phase2"),
        ("cartistem", "JP", "phase3"),
        ("cartistem", "KR", "approved"),
        ("cartistem", "US", "phase3"),
        ("hs-001", "JP", "phase1_2"),
    ]
    assert all(CONTRACT <= set(r) for r in rows)
    hs = next(r for r in rows if r["slug"] == "hs-001")
    assert hs["cell_family"] == "iPSC_derived" and hs["origin"] == "allogeneic"
    assert hs["codes"] == ["HS-001"] and hs["trial_ids"] == ["NCT04945018"]
    assert hs["sources"][0]["url"] == "https://clinicaltrials.gov/ct2/show/NCT04945018"
    assert {r["cell_family"] for r in rows if r["slug"] == "cartistem"} == {"MSC"}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--jurisdiction", "jp"], [("cartistem", "JP", "phase2"), ("cartistem", "JP", "phase3"),
                                   ("hs-001", "JP", "phase1_2")]),
        (["--stage", "phase3,approved", "-j", "JP,KR"],
         [("cartistem", "JP", "phase3"), ("cartistem", "KR", "approved")]),
        (["--status", "discontinued"], [("cartistem", "JP", "phase2")]),
        (["--status", "unknown", "--status", "discontinued"],
         [("cartistem", "JP", "phase2"), ("hs-001", "JP", "phase1_2")]),
        (["--family", "iPSC_derived"], [("hs-001", "JP", "phase1_2")]),
        (["--family", "CAR_T"], []),
        (["--origin", "autologous"], []),
        (["--disease", "cardiovascular"], [("hs-001", "JP", "phase1_2")]),  # an area
        (["--disease", "knee_cartilage_defect"], [("cartistem", "KR", "approved")]),
        (["--developer", "novo nordisk"], [("hs-001", "JP", "phase1_2")]),  # a licensee
        (["--developer", "EVASTEM", "--stage", "phase3"], [("cartistem", "JP", "phase3")]),
    ],
)
def test_filters(
    runner: CliRunner, data_copy: Path, sqlite_url: str, args: list[str], expected: list
) -> None:
    assert keys(programs(runner, data_copy, sqlite_url, *args)) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stage", "phase4"], "--stage 'phase4' is not allowed; allowed: phase1, phase1_2"),
        (["--family", "msc"], "--family 'msc' is not allowed; allowed: MSC"),
        (["-j", "XX"], "--jurisdiction unknown jurisdiction 'XX'; known: CN, JP, KR, SG, US"),
        (["--disease", "cardio"], "--disease unknown disease or area 'cardio'; did you mean"),
    ],
)
def test_bad_filters_say_what_is_allowed(
    runner: CliRunner, data_copy: Path, sqlite_url: str, args: list[str], message: str
) -> None:
    result = run(runner, data_copy, sqlite_url, "pipeline", *args)
    assert result.exit_code != 0
    assert message in result.stderr


def test_csv_and_table(runner: CliRunner, data_copy: Path, sqlite_url: str) -> None:
    result = run(runner, data_copy, sqlite_url, "pipeline", "-f", "csv", "-j", "JP")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 3
    discontinued = next(r for r in rows if r["status"] == "discontinued")
    assert discontinued["discontinued"] == "2024-02"
    assert discontinued["disease_ids"] == "osteoarthritis_knee"
    assert (
        "EVASTEM Co., Ltd. (Medipost / VICX Therapeutics joint venture) (licensee, JP)"
        in {r["partners"] for r in rows}
    )
    table = run(runner, data_copy, sqlite_url, "pipeline")
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    header = ["Therapy", "Jur", "Stage", "Status", "Family", "Origin", "Developer"]
    assert lines[0].split() == header
    assert any(line.startswith("Cartistem") and "Phase 2" in line for line in lines)
    assert "phase1_2" not in table.stdout  # labels, not codes
    summary = lines.index("5 programs of 2 therapies")
    assert lines[summary + 1] == "Programs recorded, how complete:"
    # one line per jurisdiction, plus one per part where a jurisdiction has parts (JP: two)
    assert len(lines) - summary - 2 == 3 + 2


def test_show_any_therapy_with_its_programs(
    runner: CliRunner, data_copy: Path, any_db_url: str
) -> None:
    result = run(runner, data_copy, any_db_url, "show", "hs-001", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["authorizations"] == [] and doc["programs"][0]["stage"] == "phase1_2"
    text = run(runner, data_copy, any_db_url, "show", "hs-001").stdout
    assert "in development only" in text and "Phase 1/2" in text and "Novo Nordisk" in text
    # ... but it is not a product
    listed = run(runner, data_copy, any_db_url, "products", "--format", "json")
    assert "hs-001" not in {d["slug"] for d in json.loads(listed.stdout)}
    search = run(runner, data_copy, any_db_url, "products", "--search", "heartseed", "-f", "json")
    assert json.loads(search.stdout) == []


def test_show_names_a_partners_role_in_words(
    runner: CliRunner, data_copy: Path, sqlite_url: str
) -> None:
    """The role is a label ("co-developer"), never the vocabulary's code ("co_developer")."""
    path = data_copy / "products" / "hs-001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("role: licensee", "role: co_developer"), encoding="utf-8")
    text = run(runner, data_copy, sqlite_url, "show", "hs-001").stdout
    assert "Novo Nordisk A/S, co-developer (worldwide except Japan)" in text
    assert "co_developer" not in text
