"""Builders for the trials tests: real fixture records, zips, stores."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import pytest

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "trials"


def real_studies() -> list[dict]:
    """All 62 real ClinicalTrials.gov API v2 studies in the fixtures."""
    out = [json.loads(p.read_text()) for p in sorted((FIX / "ctgov").glob("*.json"))]
    out += json.loads((FIX / "ctgov_export" / "ctg-studies_10.json").read_text())
    with gzip.open(FIX / "ctgov_export" / "ctg-studies_50_rest.jsonl.gz", "rt") as fh:
        out += [json.loads(line) for line in fh]
    return out


def make_bulk_zip(path: Path, studies: list[dict]) -> Path:
    """A zip shaped like ctg-studies.json.zip: one JSON file per study, in folders."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for s in studies:
            nct = s["protocolSection"]["identificationModule"]["nctId"]
            zf.writestr(f"ctg-studies/{nct[:7]}/{nct}.json", json.dumps(s))
    return path


@pytest.fixture
def store(tmp_path: Path):
    from ctatlas.trials.store import TrialStore

    s = TrialStore(f"sqlite:///{tmp_path / 'trials.sqlite'}")
    yield s
    s.close()


@pytest.fixture(scope="session")
def atlas_terms():
    """The curated atlas's cell-therapy names and codes (``data/``), as the ingest reads them;
    loaded once for every trials test that asks."""
    from ctatlas.dataset import load_dataset
    from ctatlas.trials.atlas_terms import cell_terms

    return cell_terms(load_dataset(Path(__file__).resolve().parents[2] / "data"))
