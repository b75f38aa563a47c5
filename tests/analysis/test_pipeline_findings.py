"""The report's pipeline numbers, computed from the five real programs of tests/fixtures/data:
Cartistem (KR approved, JP phase 3, JP phase 2 discontinued, US phase 3) and HS-001 (JP phase
1/2, status unknown)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatlas.analysis.pipeline import (
    discontinued,
    founding_topic_counts,
    in_pipeline,
    pipeline_autologous_share,
    pipeline_mesenchymal_share,
    stage_family_origin,
)
from ctatlas.dataset import load_dataset
from ctatlas.pipeline import program_rows
from ctatlas.store import product_document

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "data"
JURS = ["JP", "KR", "US"]


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    dataset = load_dataset(DATA)
    return program_rows(product_document(p) for p in dataset.products)


def test_the_pipeline_leaves_out_approved_and_discontinued(rows: list[dict]) -> None:
    kept = sorted((r["slug"], r["jurisdiction"], r["stage"]) for r in rows if in_pipeline(r))
    assert kept == [
        ("cartistem", "JP", "phase3"),
        ("cartistem", "US", "phase3"),
        ("hs-001", "JP", "phase1_2"),
    ]
    assert [(r["slug"], r["discontinued"]) for r in discontinued(rows)] == [
        ("cartistem", "2024-02")
    ]


def test_counts_by_stage_family_and_origin(rows: list[dict]) -> None:
    table = stage_family_origin(rows)
    assert [(e["cell_family"], e["origin"], e["total"]) for e in table] == [
        ("MSC", "allogeneic", 2),
        ("iPSC_derived", "allogeneic", 1),
    ]
    assert table[0]["phase3"] == 2 and table[1]["phase1_2"] == 1
    assert "approved" not in table[0]


def test_founding_topics(rows: list[dict], tmp_path: Path) -> None:
    diseases = [d.model_dump() for d in load_dataset(DATA).diseases.diseases]
    topics = founding_topic_counts(rows, diseases, JURS)
    assert [t["topic"] for t in topics][:2] == ["Severe liver disease", "Graft-versus-host disease"]
    assert all(t["total"] == 0 for t in topics)  # knee osteoarthritis and heart failure only
    # a program for Parkinson's disease counts under its topic
    moved = [dict(r) for r in rows]
    pd = [{"text": "Parkinson's disease", "disease_ids": ["parkinsons_disease"]}]
    moved[-1] = {**moved[-1], "indications": pd}
    topics = founding_topic_counts(moved, diseases, JURS)
    parkinsons = next(t for t in topics if t["topic"] == "Parkinson's disease")
    assert (parkinsons["JP"], parkinsons["total"], parkinsons["therapies"]) == (1, 1, ["hs-001"])


def test_findings_count_therapies_with_numerator_and_denominator(rows: list[dict]) -> None:
    auto = pipeline_autologous_share(rows, JURS)
    assert (auto.numerator, auto.denominator, auto.supports_claim) == (0, 2, False)
    assert [(b.label, b.numerator, b.denominator) for b in auto.breakdown] == [
        ("JP", 0, 2),
        ("US", 0, 1),
    ]
    msc = pipeline_mesenchymal_share(rows, JURS)
    assert (msc.numerator, msc.denominator, msc.share) == (1, 2, 0.5)
    assert msc.supports_claim is False  # "most" means more than half
    assert "1 of 2 stem-cell therapies in the pipeline (50%)" in msc.statement


def test_funnel_chart_counts_the_pipeline_per_jurisdiction_and_stage(rows: list[dict]) -> None:
    from ctatlas.analysis.pipeline import family_origin_chart, funnel_chart

    def words(vocabulary: str, code: str) -> str:
        return {"phase1_2": "Phase 1/2", "phase3": "Phase 3"}.get(code, code)

    chart = funnel_chart(rows, JURS, words)
    values = chart.spec["data"]["values"] if "data" in chart.spec else None
    if values is None:  # faceted: the data sits on the inner layer
        values = next(v["values"] for v in _find(chart.spec, "values"))
    counts = {(v["jurisdiction"], v["stage"]): v["programs"] for v in values if v["programs"]}
    assert counts == {("JP", "Phase 1/2"): 1, ("JP", "Phase 3"): 1, ("US", "Phase 3"): 1}
    assert "phase1_2" not in str(values)  # words, not codes
    fam = family_origin_chart(rows, words)
    assert fam.id == "pipeline_family_origin"


def _find(spec: object, key: str) -> list[dict]:
    found: list[dict] = []
    if isinstance(spec, dict):
        if key in spec:
            found.append(spec)
        for value in spec.values():
            found += _find(value, key)
    elif isinstance(spec, list):
        for value in spec:
            found += _find(value, key)
    return found
