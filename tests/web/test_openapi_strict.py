"""The OpenAPI document is as strict as the API (issue 21, item 16): the data's jurisdiction
codes and disease areas are enums, every listed value is accepted and an unlisted one is a 422."""

from __future__ import annotations

from typing import Any

API = "/api/v1"


def _param(spec: dict[str, Any], path: str, name: str, method: str = "get") -> dict[str, Any]:
    params = spec["paths"][path][method]["parameters"]
    schema = next(p["schema"] for p in params if p["name"] == name)
    while "enum" not in schema:  # into arrays' items and anyOf arms
        schema = schema.get("items") or next(a for a in schema["anyOf"] if a.get("type") != "null")
    return schema


def test_vocabularies_are_enums(client, web_store) -> None:  # type: ignore[no-untyped-def]
    spec = client.get(f"{API}/openapi.json").json()
    codes = sorted(web_store.jurisdictions())
    for path in ("/products", "/authorizations", "/export/{format}"):
        assert _param(spec, API + path, "jurisdiction")["enum"] == codes, path
    assert _param(spec, f"{API}/jurisdictions/{{code}}", "code")["enum"] == codes
    classified = _param(spec, f"{API}/classify", "jurisdiction", "post")["enum"]
    assert classified and set(classified) <= set(codes)
    areas = _param(spec, f"{API}/diseases", "area")["enum"]
    assert areas == sorted(a["id"] for a in web_store.areas())

    for code in codes:
        assert client.get(f"{API}/products", params={"jurisdiction": code}).status_code == 200
        assert client.get(f"{API}/jurisdictions/{code}").status_code == 200
    for code in classified:
        r = client.post(f"{API}/classify", params={"jurisdiction": code}, json={})
        assert r.status_code == 200
    for area in areas:
        assert client.get(f"{API}/diseases", params={"area": area}).status_code == 200
    unknown = next(c for c in ("ZZ", "QQ", "XY") if c not in codes)
    assert client.get(f"{API}/products", params={"jurisdiction": unknown}).status_code == 422
    assert client.get(f"{API}/diseases", params={"area": "no_such_area"}).status_code == 422
