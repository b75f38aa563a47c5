"""One error envelope for every error on every route, and never a 500 for bad input."""

from __future__ import annotations

from typing import Any

import pytest

API = "/api/v1"

#: (method, path, json body or None, expected status) - bad input for every route.
BAD_REQUESTS: list[tuple[str, str, Any, int]] = [
    ("GET", f"{API}/products?limit=0", None, 422),
    ("GET", f"{API}/products?limit=501", None, 422),
    ("GET", f"{API}/products?limit=abc", None, 422),
    ("GET", f"{API}/products?offset=-1", None, 422),
    ("GET", f"{API}/products?sort=price", None, 422),
    ("GET", f"{API}/products?sort=--slug", None, 422),
    ("GET", f"{API}/products?jurisdiction=XX", None, 422),
    ("GET", f"{API}/products?jurisdiction=JPN", None, 422),
    ("GET", f"{API}/products?modality=stem", None, 422),
    ("GET", f"{API}/products?cell_class=adult", None, 422),
    ("GET", f"{API}/products?origin=self", None, 422),
    ("GET", f"{API}/products?status=approved", None, 422),
    ("GET", f"{API}/products?pathway=fast", None, 422),
    ("GET", f"{API}/products?approved_from=2020-13", None, 422),
    ("GET", f"{API}/products?approved_to=yesterday", None, 422),
    ("GET", f"{API}/products?q=" + "x" * 201, None, 422),
    ("GET", f"{API}/products?colour=red", None, 422),
    ("GET", f"{API}/products/no-such-product", None, 404),
    ("GET", f"{API}/products/" + "x" * 201, None, 422),
    ("GET", f"{API}/authorizations?status=approved", None, 422),
    ("GET", f"{API}/authorizations?limit=0", None, 422),
    ("GET", f"{API}/authorizations?jurisdiction=ZZ", None, 422),
    ("GET", f"{API}/jurisdictions?limit=9999", None, 422),
    ("GET", f"{API}/jurisdictions?offset=x", None, 422),
    ("GET", f"{API}/jurisdictions/ZZ", None, 404),
    ("GET", f"{API}/jurisdictions/TOOLONGCODE", None, 422),
    ("GET", f"{API}/diseases?area=Not-An-Area", None, 422),
    ("GET", f"{API}/diseases?area=no_such_area", None, 422),
    ("GET", f"{API}/diseases?limit=-3", None, 422),
    ("GET", f"{API}/stats/extra", None, 404),
    ("POST", f"{API}/classify", {"origin": "martian"}, 422),
    ("POST", f"{API}/classify", {"colour": "red"}, 422),
    ("POST", f"{API}/classify", {"stem_cell": "perhaps"}, 422),
    ("POST", f"{API}/classify", ["origin", "autologous"], 422),
    ("POST", f"{API}/classify", {"manipulation": "minimal", "genetically_modified": True}, 422),
    ("POST", f"{API}/classify?jurisdiction=XX", {}, 422),
    ("POST", f"{API}/classify?jurisdiction=EU", {}, 422),  # no EU file in the fixture data
    ("POST", f"{API}/classify", "not json", 422),
    ("GET", f"{API}/classify", None, 405),
    ("GET", f"{API}/export/pdf", None, 422),
    ("GET", f"{API}/export/csv?status=approved", None, 422),
    ("DELETE", f"{API}/products/cartistem", None, 405),
    ("PUT", f"{API}/jurisdictions/JP", {}, 405),
    ("GET", f"{API}/nothing-here", None, 404),
    ("GET", "/nothing-here", None, 404),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), BAD_REQUESTS)
def test_error_envelope(client, method: str, path: str, body: Any, status: int) -> None:
    if isinstance(body, str):
        r = client.request(method, path, content=body, headers={"content-type": "application/json"})
    else:
        r = client.request(method, path, json=body)
    assert r.status_code == status, r.text
    payload = r.json()
    assert set(payload) == {"ok", "status", "error", "errors", "suggestions"}
    assert payload["ok"] is False and payload["status"] == status
    assert isinstance(payload["error"], str) and payload["error"]
    assert payload["errors"], "at least one problem"
    for item in payload["errors"]:
        assert set(item) == {"loc", "msg"} and isinstance(item["loc"], list) and item["msg"]


def test_422_names_the_parameter(client) -> None:
    body = client.get(f"{API}/products?modality=stem&limit=0").json()
    locs = [e["loc"][:2] for e in body["errors"]]
    assert ["query", "modality"] in locs and ["query", "limit"] in locs
    unknown = client.get(f"{API}/products?jurisdiction=XX").json()
    assert unknown["errors"][0]["loc"] == ["query", "jurisdiction"]
    assert "known: CN, JP, KR, SG, US" in unknown["errors"][0]["msg"]


def test_405_says_read_only_and_allows(client) -> None:
    r = client.delete(f"{API}/products")
    assert "read-only" in r.json()["error"] and r.headers["allow"] == "GET"


def test_unexpected_exception_is_an_envelope_not_a_crash(web_store) -> None:
    from fastapi.testclient import TestClient

    from ctatlas.web import create_app

    app = create_app(store=web_store, refresh_seconds=0)

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/api/v1/boom")
    assert r.status_code == 500
    assert r.json() == {
        "ok": False,
        "status": 500,
        "error": "internal error (logged); please report it",
        "errors": [{"loc": [], "msg": "internal error (logged); please report it"}],
        "suggestions": [],
    }


def test_store_unreadable_is_503(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from ctatlas.store import Store
    from ctatlas.web import create_app
    from ctatlas.web.state import Atlas

    class Broken(Store):
        def products(self):  # type: ignore[no-untyped-def]
            from ctatlas.errors import StoreError

            raise StoreError("disk gone")

        def meta(self):  # type: ignore[no-untyped-def]
            return {"data_hash": "x", "built_at": "2026-01-01T00:00:00+00:00"}

    app = create_app(store=Broken("sqlite:///" + str(tmp_path / "none.sqlite")))
    assert isinstance(app.state.atlas, Atlas)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get(f"{API}/products")
    assert r.status_code == 503 and r.json()["ok"] is False
