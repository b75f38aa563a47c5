"""Designations linked to outcomes: which designated therapies were approved, and when."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from ctatlas.cli import build_app
from ctatlas.dataset import load_dataset
from ctatlas.designations import designation_rows, designation_stats
from ctatlas.store import product_document


def _doc(slug: str, auths=(), programs=()) -> dict:
    return {"slug": slug, "name": slug, "authorizations": list(auths), "programs": list(programs)}


def test_a_designated_therapy_is_approved_or_still_in_development() -> None:
    docs = [
        _doc("a", auths=[{"jurisdiction": "JP", "designations": ["sakigake"],
                          "approval_date": "2021-06-11", "brand_name": "A",
                          "status": "authorized"}],
             programs=[{"jurisdiction": "JP", "designations": ["sakigake"], "stage": "approved",
                        "status": "active"}]),
        _doc("b", programs=[{"jurisdiction": "JP", "designations": ["sakigake", "orphan"],
                             "stage": "phase3", "status": "active"}]),
        _doc("c", programs=[{"jurisdiction": "US", "designations": ["rmat"], "stage": "phase2",
                             "status": "discontinued"}]),
    ]  # fmt: skip
    rows = designation_rows(docs)
    sakigake = [r for r in rows if r["designation"] == "sakigake"]
    assert [(r["slug"], r["approved"], r["approval_date"], r["stage"]) for r in sakigake] == [
        ("a", True, "2021-06-11", "approved"),  # the authorization wins over its program
        ("b", False, None, "phase3"),
    ]
    stats = {(s["jurisdiction"], s["designation"]): s for s in designation_stats(rows)}
    jp = stats[("JP", "sakigake")]
    assert (jp["designated"], jp["approved"], jp["approved_share"]) == (2, 1, 0.5)
    assert stats[("US", "rmat")]["stopped"] == 1 and stats[("US", "rmat")]["in_development"] == 0
    assert designation_rows(docs, ["US"]) == [r for r in rows if r["jurisdiction"] == "US"]


@pytest.fixture(scope="module")
def curated_rows() -> list[dict]:
    return designation_rows(product_document(p) for p in load_dataset().products)


def test_the_curated_sakigake_products_and_when_they_were_approved(curated_rows) -> None:
    approved = {
        r["slug"]: r["approval_date"]
        for r in curated_rows
        if r["designation"] == "sakigake" and r["approved"]
    }
    assert approved["stemirac"] == "2018-12-28"
    assert approved["raguneprocel"] == "2026-03-06"
    waiting = [
        r["slug"] for r in curated_rows if r["designation"] == "sakigake" and not r["approved"]
    ]
    assert "mipetresgene-autoleucel" in waiting


def test_cli_lists_outcomes_in_words_and_json_keeps_codes(tmp_path) -> None:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'atlas.db'}"
    result = runner.invoke(build_app(), ["--db", db, "designations", "-j", "JP"])
    assert result.exit_code == 0, result.output
    assert "SAKIGAKE designation" in result.output and "approved 2018-12-28" in result.output
    assert "sakigake" not in result.output.replace("SAKIGAKE", "")
    assert "Japan, SAKIGAKE designation: " in result.output
    as_json = runner.invoke(build_app(), ["--db", db, "designations", "-j", "JP", "-f", "json"])
    doc = json.loads(as_json.stdout)
    assert {r["jurisdiction"] for r in doc["data"]} == {"JP"}
    assert any(s["designation"] == "sakigake" for s in doc["stats"])
    bad = runner.invoke(build_app(), ["--db", db, "designations", "-j", "XX"])
    assert bad.exit_code != 0 and "unknown jurisdiction XX" in bad.output


def test_the_designation_day_gives_the_wait_to_approval_on_full_dates_only(curated_rows) -> None:
    rows = {(r["jurisdiction"], r["designation"], r["slug"]): r for r in curated_rows}
    obecel = rows[("US", "rmat", "obecabtagene-autoleucel")]
    # Autolus announced the RMAT designation on 2022-04-25; FDA approved Aucatzyl 2024-11-08
    assert (obecel["designation_date"], obecel["approval_date"]) == ("2022-04-25", "2024-11-08")
    assert obecel["days_to_approval"] == 928
    assert obecel["designation_source"].startswith("https://autolus.")
    kymriah = rows[("US", "breakthrough_therapy", "tisagenlecleucel")]
    assert kymriah["designation_date"] == "2014-07" and kymriah["days_to_approval"] is None
    sb623 = rows[("US", "rmat", "vandefitemcel")]  # still in development: dated, no wait
    assert (sb623["designation_date"], sb623["approved"], sb623["days_to_approval"]) == (
        "2019-09", False, None,
    )
    stemirac = rows[("JP", "sakigake", "stemirac")]  # designated 2016-02-10, approved 2018-12-28
    assert (stemirac["designation_date"], stemirac["days_to_approval"]) == ("2016-02-10", 1052)
    stats = {(s["jurisdiction"], s["designation"]): s for s in designation_stats(curated_rows)}
    sakigake = stats[("JP", "sakigake")]
    # STEMIRAC 1052 days, AKUUGO 1941 (SanBio, 2019-04-08 to 2024-07-31), AMCHEPRY 3293
    assert (sakigake["timed_approvals"], sakigake["median_days_to_approval"]) == (3, 1941)
    assert sakigake["dated"] == 5  # CLS2702C (a year only) and mipetresgene are dated, not approved
    undated = rows[("US", "rmat", "jointstem")]
    assert undated["designation_date"] is None and undated["designation_source"] is None


def test_the_median_wait_counts_only_approvals_timed_from_a_full_date() -> None:
    def dated(day: str) -> dict:
        return {"id": "rmat", "date": day, "sources": [{"url": "https://example.org/r"}]}

    docs = [
        _doc(slug, auths=[{"jurisdiction": "US", "designations": ["rmat"],
                           "designation_dates": [dated(day)], "approval_date": approved,
                           "brand_name": slug, "status": "authorized"}])
        for slug, day, approved in (
            ("a", "2020-01-01", "2020-01-31"),  # 30 days
            ("b", "2020-01-01", "2020-03-01"),  # 60 days
            ("c", "2020-01", "2021-01-01"),  # month only: not timed
            ("d", "2022-01-01", "2021-01-01"),  # dated after approval: not a wait
        )
    ] + [_doc("e", auths=[{"jurisdiction": "US", "designations": ["rmat"],
                           "approval_date": "2020-05-05", "brand_name": "e",
                           "status": "authorized"}])]  # fmt: skip
    (stat,) = designation_stats(designation_rows(docs))
    assert (stat["designated"], stat["dated"], stat["timed_approvals"]) == (5, 4, 2)
    assert stat["median_days_to_approval"] == 45


def test_a_dated_designation_must_be_one_the_record_lists() -> None:
    from pydantic import ValidationError

    from ctatlas.model import Program

    program = {
        "jurisdiction": "US", "home_jurisdiction": "JP", "stage": "phase2", "status": "active",
        "developer": "SanBio", "indications": [{"text": "TBI"}], "designations": ["orphan"],
        "designation_dates": [{"id": "rmat", "date": "2019-09", "sources": [{
            "url": "https://example.org/", "title": "t", "publisher": "p", "kind": "news",
            "accessed": "2026-12-06"}]}],
        "sources": [],
    }  # fmt: skip
    with pytest.raises(ValidationError, match="designation_dates names 'rmat', which is not in"):
        Program.model_validate(program)
    program["designations"] = ["orphan", "rmat"]
    assert Program.model_validate(program).designation_dates[0].date == "2019-09"
    program["designation_dates"] *= 2
    with pytest.raises(ValidationError, match="gives 'rmat' twice"):
        Program.model_validate(program)


def test_fdas_published_rmat_total_is_set_beside_the_atlas_count(curated_rows) -> None:
    from ctatlas.designations import published_totals

    dataset = load_dataset()
    jurs = {c: j.model_dump(mode="json") for c, j in dataset.jurisdictions.items()}
    stats = designation_stats(curated_rows)
    totals = published_totals(jurs, stats, ["US"])
    running = [t for t in totals if t["cumulative"]]
    assert [(t["designation"], t["value"], t["as_of"]) for t in running] == [
        ("rmat", 152, "2024-12-31")
    ]
    named = next(s["designated"] for s in stats if (s["jurisdiction"], s["designation"]) == (
        "US", "rmat"))
    assert running[0]["atlas_names"] == named and 0 < named < 152
    assert running[0]["source"].startswith("https://fda.gov/")
    # the fiscal-year rows of FDA's table add up to the running total recorded beside them
    years = [t for t in totals if t["measure"].startswith("RMAT designations granted by CBER in")]
    assert len(years) == 9 and sum(t["value"] for t in years) == 152
    assert all(t["atlas_names"] is None for t in years)
    assert published_totals(jurs, stats, ["JP"]) == [
        t for t in published_totals(jurs, stats) if t["jurisdiction"] == "JP"
    ]


def test_cli_shows_designation_days_and_the_regulators_totals(tmp_path) -> None:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'atlas.db'}"
    result = runner.invoke(build_app(), ["--db", db, "designations", "-j", "US"])
    assert result.exit_code == 0, result.output
    assert "2022-04-25" in result.output
    assert "median 928 days from designation to approval (1 dated)" in result.output
    beside = r"all fiscal years \(2016-12-13 to 2024-12-31\): 152; the atlas names \d+ of 152"
    assert re.search(beside, result.output)
    assert "Published totals (the regulator's own where it publishes one)" in result.output
    csv_out = runner.invoke(build_app(), ["--db", db, "designations", "-j", "US", "-f", "csv"])
    header = csv_out.stdout.splitlines()[0].split(",")
    assert {"designation_date", "days_to_approval", "designation_source"} <= set(header)
    doc = json.loads(
        runner.invoke(build_app(), ["--db", db, "designations", "-j", "US", "-f", "json"]).stdout
    )
    assert any(p["cumulative"] and p["value"] == 152 for p in doc["published"])
