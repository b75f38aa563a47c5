"""``trials fetch`` against httpx.MockTransport serving API v2 page envelopes built from the
real sample records (the records are real; the page tokens are made up here)."""

from __future__ import annotations

import json

import httpx

from ctatlas.trials.fetch import API_URL, Pacer, fetch_items
from ctatlas.trials.ingest import ingest_items
from ctatlas.trials.sources import Problem

from .conftest import real_studies

NOW = Pacer(rate=0)  # no pacing in these tests (pacing has its own test)


def paged_transport(studies, page_size, fail_on_page=None, seen=None):
    pages = [studies[i : i + page_size] for i in range(0, len(studies), page_size)]

    def handler(request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        if seen is not None:
            seen.append(params)
        n = int(params.get("pageToken", "tok0")[3:])
        if fail_on_page is not None and n == fail_on_page:
            return httpx.Response(503, text="Service Unavailable")
        body = {"studies": pages[n]}
        if n + 1 < len(pages):
            body["nextPageToken"] = f"tok{n + 1}"
        return httpx.Response(
            200, content=json.dumps(body).encode(), headers={"content-type": "application/json"}
        )

    return httpx.MockTransport(handler)


def test_pages_are_followed_with_next_page_token(store):
    studies = real_studies()[11:36]
    seen: list[dict] = []
    with httpx.Client(transport=paged_transport(studies, 10, seen=seen)) as client:
        items = list(
            fetch_items(client, query="cell therapy", country="Japan", page_size=10, pacer=NOW)
        )
    assert len(items) == 25
    assert [p.get("pageToken") for p in seen] == [None, "tok1", "tok2"]
    assert seen[0]["query.term"] == "cell therapy" and seen[0]["query.locn"] == "Japan"
    assert seen[0]["pageSize"] == "10"
    assert str(httpx.URL(API_URL)).startswith("https://clinicaltrials.gov/api/v2/studies")


def test_a_failing_page_keeps_what_was_received(store):
    studies = real_studies()[11:36]
    with httpx.Client(transport=paged_transport(studies, 10, fail_on_page=2)) as client:
        items = fetch_items(client, query="x", page_size=10, pacer=NOW, retries=0)
        summary = ingest_items(items, store)
    assert summary.records == 20
    assert summary.problems and "HTTP 503" in summary.problems[0]["reason"]
    assert store.count() == 20


def test_max_pages_and_bad_payload():
    studies = real_studies()[11:36]
    with httpx.Client(transport=paged_transport(studies, 10)) as client:
        assert len(list(fetch_items(client, query="x", page_size=10, max_pages=1, pacer=NOW))) == 10
    bad = httpx.MockTransport(lambda r: httpx.Response(200, json={"oops": 1}))
    with httpx.Client(transport=bad) as client:
        items = list(fetch_items(client, query="x", pacer=NOW))
    assert len(items) == 1 and isinstance(items[0], Problem)
