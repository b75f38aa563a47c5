"""Search through the API on the real curated data: ranked when there is no sort; an explicit
sort wins."""

from __future__ import annotations

from pathlib import Path

REPO_DATA = Path(__file__).resolve().parents[2] / "data"


def test_search_through_the_api_ranks_and_an_explicit_sort_wins(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from ctatlas.store import ensure_store
    from ctatlas.web import create_app

    store = ensure_store(f"sqlite:///{tmp_path / 'atlas.sqlite'}", REPO_DATA)
    app = create_app(store=store, trials_db=f"sqlite:///{tmp_path / 't.sqlite'}",
                     refresh_seconds=0)
    with TestClient(app) as client:
        ranked = [d["slug"] for d in client.get("/api/v1/products?q=Temcell").json()["data"]]
        assert ranked[0] == "temcell-hs"
        body = client.get("/api/v1/products?q=MSC&sort=slug&limit=500").json()
        slugs = [d["slug"] for d in body["data"]]
        assert slugs == sorted(slugs) and "temcell-hs" in slugs
