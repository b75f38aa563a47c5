"""``ctatlas conditional`` and the outcome beside the status in ``products`` and ``show``,
through Typer's runner against real stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ctatlas.cli import app


def run(runner: CliRunner, data: Path, db: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--db", db, "--data", str(data), *args])


@pytest.mark.parametrize("any_db_url", ["sqlite", "postgres"], indirect=True)
def test_json_as_of(runner: CliRunner, conditional_data: Path, any_db_url: str) -> None:
    result = run(runner, conditional_data, any_db_url, "conditional", "-j", "JP",
                 "--as-of", "2023-12-01", "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["as_of"] == "2023-12-01"
    by_brand = {r["brand_name"]: r for r in payload["data"]}
    assert {r["jurisdiction"] for r in payload["data"]} == {"JP"}
    assert by_brand["HeartSheet"]["outcome"] == "full_application_pending"
    assert (
        by_brand["Collategene Intramuscular Injection 4 mg"]["outcome"]
        == "full_application_pending"
    )
    assert by_brand["STEMIRAC for Injection"]["outcome"] == "in_term"
    assert "ELEVIDYS Intravenous Infusion" not in by_brand  # granted 2025
    assert payload["conversion"] == [
        {
            "jurisdiction": "JP", "total": 4, "converted": 0, "renewed": 0,
            "full_application_pending": 2, "expired": 0, "not_renewed": 0, "withdrawn": 0,
            "revoked": 0, "in_term": 2, "closed": 0, "conversion_rate": None,
        }
    ]  # fmt: skip


def test_table_and_csv(runner: CliRunner, conditional_data: Path, sqlite_url: str) -> None:
    table = run(runner, conditional_data, sqlite_url, "conditional", "--as-of", "2026-06-01")
    assert table.exit_code == 0, table.stderr
    out = table.stdout
    assert "Conditional approvals as of 2026-06-01" in out
    stemirac = next(line for line in out.splitlines() if line.startswith("JP   STEMIRAC"))
    assert "days overdue" in stemirac and "pending" in stemirac
    delytact = next(line for line in out.splitlines() if line.startswith("JP   DELYTACT"))
    left = (dt.date(2028, 6, 30) - dt.date(2026, 6, 1)).days  # the term '2028-06' ends 06-30
    assert f"{left} days left" in delytact
    assert "EU: 1/2 = 50%" in out and "JP: 0/2 = 0%" in out
    assert "conditional_time_limited" not in out  # plain words only
    args = ("conditional", "-f", "csv", "--as-of", "2026-06-01")
    text = run(runner, conditional_data, sqlite_url, *args).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    holoclar = next(r for r in rows if r["brand_name"] == "Holoclar")
    assert (holoclar["outcome"], holoclar["outcome_date"]) == ("converted", "2024-02-22")


def test_bad_input_is_one_clear_line(
    runner: CliRunner, conditional_data: Path, sqlite_url: str
) -> None:
    bad_day = run(runner, conditional_data, sqlite_url, "conditional", "--as-of", "2024-02-30")
    assert bad_day.exit_code != 0 and "--as-of" in bad_day.stderr and "2024-02-30" in bad_day.stderr
    bad_code = run(runner, conditional_data, sqlite_url, "conditional", "-j", "XX")
    assert bad_code.exit_code != 0 and "unknown jurisdiction XX" in bad_code.stderr


def test_products_and_show_put_the_outcome_beside_the_status(
    runner: CliRunner, conditional_data: Path, sqlite_url: str
) -> None:
    listing = run(runner, conditional_data, sqlite_url, "products", "-j", "JP")
    assert listing.exit_code == 0, listing.stderr
    stemirac = next(line for line in listing.stdout.splitlines() if line.startswith("STEMIRAC"))
    assert "Auth./pending" in stemirac  # never plain "Authorized"
    rows = list(csv.DictReader(io.StringIO(
        run(runner, conditional_data, sqlite_url, "products", "-j", "JP", "-f", "csv").stdout
    )))  # fmt: skip
    assert {r["conditional_outcome"] for r in rows if r["slug"] == "heartsheet"} == {"expired"}
    shown = run(runner, conditional_data, sqlite_url, "show", "stemirac")
    assert shown.exit_code == 0, shown.stderr
    assert (
        "Conditional approval: full approval applied for, pending (filed 2025-11-14)"
        in shown.stdout
    )
    assert "Obligation: Verify efficacy and safety" in shown.stdout
