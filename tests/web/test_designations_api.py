"""``GET /api/v1/designations``: designated therapies and their outcome, on both backends."""

from __future__ import annotations

API = "/api/v1"


def test_designations_envelope_rows_and_stats(client) -> None:
    r = client.get(f"{API}/designations")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == len(body["data"]) == 3
    rows = {(d["jurisdiction"], d["designation"]): d for d in body["data"]}
    kymriah = rows[("US", "breakthrough_therapy")]
    assert (kymriah["slug"], kymriah["approved"], kymriah["approval_date"]) == (
        "tisagenlecleucel",
        True,
        "2017-08-30",
    )
    stats = {(s["jurisdiction"], s["designation"]): s for s in body["stats"]}
    assert stats[("CN", "priority_review")]["approved_share"] == 1.0
    only_us = client.get(f"{API}/designations", params={"jurisdiction": "us"}).json()
    assert {d["jurisdiction"] for d in only_us["data"]} == {"US"}
    page = client.get(f"{API}/designations", params={"limit": 1, "offset": 1}).json()
    assert page["count"] == 3 and len(page["data"]) == 1


def test_an_unknown_jurisdiction_is_422(client) -> None:
    r = client.get(f"{API}/designations", params={"jurisdiction": "XX"})
    assert r.status_code == 422 and "unknown jurisdiction XX" in r.text


def test_designation_days_and_the_regulators_total_beside_the_atlas_count(client) -> None:
    body = client.get(f"{API}/designations", params={"jurisdiction": "US"}).json()
    (kymriah,) = [d for d in body["data"] if d["designation"] == "breakthrough_therapy"]
    # dated to the month only (July 2014): no wait is computed from it
    assert (kymriah["designation_date"], kymriah["days_to_approval"]) == ("2014-07", None)
    assert kymriah["designation_source"].startswith("https://finanznachrichten.de/")
    (stat,) = [s for s in body["stats"] if s["designation"] == "breakthrough_therapy"]
    assert (stat["dated"], stat["timed_approvals"], stat["median_days_to_approval"]) == (1, 0, None)
    published = body["published"]
    got = [(p["designation"], p["value"], p["cumulative"], p["atlas_names"]) for p in published]
    assert got == [
        ("rmat", 152, True, 0),  # the fixture names no RMAT-designated therapy
        ("rmat", 43, False, None),
    ]
    china = client.get(f"{API}/designations", params={"jurisdiction": "CN"}).json()
    assert china["published"] == []
