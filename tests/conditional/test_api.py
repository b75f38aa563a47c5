"""``GET /api/v1/conditional`` and the outcome in product JSON, on both backends; the day is in
the cache key and the ETag, so yesterday's response is never served or confirmed today."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

API = "/api/v1"


@pytest.fixture
def client(conditional_store, tmp_path) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    from ctatlas.web import create_app

    app = create_app(
        store=conditional_store,
        trials_db=f"sqlite:///{tmp_path / 'no-trials.sqlite'}",
        refresh_seconds=0,
    )
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize("any_db_url", ["sqlite", "postgres"], indirect=True)
def test_tracker_envelope_as_of(client: TestClient) -> None:
    r = client.get(
        f"{API}/conditional", params={"jurisdiction": ["JP", "EU"], "as_of": "2024-03-01"}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["as_of"] == "2024-03-01" and body["count"] == len(body["data"]) == 6
    by_brand = {row["brand_name"]: row for row in body["data"]}
    assert by_brand["Holoclar"]["outcome"] == "converted"
    # HeartSheet's lapse is known to the year only: from 2024-01-01 it reads expired
    assert (by_brand["HeartSheet"]["outcome"], by_brand["HeartSheet"]["outcome_date"]) == (
        "expired",
        "2024",
    )
    colla = by_brand["Collategene Intramuscular Injection 4 mg"]
    assert colla["outcome_label"] == "full approval applied for, pending"
    assert colla["days_left"] == 30  # the term '2024-03' runs to 2024-03-31
    page = client.get(f"{API}/conditional", params={"as_of": "2024-03-01", "limit": 2, "offset": 1})
    assert page.json()["count"] == 8 and len(page.json()["data"]) == 2
    rates = {c["jurisdiction"]: c for c in body["conversion"]}
    assert rates["EU"]["conversion_rate"] == 0.5


@pytest.mark.parametrize("any_db_url", ["sqlite", "postgres"], indirect=True)
def test_bad_parameters_are_422(client: TestClient) -> None:
    for params in ({"as_of": "2024-02-30"}, {"as_of": "2024-2-1"}, {"jurisdiction": "XX"}):
        r = client.get(f"{API}/conditional", params=params)
        assert r.status_code == 422, params
        assert r.json()["ok"] is False and r.json()["error"]


@pytest.mark.parametrize("any_db_url", ["sqlite", "postgres"], indirect=True)
def test_openapi_documents_the_tracker(client: TestClient) -> None:
    spec = client.get(f"{API}/openapi.json").json()
    operation = spec["paths"][f"{API}/conditional"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["jurisdiction"]["schema"]["items"]["enum"] == ["EU", "JP", "KR", "US"]
    assert "as_of" in params
    assert "ConditionalPublic" in str(operation["responses"]["200"])


@pytest.mark.parametrize("any_db_url", ["sqlite"], indirect=True)
def test_the_day_is_in_the_etag_and_the_cache_key(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outcomes computed for today change at midnight without any rebuild."""
    from ctatlas import conditional

    monkeypatch.setattr(conditional, "today", lambda: dt.date(2027, 12, 31))
    before = client.get(f"{API}/products/stemirac")
    auth = before.json()["authorizations"][0]
    assert (auth["conditional_outcome"], auth["conditional_as_of"]) == (
        "full_application_pending",
        "2027-12-31",
    )
    tracker = client.get(f"{API}/conditional")
    assert tracker.json()["as_of"] == "2027-12-31"
    etag = before.headers["etag"]
    assert (
        client.get(f"{API}/products/stemirac", headers={"If-None-Match": etag}).status_code == 304
    )
    monkeypatch.setattr(conditional, "today", lambda: dt.date(2028, 1, 1))
    after = client.get(f"{API}/products/stemirac", headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag
    assert after.json()["authorizations"][0]["conditional_as_of"] == "2028-01-01"
    assert client.get(f"{API}/conditional").json()["as_of"] == "2028-01-01"
    # Last-Modified is never before today's midnight: yesterday's date gets no 304
    since = before.headers["last-modified"]
    assert (
        client.get(f"{API}/products/stemirac", headers={"If-Modified-Since": since}).status_code
        == 200
    )
