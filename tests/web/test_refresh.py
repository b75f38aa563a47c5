"""Caches are keyed on the data hash: a rebuilt store is picked up, with a new ETag, by a
running app (the response cache and everything derived are dropped with the old version)."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient


def test_rebuilt_store_is_served_with_a_new_etag(data_copy: Path, sqlite_url: str) -> None:
    from ctatlas.store import ensure_store
    from ctatlas.web import create_app

    app = create_app(store=ensure_store(sqlite_url, data_copy), refresh_seconds=0.05)
    with TestClient(app) as client:
        first = client.get("/api/v1/products/maci")
        assert first.json()["developer"] != "Rebuilt Developer Inc."
        page = client.get("/products/maci")
        etag = first.headers["etag"]
        cached = client.get("/api/v1/products/maci", headers={"If-None-Match": etag})
        assert cached.status_code == 304

        record = data_copy / "products" / "maci.yaml"
        text = record.read_text(encoding="utf-8")
        developer = next(line for line in text.splitlines() if line.startswith("developer:"))
        record.write_text(
            text.replace(developer, "developer: Rebuilt Developer Inc."), encoding="utf-8"
        )
        ensure_store(sqlite_url, data_copy)  # `ctatlas build` while the server runs
        time.sleep(0.1)

        second = client.get("/api/v1/products/maci", headers={"If-None-Match": etag})
        assert second.status_code == 200
        assert second.json()["developer"] == "Rebuilt Developer Inc."
        assert second.headers["etag"] != etag
        assert "Rebuilt Developer Inc." in client.get("/products/maci").text
        assert "Rebuilt Developer Inc." not in page.text
