"""GET /api/v1/trials and /api/v1/trials/{id} carry the development programs each trial belongs
to, as the trial pages show them, on SQLite and on PostgreSQL.

The atlas is the fixture data with the curated Cartistem record of ``data/products`` (programs
in Japan, the United States and Korea, two in Korea) and the diseases it names; the trials are
the real ClinicalTrials.gov rows of ``tests/fixtures/trials/ctgov_legacy`` (four Cartistem trials
sited in Korea, one in the United States), as in ``test_program_links.py``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import _postgres_url, cartistem_atlas

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"
API = "/api/v1/trials"
KOREA = {"NCT01041001", "NCT02755376", "NCT04310215", "NCT01626677"}
US = "NCT01733186"


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def client(request, tmp_path_factory, empty_trials) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from ctatlas.dataset import load_dataset
    from ctatlas.store import build_store, open_store
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.link import product_specs
    from ctatlas.trials.store import TrialStore
    from ctatlas.web import create_app

    folder = tmp_path_factory.mktemp("api-programs")
    data = cartistem_atlas(folder / "data")
    if request.param == "sqlite":
        atlas_url = f"sqlite:///{folder / 'atlas.sqlite'}"
    else:
        atlas_url = _postgres_url() or ""
        if not atlas_url:
            pytest.skip("CTATLAS_TEST_POSTGRES_URL is not set (no PostgreSQL server for this run)")
    build_store(load_dataset(data), atlas_url)
    atlas = open_store(atlas_url)
    trials_url = empty_trials.url(atlas_url, folder)
    store = TrialStore(trials_url)
    ingest([FIX / "trials" / "ctgov_legacy"], store, products=product_specs(atlas))
    store.close()
    app = create_app(store=atlas, trials_db=trials_url, refresh_seconds=0)
    with TestClient(app, raise_server_exceptions=False) as c:
        c.backend = request.param
        yield c
    empty_trials.drop(trials_url)


def _programs(therapy: str = "cartistem") -> dict[str, list[int]]:
    """jurisdiction -> program indexes of the curated record (read from the data, not assumed)."""
    from ctatlas.dataset import load_dataset

    data = load_dataset(ROOT / "data")
    doc = next(p for p in data.products if p.slug == therapy)
    found: dict[str, list[int]] = {}
    for i, p in enumerate(doc.programs):
        found.setdefault(p.jurisdiction, []).append(i)
    return found


def test_the_list_carries_each_trials_programs(client) -> None:  # type: ignore[no-untyped-def]
    programs = _programs()
    body = client.get(f"{API}?product=cartistem&label=all&limit=500").json()
    rows = {t["trial_id"]: t for t in body["data"]}
    assert set(rows) == KOREA | {US}, client.backend
    # a Korean trial naming the therapy belongs to both Korean programs (knee and ankle)
    for tid in KOREA:
        assert [(p["slug"], p["program"], p["jurisdiction"]) for p in rows[tid]["programs"]] == [
            ("cartistem", i, "KR") for i in programs["KR"]
        ], tid
    us = rows[US]["programs"]
    assert [(p["slug"], p["program"], p["jurisdiction"]) for p in us] == [
        ("cartistem", i, "US") for i in programs["US"]
    ]
    assert us[0]["name"] and us[0]["stage"] and us[0]["status"]
    # a trial of no program says so with an empty list, never a missing key
    others = client.get(f"{API}?label=all&limit=500").json()["data"]
    assert all("programs" in t for t in others)
    assert any(t["programs"] == [] for t in others)


def test_one_trial_carries_its_programs_by_any_id(client) -> None:  # type: ignore[no-untyped-def]
    programs = _programs()
    one = client.get(f"{API}/{US}").json()
    assert [(p["slug"], p["program"]) for p in one["programs"]] == [
        ("cartistem", i) for i in programs["US"]
    ]
    # the same answer again (from the cache) and gzipped
    again = client.get(f"{API}/{US}", headers={"Accept-Encoding": "gzip"}).json()
    assert again["programs"] == one["programs"]


def test_openapi_documents_the_programs(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for name in ("TrialPublic", "TrialOne"):
        prop = schemas[name]["properties"]["programs"]
        assert prop["items"]["$ref"].endswith("/TrialProgram"), name
        assert "program" in prop["description"]
    assert set(schemas["TrialProgram"]["required"]) == {
        "slug", "program", "name", "jurisdiction", "stage", "status"
    }
