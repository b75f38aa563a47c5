"""GET /api/v1/trials: the trials store through the API, with ``ctatlas trials list``'s filters,
on SQLite and PostgreSQL; a missing trials store is a 503 envelope and is not created."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "trials"
API = "/api/v1/trials"


@pytest.fixture(scope="module")
def trials_url(
    web_db_url: str, tmp_path_factory: pytest.TempPathFactory, empty_trials
) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A trials store filled from the registry fixtures, beside the atlas store."""
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.store import TrialStore

    url = empty_trials.url(web_db_url, tmp_path_factory.mktemp("trials"))
    store = TrialStore(url)
    ingest([FIX / "ctgov_legacy"], store)
    store.close()
    yield url
    empty_trials.drop(url)


@pytest.fixture(scope="module")
def trials_client(web_store, trials_url: str) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from ctatlas.web import create_app

    app = create_app(store=web_store, trials_db=trials_url, refresh_seconds=0)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_trials_list(trials_client) -> None:  # type: ignore[no-untyped-def]
    body = trials_client.get(API).json()
    assert set(body) == {"data", "count", "limit", "offset"}
    assert body["count"] >= 10 and len(body["data"]) == min(50, body["count"])
    assert all(t["label"] == "cell_therapy" for t in body["data"])
    assert {"trial_id", "registry", "evidence", "product_slugs"} <= set(body["data"][0])
    everything = trials_client.get(f"{API}?label=all&limit=500").json()
    assert everything["count"] >= body["count"]


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("family=MSC", lambda t: t["cell_family"] == "MSC"),
        ("origin=autologous", lambda t: t["origin"] == "autologous"),
        ("cell_class=stem", lambda t: t["cell_class"] == "stem"),
        ("label=all&country=us", lambda t: "US" in t["countries"]),
        ("start_year_from=2015", lambda t: (t["start_date"] or "0")[:4] >= "2015"),
        ("phase=2", lambda t: "2" in t["phases"]),
    ],
)
def test_trials_filters(trials_client, query: str, check) -> None:  # type: ignore[no-untyped-def]
    body = trials_client.get(f"{API}?{query}&limit=500").json()
    assert body["data"], query
    assert all(check(t) for t in body["data"]), query


def test_trials_pagination(trials_client) -> None:  # type: ignore[no-untyped-def]
    whole = [t["trial_id"] for t in trials_client.get(f"{API}?limit=500").json()["data"]]
    first = trials_client.get(f"{API}?limit=5").json()
    second = trials_client.get(f"{API}?limit=5&offset=5").json()
    assert [t["trial_id"] for t in first["data"] + second["data"]] == whole[:10]
    beyond = trials_client.get(f"{API}?offset=100000").json()
    assert beyond["data"] == [] and beyond["count"] == len(whole)


@pytest.mark.parametrize(
    "query",
    ["label=cells", "phase=5", "country=Japan", "limit=0", "family=unicorn", "colour=red",
     "start_year_from=abc"],
)
def test_trials_bad_input(trials_client, query: str) -> None:  # type: ignore[no-untyped-def]
    r = trials_client.get(f"{API}?{query}")
    assert r.status_code == 422
    body = r.json()
    assert body["ok"] is False and body["errors"][0]["loc"][0] == "query"


def test_trials_are_not_cached_on_the_atlas_hash(trials_client) -> None:  # type: ignore[no-untyped-def]
    r = trials_client.get(API)
    assert "etag" not in r.headers


def test_no_trials_store_is_a_503_and_creates_nothing(web_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from ctatlas.web import create_app

    missing = tmp_path / "none" / "trials.sqlite"
    app = create_app(store=web_store, trials_db=f"sqlite:///{missing}", refresh_seconds=0)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get(API)
    assert r.status_code == 503
    assert r.json()["error"] == "no trials store is loaded"
    assert not missing.exists() and not missing.parent.exists()
