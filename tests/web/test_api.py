"""The REST API, route by route, on SQLite and PostgreSQL: every filter, sort, pagination edge,
the list envelope, 404 with close matches, caching headers, and that nothing writes."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

API = "/api/v1"
KR = ["cartistem", "invossa", "onasemnogene-abeparvovec", "tisagenlecleucel"]
SINCE_2021 = ["onasemnogene-abeparvovec", "relmacabtagene-autoleucel", "tisagenlecleucel"]


def slugs(body: dict[str, Any]) -> list[str]:
    return [row["slug"] for row in body["data"]]


# --------------------------------------------------------------------------- /products


def test_products_list_envelope(client) -> None:
    r = client.get(f"{API}/products")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"data", "count", "limit", "offset"}
    assert body["count"] == 6 and body["limit"] == 50 and body["offset"] == 0
    assert slugs(body) == sorted(slugs(body))  # slug order by default
    assert r.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jurisdiction=KR", KR),
        ("jurisdiction=kr", KR),
        ("jurisdiction=CN&jurisdiction=SG", ["relmacabtagene-autoleucel", "tisagenlecleucel"]),
        ("modality=tissue_engineered", ["maci"]),
        ("modality=cell_therapy&modality=tissue_engineered", ["cartistem", "maci"]),
        ("cell_class=stem", ["cartistem"]),
        ("origin=allogeneic", ["cartistem", "invossa"]),
        ("status=revoked", ["invossa"]),
        ("pathway=standard&jurisdiction=CN", ["relmacabtagene-autoleucel"]),
        ("pathway=conditional_time_limited", []),
        ("approved_from=2021", SINCE_2021),
        ("approved_to=2012-12-31", ["cartistem"]),
        ("approved_from=2021&approved_to=2020", []),  # a reversed range holds nothing
        ("approved_from=2016-12&approved_to=2017-07-31", ["invossa", "maci"]),
        ("q=cartistem", ["cartistem"]),
        ("q=카티스템", ["cartistem"]),
        ("q=CARTISTEM", ["cartistem"]),
        ("q=ｃａｒｔｉｓｔｅｍ", ["cartistem"]),  # full-width: NFKC
        ("q=킴리아", ["tisagenlecleucel"]),
        ("q=medipost", ["cartistem"]),
        ("q=nothing-like-this", []),
        ("jurisdiction=US&origin=autologous&modality=gene_modified_cell", ["tisagenlecleucel"]),
    ],
)
def test_products_filters(client, query: str, expected: list[str]) -> None:
    body = client.get(f"{API}/products?{query}").json()
    assert slugs(body) == expected
    assert body["count"] == len(expected)


def test_jurisdiction_filter_keeps_only_matching_authorizations(client) -> None:
    body = client.get(f"{API}/products?jurisdiction=SG").json()
    (doc,) = body["data"]
    assert [a["jurisdiction"] for a in doc["authorizations"]] == ["SG"]


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("slug", "cartistem", "tisagenlecleucel"),
        ("-slug", "tisagenlecleucel", "cartistem"),
        ("approval_date", "cartistem", "relmacabtagene-autoleucel"),
        ("-approval_date", "relmacabtagene-autoleucel", "cartistem"),
        ("brand_name", "relmacabtagene-autoleucel", "onasemnogene-abeparvovec"),
        ("name", "invossa", "tisagenlecleucel"),
        ("modality", "cartistem", "maci"),
        ("cell_class", "onasemnogene-abeparvovec", "cartistem"),
        ("origin", "cartistem", "onasemnogene-abeparvovec"),
    ],
)
def test_products_sort(client, sort: str, first: str, last: str) -> None:
    order = slugs(client.get(f"{API}/products?sort={sort}").json())
    assert (order[0], order[-1]) == (first, last)


@pytest.mark.parametrize(
    ("limit", "offset", "expected_len"),
    [(1, 0, 1), (2, 4, 2), (2, 5, 1), (50, 6, 0), (500, 0, 6), (3, 1_000_000, 0)],
)
def test_products_pagination(client, limit: int, offset: int, expected_len: int) -> None:
    body = client.get(f"{API}/products?limit={limit}&offset={offset}").json()
    assert (body["limit"], body["offset"], body["count"]) == (limit, offset, 6)
    assert len(body["data"]) == expected_len


def test_pages_join_up_to_the_whole_list(client) -> None:
    whole = slugs(client.get(f"{API}/products?sort=-approval_date").json())
    pieces: list[str] = []
    for offset in range(0, 6, 4):
        url = f"{API}/products?sort=-approval_date&limit=4&offset={offset}"
        pieces += slugs(client.get(url).json())
    assert pieces == whole


# --------------------------------------------------------------------------- /products/{slug}


def test_product_detail(client) -> None:
    doc = client.get(f"{API}/products/cartistem").json()
    assert doc["slug"] == "cartistem"
    (auth,) = doc["authorizations"]
    assert auth["local_name"] == "카티스템"
    assert auth["sources"] and all(s["url"].startswith("http") for s in auth["sources"])
    assert auth["status_history"][0]["event"] == "approved"


def test_a_source_read_through_a_copy_names_both(client) -> None:
    doc = client.get(f"{API}/products/tisagenlecleucel").json()
    us = next(a for a in doc["authorizations"] if a["jurisdiction"] == "US")
    [fda] = [s for s in us["sources"] if s.get("read_via")]
    assert fda["url"].startswith("https://www.fda.gov/") and fda["kind"] == "regulator"
    assert fda["read_via"].startswith("https://github.com/databio/")


def test_unknown_slug_404_with_close_matches(client) -> None:
    r = client.get(f"{API}/products/cartistm")
    assert r.status_code == 404
    body = r.json()
    assert body["ok"] is False and body["status"] == 404
    assert body["suggestions"] == ["cartistem"]
    assert body["errors"] == [{"loc": ["path", "slug"], "msg": body["error"]}]
    assert "cartistem" in body["error"]


def test_brand_name_suggests_its_slug(client) -> None:
    assert client.get(f"{API}/products/kymriah").json()["suggestions"] == ["tisagenlecleucel"]


# --------------------------------------------------------------------------- /authorizations


def test_authorizations_flat(client) -> None:
    body = client.get(f"{API}/authorizations").json()
    assert body["count"] == 10
    row = next(r for r in body["data"] if r["slug"] == "cartistem")
    assert row["jurisdiction"] == "KR" and row["brand_name"] == "Cartistem"
    assert isinstance(row["indications"], str) and row["disease_ids"]


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("jurisdiction=US", 4),
        ("jurisdiction=US&approved_from=2019", 2),
        ("status=revoked", 1),
        ("q=zolgensma", 3),
        ("q=zolgensma&jurisdiction=KR", 1),
        ("modality=gene_therapy&limit=1", 3),
    ],
)
def test_authorizations_filters(client, query: str, count: int) -> None:
    body = client.get(f"{API}/authorizations?{query}").json()
    assert body["count"] == count
    assert len(body["data"]) == min(count, body["limit"])


# --------------------------------------------------------------------------- reference data


def test_jurisdictions(client) -> None:
    body = client.get(f"{API}/jurisdictions").json()
    codes = [j["code"] for j in body["data"]]
    assert codes == ["CN", "JP", "KR", "SG", "US"] and body["count"] == 5
    kr = body["data"][2]
    assert (kr["products"], kr["authorizations"]) == (4, 4)
    assert kr["url"] == f"{API}/jurisdictions/KR"
    page = client.get(f"{API}/jurisdictions?limit=2&offset=2").json()
    assert [j["code"] for j in page["data"]] == ["KR", "SG"]


def test_jurisdiction_detail(client) -> None:
    doc = client.get(f"{API}/jurisdictions/jp").json()
    assert doc["code"] == "JP" and doc["laws"] and doc["definitions"]
    assert doc["comparison"]["scope_term"]["citations"]
    r = client.get(f"{API}/jurisdictions/KP")
    assert r.status_code == 404 and r.json()["ok"] is False


def test_jurisdiction_detail_carries_the_tier_routes(client) -> None:
    doc = client.get(f"{API}/jurisdictions/JP").json()
    (route,) = doc["tier_routes"]
    assert route["id"] == "asrm" and route["providers"] == ["clinic", "hospital"]
    assert {t["route"] for t in doc["risk_tiers"]} == {"asrm"}
    assert any(e["kind"] == "enforcement" for e in doc["tier_events"])
    kr = client.get(f"{API}/jurisdictions/KR").json()
    assert [p["tier"] for p in kr["tier_plans"]] == ["high", "high", "high"]
    assert all(f["sources"][0]["publisher"] for f in kr["tier_figures"])


def test_diseases(client) -> None:
    body = client.get(f"{API}/diseases?limit=500").json()
    assert body["count"] == len(body["data"]) > 10
    by_id = {d["id"]: d for d in body["data"]}
    assert "cartistem" in by_id["knee_cartilage_defect"]["products"]
    assert by_id["knee_cartilage_defect"]["area_name"]
    area = by_id["acute_gvhd"]["area"]
    only = client.get(f"{API}/diseases?area={area}&limit=500").json()
    assert only["data"] and all(d["area"] == area for d in only["data"])


def test_stats(client) -> None:
    body = client.get(f"{API}/stats").json()
    assert body["products"] == 6 and body["authorizations"] == 10
    assert {r["key"]: r["count"] for r in body["by_jurisdiction"]} == {
        "CN": 1,
        "KR": 4,
        "SG": 1,
        "US": 4,
    }
    assert {r["key"] for r in body["by_origin"]} >= {"autologous", "allogeneic"}
    ids = {f["id"] for f in body["findings"]}
    assert {"autologous_share", "mesenchymal_share"} <= ids
    assert len(body["data_hash"]) == 64


# --------------------------------------------------------------------------- classify


def test_classify(client) -> None:
    profile = {
        "origin": "autologous",
        "manipulation": "more_than_minimal",
        "genetically_modified": True,
        "viable_cells": True,
        "intended_function": "disease_treatment",
    }
    r = client.post(f"{API}/classify", json=profile)
    assert r.status_code == 200
    body = r.json()
    assert body["profile"]["origin"] == "autologous"
    decisions = {d["jurisdiction"]: d for d in body["decisions"]}
    assert set(decisions) == {"JP", "KR", "US"}  # the fixture data has no EU file
    us = decisions["US"]
    assert us["category"] and us["rules"]
    assert all(rule["citation"]["url"].startswith("http") for rule in us["rules"])
    only = client.post(f"{API}/classify?jurisdiction=us", json=profile).json()
    assert [d["jurisdiction"] for d in only["decisions"]] == ["US"]
    assert client.post(f"{API}/classify", json={}).status_code == 200  # all unknown
    # the tier answer: a hospital giving gene-modified cells in Japan is on the ASRM route
    hospital = client.post(f"{API}/classify", json={**profile, "provider": "hospital"}).json()
    jp = {d["jurisdiction"]: d for d in hospital["decisions"]}["JP"]
    assert [(r["route"], r["class"]) for r in jp["routes"]] == [("asrm", "asrm_class_i")]
    assert jp["regulated_as"]["id"] == "medical_practice_asrm"


def test_classify_is_cached_and_deterministic(client) -> None:
    profile = {"origin": "allogeneic", "manipulation": "minimal"}
    first = client.post(f"{API}/classify", json=profile)
    second = client.post(f"{API}/classify", json=profile)
    assert first.content == second.content
    assert "etag" not in first.headers


# --------------------------------------------------------------------------- export


def test_export_csv(client) -> None:
    r = client.get(f"{API}/export/csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="ctatlas.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 10
    assert {row["local_name"] for row in rows} >= {"카티스템"}


def test_export_filtered(client) -> None:
    body = client.get(f"{API}/export/csv?jurisdiction=US").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {row["jurisdiction"] for row in rows} == {"US"} and len(rows) == 4


def test_export_json(client) -> None:
    body = client.get(f"{API}/export/json").json()
    assert len(body["products"]) == 6 and "KR" in body["jurisdictions"] and body["diseases"]


def test_export_xlsx(client) -> None:
    from openpyxl import load_workbook

    r = client.get(f"{API}/export/xlsx")
    book = load_workbook(io.BytesIO(r.content), read_only=True)
    try:
        assert book.sheetnames[:3] == ["about", "products", "authorizations"]
        assert sum(1 for _ in book["authorizations"].iter_rows()) == 11
    finally:
        book.close()


def test_export_datapackage(client) -> None:
    import zipfile

    r = client.get(f"{API}/export/datapackage")
    assert r.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["profile"] == "tabular-data-package"
    names = {res["name"] for res in descriptor["resources"]}
    assert {"products", "authorizations", "sources", "indications"} <= names


# --------------------------------------------------------------------------- caching


def test_etag_and_304(client, web_store) -> None:
    r = client.get(f"{API}/products?jurisdiction=KR")
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    again = client.get(f"{API}/products?jurisdiction=KR", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    other = client.get(f"{API}/products?jurisdiction=KR", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200
    since = client.get(f"{API}/stats", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    old = client.get(f"{API}/stats", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert old.status_code == 200


def test_first_request_gets_304_too(client) -> None:
    etag = client.get(f"{API}/jurisdictions").headers["etag"]
    # a URL the cache has never seen, with the data version's tag
    r = client.get(f"{API}/diseases?limit=3&offset=7", headers={"If-None-Match": etag})
    assert r.status_code == 304


def test_errors_carry_no_etag(client) -> None:
    r = client.get(f"{API}/products/nope")
    assert r.status_code == 404 and "etag" not in r.headers


def test_head(client) -> None:
    r = client.head(f"{API}/products")
    assert r.status_code == 200 and r.content == b"" and r.headers["etag"]


def test_nothing_writes(client, web_store) -> None:
    before = web_store.meta()["data_hash"], len(web_store.products())
    for method in ("post", "put", "patch", "delete"):
        for path in ("/products", "/products/cartistem", "/jurisdictions/KR", "/export/csv"):
            r = client.request(method.upper(), f"{API}{path}", json={"slug": "x"})
            assert r.status_code == 405, (method, path)
            assert r.json()["ok"] is False
    from ctatlas.store import open_store

    fresh = open_store(web_store.url)
    assert (fresh.meta()["data_hash"], len(fresh.products())) == before


def test_openapi_and_docs_offline(client) -> None:
    spec = client.get(f"{API}/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        f"{API}/products",
        f"{API}/products/{{slug}}",
        f"{API}/authorizations",
        f"{API}/jurisdictions",
        f"{API}/jurisdictions/{{code}}",
        f"{API}/diseases",
        f"{API}/stats",
        f"{API}/classify",
        f"{API}/export/{{format}}",
        f"{API}/trials",
    } <= paths
    assert all(not p.startswith("/products") for p in paths)  # pages stay out of the API
    from ctatlas.web.assets import package_assets

    html = client.get("/api/docs").text
    bundle = package_assets().url("vendor/swagger-ui-bundle.js")  # under its hashed name
    assert bundle.startswith("/static/vendor/swagger-ui-bundle.") and bundle in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert client.get(bundle).status_code == 200
    assert client.get("/static/vendor/swagger-ui-bundle.js").status_code == 200  # old name
