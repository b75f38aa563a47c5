"""The response cache under clients that invent URLs (issue 21, item 3): bounded by bytes,
keyed on a normalised query, emptied of an old data version at a rebuild; export offsets,
once each a 4 MB entry of the same bytes, are refused and never cached."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ctatlas.web.cache import ResponseCache, normalised_query

API = "/api/v1"


def _cache(app: Any) -> ResponseCache:
    """The app's ResponseCache instance (the middleware stack is built on first use)."""
    node = app.middleware_stack
    while node is not None and not isinstance(node, ResponseCache):
        node = getattr(node, "app", None)
    assert node is not None
    return node


@pytest.fixture
def fresh(web_store, tmp_path: Path) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    from ctatlas.web import create_app

    app = create_app(
        store=web_store, trials_db=f"sqlite:///{tmp_path / 't.sqlite'}", refresh_seconds=0
    )
    with TestClient(app, raise_server_exceptions=False) as c:
        c.get(f"{API}/stats")
        yield c


def test_cache_is_bounded_by_bytes(fresh) -> None:  # type: ignore[no-untyped-def]
    cache = _cache(fresh.app)
    cache.entries.max_bytes = 300_000
    slugs = [p["slug"] for p in fresh.get(f"{API}/products?limit=500").json()["data"]]
    sizes = []
    for i in range(300):  # distinct URLs a client invents: searches, pages, offsets
        for url in (
            f"{API}/products?q=cell{i}",
            f"/products?q=cell{i}",
            f"{API}/products?offset={i}&limit=1",
            f"/products/{slugs[i % len(slugs)]}?x={i}",
        ):
            r = fresh.get(url, headers={"accept": "text/html"} if url[1] == "p" else {})
            assert r.status_code == 200, url
        sizes.append(cache.entries.bytes)
        assert cache.entries.bytes <= 300_000
    assert max(sizes) > 200_000  # it filled, and stayed under the bound
    assert cache.misses > 1000


def test_query_is_normalised_before_it_keys(fresh) -> None:  # type: ignore[no-untyped-def]
    cache = _cache(fresh.app)
    first = fresh.get(f"{API}/products?modality=cell_therapy&origin=autologous&limit=5")
    hits = cache.hits
    for same in (
        "origin=autologous&limit=5&modality=cell_therapy",
        "limit=5&modality=cell%5Ftherapy&origin=autologous",
        "limit=5&origin=autologous&modality=cell_therapy",
    ):
        r = fresh.get(f"{API}/products?{same}")
        assert r.content == first.content
    assert cache.hits == hits + 3
    assert normalised_query(b"b=2&a=1&a=0") == b"a=1&a=0&b=2"  # repeated keep their order


def test_export_offsets_are_refused_and_never_cached(fresh) -> None:  # type: ignore[no-untyped-def]
    cache = _cache(fresh.app)
    before = cache.entries.bytes
    for offset in range(100):
        assert fresh.get(f"{API}/export/json?offset={offset}").status_code == 422
    assert cache.entries.bytes == before


def test_a_rebuild_drops_the_old_versions_entries(data_copy: Path, tmp_path: Path) -> None:
    from ctatlas.dataset import load_dataset
    from ctatlas.store import build_store, open_store
    from ctatlas.web import create_app

    url = f"sqlite:///{tmp_path / 'atlas.sqlite'}"
    build_store(load_dataset(data_copy), url)
    app = create_app(
        store=open_store(url), trials_db=f"sqlite:///{tmp_path / 't.sqlite'}", refresh_seconds=0.01
    )
    with TestClient(app, raise_server_exceptions=False) as c:
        for i in range(20):
            assert c.get(f"{API}/products?q=x{i}").status_code == 200
        cache = _cache(app)
        assert len(cache.entries) == 20
        dataset = load_dataset(data_copy)
        dataset.products[0].notes = "changed"
        dataset.data_hash = "0" * 64
        build_store(dataset, url)
        time.sleep(0.05)  # past the refresh interval: the next request sees the new store
        r = c.get(f"{API}/products?q=x0")
        assert r.status_code == 200
        assert len(cache.entries) == 1
        assert app.state.atlas.current().data_hash == "0" * 64
