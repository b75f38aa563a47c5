"""The curated programs in ``data/``, counted per jurisdiction and stage.

Pinned so that a lost or duplicated record is noticed: when programs are added, update the
counts in the same commit (``ctatlas pipeline --format json`` lists them).
"""

from __future__ import annotations

from pathlib import Path

from ctatlas.dataset import load_dataset
from ctatlas.pipeline import program_rows, stage_counts
from ctatlas.store import product_document

REPO_DATA = Path(__file__).resolve().parents[1] / "data"

PINNED = {
    "JP": {"phase1": 149, "phase1_2": 46, "phase2": 33, "phase3": 29, "filed": 3, "approved": 1},
    "KR": {"phase1": 73, "phase1_2": 45, "phase2": 32, "phase3": 18, "filed": 1, "approved": 3},
    "US": {"phase1": 8, "phase1_2": 9, "phase2": 9, "phase3": 5},
    "EU": {"phase2": 1, "phase3": 1},
}


def test_program_counts_per_jurisdiction_and_stage() -> None:
    dataset = load_dataset(REPO_DATA)
    rows = program_rows(product_document(p) for p in dataset.products)
    counts = {
        jur: {stage: n for stage, n in by_stage.items() if n}
        for jur, by_stage in stage_counts(rows).items()
    }
    assert counts == PINNED
    # every approved program points at an authorization of its record (validate checks it)
    assert all(r["authorization"] for r in rows if r["stage"] == "approved")
