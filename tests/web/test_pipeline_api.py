"""``GET /api/v1/pipeline`` and programs on ``/products/{slug}``, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

API = "/api/v1"


def keys(body: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted((r["slug"], r["jurisdiction"], r["stage"]) for r in body["data"])


def test_pipeline_lists_every_program_in_the_envelope(client) -> None:
    r = client.get(f"{API}/pipeline")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"data", "count", "limit", "offset", "completeness"}
    assert body["count"] == 5 and len(body["data"]) == 5
    assert keys(body) == [
        ("cartistem", "JP", "phase2"),
        ("cartistem", "JP", "phase3"),
        ("cartistem", "KR", "approved"),
        ("cartistem", "US", "phase3"),
        ("hs-001", "JP", "phase1_2"),
    ]
    approved = next(row for row in body["data"] if row["stage"] == "approved")
    assert approved["authorization"] == "KR" and approved["brand_names"] == ["Cartistem"]
    assert approved["cell_family"] == "MSC" and approved["sources"]


def test_pipeline_says_how_complete_each_jurisdiction_is(client) -> None:
    body = client.get(f"{API}/pipeline").json()
    by_code = {c["jurisdiction"]: c for c in body["completeness"]}
    assert set(by_code) == {"JP", "KR", "US"}  # the jurisdictions of the programs listed
    jp = by_code["JP"]
    assert (jp["complete"], jp["complete_as_of"], jp["sources_through"]) == (
        False,
        None,
        "2026-02-24",
    )
    assert "jRCT" in " ".join(jp["excludes"]) and "PIPELINE.md" in jp["method"]
    assert [(p["scope"].split(" ")[0], p["complete_as_of"]) for p in jp["parts"]] == [
        ("Foreign", "2026-08-22"), ("Academic", None)]
    assert "quarter" in jp["parts"][1]["basis"]
    assert by_code["KR"]["coverage"] is None  # the fixture KR file does not say
    assert by_code["KR"]["parts"] == []
    # a jurisdiction filtered on is reported even when no program matches
    none = client.get(f"{API}/pipeline?jurisdiction=KR&stage=filed").json()
    assert none["count"] == 0 and [c["jurisdiction"] for c in none["completeness"]] == ["KR"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jurisdiction=jp&stage=phase3", [("cartistem", "JP", "phase3")]),
        ("stage=phase3&stage=approved&jurisdiction=KR", [("cartistem", "KR", "approved")]),
        ("status=discontinued", [("cartistem", "JP", "phase2")]),
        ("family=iPSC_derived", [("hs-001", "JP", "phase1_2")]),
        ("origin=autologous", []),
        ("disease=cardiovascular", [("hs-001", "JP", "phase1_2")]),
        ("disease=osteoarthritis_knee&jurisdiction=US", [("cartistem", "US", "phase3")]),
        ("developer=Novo", [("hs-001", "JP", "phase1_2")]),
    ],
)
def test_pipeline_filters_as_the_cli(client, query: str, expected: list) -> None:
    r = client.get(f"{API}/pipeline?{query}")
    assert r.status_code == 200, r.text
    assert keys(r.json()) == expected


def test_pipeline_pages(client) -> None:
    first = client.get(f"{API}/pipeline?limit=2").json()
    rest = client.get(f"{API}/pipeline?limit=2&offset=2").json()
    assert first["count"] == rest["count"] == 5
    assert len(first["data"]) == 2 and len(rest["data"]) == 2
    assert not {(r["slug"], r["program"]) for r in first["data"]} & {
        (r["slug"], r["program"]) for r in rest["data"]
    }


@pytest.mark.parametrize(
    ("query", "loc", "fragment"),
    [
        ("stage=phase4", "stage", "phase1"),
        ("family=msc", "family", "MSC"),
        ("jurisdiction=XX", "jurisdiction", "unknown jurisdiction 'XX'"),
        ("disease=cardio", "disease", "did you mean cardiovascular"),
        ("colour=red", "colour", ""),
    ],
)
def test_pipeline_bad_input_is_422_in_the_error_envelope(
    client, query: str, loc: str, fragment: str
) -> None:
    r = client.get(f"{API}/pipeline?{query}")
    assert r.status_code == 422
    body = r.json()
    assert body["ok"] is False and body["status"] == 422
    assert any(loc in e["loc"] and fragment in e["msg"] for e in body["errors"]), body


def test_a_therapy_in_development_only_is_shown_but_is_not_a_product(client) -> None:
    r = client.get(f"{API}/products/hs-001")
    assert r.status_code == 200
    doc = r.json()
    assert doc["authorizations"] == [] and doc["programs"][0]["jurisdiction"] == "JP"
    products = client.get(f"{API}/products?limit=500").json()
    assert "hs-001" not in {d["slug"] for d in products["data"]} and products["count"] == 6
    auths = client.get(f"{API}/authorizations?limit=500").json()
    assert "hs-001" not in {a["slug"] for a in auths["data"]}
    stats = client.get(f"{API}/stats").json()
    assert stats["products"] == 6
    cartistem = client.get(f"{API}/products/cartistem").json()
    assert len(cartistem["programs"]) == 4 and len(cartistem["authorizations"]) == 1


def test_pipeline_is_in_the_openapi_document(client) -> None:
    spec = client.get(f"{API}/openapi.json").json()
    op = spec["paths"][f"{API}/pipeline"]["get"]
    params = {p["name"] for p in op["parameters"]}
    assert {"jurisdiction", "stage", "status", "family", "origin", "disease", "developer"} <= params
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert schema.endswith("/PipelinePublic")
