"""Live ClinicalTrials.gov API v2 queries, paged with ``nextPageToken``.

The HTTP client is injectable: tests pass an ``httpx.Client`` over ``httpx.MockTransport``
serving page envelopes built from real study records; users get a real client. Errors become
:class:`~ctatlas.trials.sources.Problem` items, so pages already received are still stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .sources import Item, Problem

__all__ = ["API_URL", "fetch_items"]

API_URL = "https://clinicaltrials.gov/api/v2/studies"


def fetch_items(
    client: Any,
    *,
    query: str | None = None,
    condition: str | None = None,
    intervention: str | None = None,
    country: str | None = None,
    page_size: int = 100,
    max_pages: int | None = None,
    url: str = API_URL,
) -> Iterator[Item | Problem]:
    """Yield every study of an API v2 search, page by page."""
    import httpx

    if not 1 <= page_size <= 1000:
        raise ValueError("page_size must be between 1 and 1000")
    params: dict[str, Any] = {"format": "json", "pageSize": page_size}
    for key, value in (
        ("query.term", query),
        ("query.cond", condition),
        ("query.intr", intervention),
        ("query.locn", country),
    ):
        if value:
            params[key] = value
    page = 0
    token: str | None = None
    while True:
        page += 1
        if token:
            params["pageToken"] = token
        name = f"{url} page {page}"
        try:
            resp = client.get(url, params=params, timeout=60.0)
            resp.raise_for_status()
            data = resp.json()
        except httpx.HTTPStatusError as exc:
            yield Problem(name, f"HTTP {exc.response.status_code}: {exc.response.text[:200]}")
            return
        except (httpx.HTTPError, ValueError) as exc:
            yield Problem(name, f"request failed: {exc}")
            return
        studies = data.get("studies") if isinstance(data, dict) else None
        if not isinstance(studies, list):
            yield Problem(name, "response is not an API v2 page (no 'studies' list)")
            return
        for i, study in enumerate(studies):
            yield Item("ctgov", f"{name}[{i}]", study, "obj")
        token = data.get("nextPageToken")
        if not token or (max_pages is not None and page >= max_pages):
            return
