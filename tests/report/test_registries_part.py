"""The Pipeline chapter's registries part: with a trials store the report counts what the
registries say (starts per year by family and country, phases, sponsors, the founding disease
topics, the store's last ingest, registries and counts); without one the part is absent.
Real registry records (tests/fixtures/trials), checked against the store's own queries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from ctatlas.cli import app

FIX = Path(__file__).resolve().parents[1] / "fixtures"
TRIALS = FIX / "trials"
DATA = FIX / "data"
PART = {
    "pipeline_trials_store",
    "pipeline_trials_starts",
    "pipeline_trials_phases",
    "pipeline_trials_sponsors",
    "pipeline_trials_topics",
}


@pytest.fixture(scope="module")
def trials_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.store import TrialStore

    url = f"sqlite:///{tmp_path_factory.mktemp('registries') / 'trials.sqlite'}"
    store = TrialStore(url)
    ingest([TRIALS / "ctgov_legacy", TRIALS / "cris"], store)
    store.close()
    yield url


@pytest.fixture(scope="module")
def land() -> Any:
    from ctatlas.analysis import landscape_from_dataset
    from ctatlas.dataset import load_dataset

    return landscape_from_dataset(load_dataset(DATA))


@pytest.fixture(scope="module")
def trials(trials_url: str) -> Iterator[Any]:
    from ctatlas.trials.store import TrialStore

    store = TrialStore(trials_url, readonly=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def report(land, trials) -> Any:  # type: ignore[no-untyped-def]
    from ctatlas.report import build_report

    return build_report(land, trials)


def _table(report: Any, table_id: str) -> Any:
    return next(t for t in report.analysis.tables if t.id == table_id)


def test_without_a_trials_store_the_part_is_absent(land) -> None:  # type: ignore[no-untyped-def]
    from ctatlas.report import build_report

    plain = build_report(land)
    assert not PART & {t.id for t in plain.analysis.tables}
    assert not {c.id for c in plain.charts} & {"trial_starts_by_family", "trial_phase_mix"}


def test_store_overview(report, trials) -> None:  # type: ignore[no-untyped-def]
    row = _table(report, "pipeline_trials_store").rows[0]
    assert row["cell_trials"] == trials.count_trials(label="cell_therapy") > 10
    assert row["records"] == trials.count() and row["trials"] == trials.count_trials()
    assert "ClinicalTrials.gov" in row["registries"] and "CRIS (Korea)" in row["registries"]
    assert row["last_ingest"][:4].isdigit()


def test_starts_and_phases_match_the_store(report, trials) -> None:  # type: ignore[no-untyped-def]
    starts = _table(report, "pipeline_trials_starts").rows
    dated = [
        t for t in trials.query(label="cell_therapy") if (t["start_date"] or "")[:4].isdigit()
    ]
    assert sum(r["world"] for r in starts) == len(dated)
    assert sum(r["KR"] for r in starts) == sum("KR" in t["countries"] for t in dated)
    msc = sum(r["world"] for r in starts if r["family"] == "Mesenchymal stem cells (MSC)")
    assert msc == sum(t["cell_family"] == "MSC" for t in dated) > 0
    assert all(r["family"] != "MSC" for r in starts)  # labels, not codes
    phases = {r["phase"]: r for r in _table(report, "pipeline_trials_phases").rows}
    assert phases["Phase 2"]["world"] == trials.count_trials(label="cell_therapy", phase="2")


def test_sponsors_and_topics(report, trials) -> None:  # type: ignore[no-untyped-def]
    sponsors = _table(report, "pipeline_trials_sponsors").rows
    kinds = [r for r in sponsors if r["sponsor"] == "All sponsors of this kind"]
    assert {r["kind"] for r in kinds} >= {"Industry", "Academic"}
    industry = next(r for r in kinds if r["kind"] == "Industry")
    assert industry["world"] == trials.count_trials(label="cell_therapy", sponsor_class="industry")
    topics = {r["topic"]: r for r in _table(report, "pipeline_trials_topics").rows}
    parkinson = sum(
        any("parkinson" in c.lower() for c in t["conditions"])
        for t in trials.query(label="cell_therapy")
    )
    assert topics["Parkinson's disease"]["world"] == parkinson >= 1


def test_conditions_map_through_diseases_yaml(land) -> None:  # type: ignore[no-untyped-def]
    from ctatlas.analysis.registries import condition_diseases

    match = condition_diseases(land.diseases, land.areas)
    assert "parkinsons_disease" in match("Parkinson Disease")
    assert "area:gvhd" in match("Graft vs Host Disease")
    assert not match("Healthy volunteers")


def test_a_non_name_does_not_name_the_disease_it_negates() -> None:
    import yaml

    from ctatlas.analysis.registries import condition_diseases

    root = Path(__file__).resolve().parents[2]
    diseases = yaml.safe_load((root / "data/diseases.yaml").read_text(encoding="utf-8"))
    match = condition_diseases(diseases["diseases"])
    assert match("Non-Small Cell Lung Cancer") == {"non_small_cell_lung_cancer"}
    assert match("Extensive-stage Small Cell Lung Cancer") == {"small_cell_lung_cancer"}
    assert "hodgkin_lymphoma" not in match("B-cell Non-Hodgkin Lymphoma")
    assert "b_cell_non_hodgkin_lymphoma" in match("B-cell Non-Hodgkin Lymphoma")
    assert "hodgkin_lymphoma" in match("Hodgkin Lymphoma, relapsed")
    # one negated mention does not hide a plain one later in the text
    assert "small_cell_lung_cancer" in match("non-small cell or small cell lung cancer")


def test_html_report_shows_the_part(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ctatlas.report import render

    out = render(report, "html", tmp_path / "r.html")[0]
    page = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    text = page.get_text(" ")
    assert "Pipeline" in text and "The trial registries read" in text
    assert "The founding disease topics in the registries" in text
    for chart in ("trial_starts_by_family", "trial_starts_by_region", "trial_phase_mix"):
        assert chart in str(page), chart


def test_cli_report_reads_the_trials_store(trials_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "r.md"
    db = f"sqlite:///{tmp_path / 'atlas.sqlite'}"
    args = ["--db", db, "--data", str(DATA), "report", "-q", "--out", str(out)]
    result = runner.invoke(app, [*args, "--trials-db", trials_url])
    assert result.exit_code == 0, result.output
    assert "The trial registries read" in out.read_text(encoding="utf-8")
    missing = f"sqlite:///{tmp_path / 'none' / 'trials.sqlite'}"
    result = runner.invoke(app, [*args, "--trials-db", missing])
    assert result.exit_code == 0, result.output
    assert "The trial registries read" not in out.read_text(encoding="utf-8")
    assert not (tmp_path / "none").exists()
