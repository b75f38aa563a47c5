"""Designations linked to outcomes: which designated therapies were approved, and when."""

from __future__ import annotations

import json

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
