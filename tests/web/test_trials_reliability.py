"""The trials API under hostile input and broken stores (issue 21, items 4, 9, 14; issue 16's
503 and ``GET /trials/{id}``), on SQLite and PostgreSQL, with real registry records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "trials"
API = "/api/v1/trials"


@pytest.fixture(scope="module")
def trials_url(
    web_db_url: str, tmp_path_factory: pytest.TempPathFactory, empty_trials
) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.store import TrialStore

    url = empty_trials.url(web_db_url, tmp_path_factory.mktemp("trials"))
    store = TrialStore(url)
    ingest([FIX / "ctgov_legacy", FIX / "cris", FIX / "ctgov"], store)
    store.close()
    yield url
    empty_trials.drop(url)


@pytest.fixture(scope="module")
def client(web_store, trials_url: str) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from ctatlas.web import create_app

    app = create_app(store=web_store, trials_db=trials_url, refresh_seconds=0)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _all(client: Any, query: str = "") -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        body = client.get(f"{API}?label=all&limit=500&offset={len(out)}{query}").json()
        out += body["data"]
        if len(out) >= body["count"]:
            return out


def test_no_store_is_a_503_envelope_with_a_plain_hint(web_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from ctatlas.web import create_app

    missing = tmp_path / "none" / "trials.sqlite"
    app = create_app(store=web_store, trials_db=f"sqlite:///{missing}", refresh_seconds=0)
    with TestClient(app, raise_server_exceptions=False) as c:
        for path in (API, f"{API}?country=JP", f"{API}/NCT01041001"):
            r = c.get(path)
            assert r.status_code == 503, path
            body = r.json()
            assert body["ok"] is False and body["status"] == 503
            assert body["error"] == "no trials store is loaded"
            assert "registry records" in body["hint"] and "ctatlas" not in body["hint"]
        bad = c.get(f"{API}?phase=5")  # the query is still checked first
        assert bad.status_code == 422
        spec = c.get("/api/v1/openapi.json").json()
    assert not missing.exists() and not missing.parent.exists()
    for path in ("/api/v1/trials", "/api/v1/trials/{trial_id}"):
        doc = spec["paths"][path]["get"]["responses"]["503"]
        assert doc["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorEnvelope")
        assert "no trials store is loaded" in doc["description"].lower()
    assert "hint" in spec["components"]["schemas"]["ErrorEnvelope"]["properties"]


def test_a_store_that_is_not_a_database_degrades(web_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from ctatlas.web import create_app

    junk = tmp_path / "trials.sqlite"
    junk.write_bytes(b"this is not a database\n" * 200)
    app = create_app(store=web_store, trials_db=f"sqlite:///{junk}", refresh_seconds=0)
    slug = web_store.products()[0]["slug"]
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get(API)
        assert r.status_code == 503
        assert r.json()["error"] == "the trials store cannot be read"
        assert c.get(f"{API}/NCT01041001").status_code == 503
        page = c.get(f"/products/{slug}", headers={"accept": "text/html"})
        assert page.status_code == 200
        note = BeautifulSoup(page.text, "html.parser").select_one("#trials-unavailable")
        assert note is not None and note.text.startswith("Trials unavailable")
        assert c.get(f"/api/v1/products/{slug}").status_code == 200


def test_trial_by_any_of_its_ids(client) -> None:  # type: ignore[no-untyped-def]
    trials = _all(client)
    with_secondary = [t for t in trials if t["secondary_ids"]]
    assert with_secondary, "the fixtures hold trials with secondary ids"
    for t in [trials[0], *with_secondary[:5]]:
        own = client.get(f"{API}/{t['trial_id']}")
        assert own.status_code == 200
        assert own.json() == t
        for other in t["secondary_ids"][:2]:
            via = client.get(f"{API}/{other}")
            assert via.status_code == 200, other
            assert via.json()["trial_id"] == t["trial_id"]
    lower = client.get(f"{API}/{trials[0]['trial_id'].lower()}")
    assert lower.status_code == 200 and lower.json()["trial_id"] == trials[0]["trial_id"]
    missing = client.get(f"{API}/NCT99999999")
    assert missing.status_code == 404
    assert missing.json()["error"] == "no trial 'NCT99999999' in the trials store"
    assert client.get(f"{API}/{'N' * 65}").status_code == 422


def test_condition_wildcards_are_letters(client) -> None:  # type: ignore[no-untyped-def]
    trials = _all(client)
    condition = next(c for t in trials for c in t["conditions"] if len(c) > 4)
    word = condition[:5]
    assert client.get(f"{API}?label=all&condition={word}").json()["count"] >= 1
    for hostile in ("%", "_", "%25", word[:2] + "_" + word[3:], word[:2] + "%" + word[4:]):
        r = client.get(API, params={"label": "all", "condition": hostile})
        assert r.status_code == 200
        assert r.json()["count"] == 0, hostile


def test_pages_are_sql_pages_of_the_same_order(client) -> None:  # type: ignore[no-untyped-def]
    whole = _all(client)
    assert len(whole) > 7
    pages = [
        client.get(f"{API}?label=all&limit=3&offset={o}").json() for o in range(0, len(whole), 3)
    ]
    assert [t for p in pages for t in p["data"]] == whole
    assert {p["count"] for p in pages} == {len(whole)}
    assert client.get(f"{API}?label=all&offset={len(whole)}").json()["data"] == []


def test_cached_answers_follow_the_trials_store(client, trials_url: str) -> None:  # type: ignore[no-untyped-def]
    """Answers are cached per trials-store version: a new ingest shows at once (refresh 0)."""
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.store import TrialStore

    before = client.get(f"{API}?label=all").json()["count"]
    assert client.get(f"{API}?label=all").json()["count"] == before  # from the cache
    cache = client.app.state.trials_cache
    assert cache.hits >= 1 and 0 < cache.bytes <= cache.max_bytes
    store = TrialStore(trials_url)
    try:
        ingest([FIX / "ctgov_flat" / "car_t_trials_labelled_subset.csv"], store)
    finally:
        store.close()
    after = client.get(f"{API}?label=all").json()["count"]
    assert after > before


def test_byte_bounded_cache_keeps_its_bound() -> None:
    from ctatlas.web.lru import ByteLRU

    cache = ByteLRU(10_000, max_entries=100, max_item=3_000)
    for i in range(1_000):
        cache.put(("k", i), b"x" * (i % 2_900), i % 2_900)
        assert cache.bytes <= 10_000 and len(cache) <= 100
    assert cache.put("huge", b"x" * 5_000, 5_000) is False and cache.get("huge") is None
    assert cache.get(("k", 999)) is not None and cache.get(("k", 0)) is None
