"""Live ClinicalTrials.gov API v2 queries: polite, paged with ``nextPageToken``, resumable.

The HTTP client is injectable: tests pass an ``httpx.Client`` over ``httpx.MockTransport``
serving page envelopes built from real study records; users get a real client. So are the
clock and the sleep, so pacing and back-off are tested without waiting.

- :func:`iter_pages` walks one search page by page: at most ``rate`` requests per second
  (ClinicalTrials.gov publishes no limit; its robots.txt asks for a 1-second crawl delay),
  retrying a timed-out or refused request, HTTP 429 and HTTP 5xx with exponential back-off
  (``Retry-After`` honoured), and stopping with :class:`FetchError` otherwise.
- :func:`fetch_items` yields the studies of one search as ingest items (errors become a
  :class:`~ctatlas.trials.sources.Problem`, so pages already received are still stored).
- :func:`run_preset` runs a named preset (several searches) page by page, saving after each
  stored page the token of the next one in a small JSON state file: a rerun after an
  interruption starts where the last stored page left off and refetches nothing stored; when
  the API no longer accepts the saved token, that search starts again from its first page
  (stored studies are then upserted unchanged).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .sources import Item, Problem

__all__ = [
    "API_URL",
    "MAX_URL_CHARS",
    "PRESETS",
    "TOKEN_ROOM",
    "FetchError",
    "Page",
    "Pacer",
    "Preset",
    "code_searches",
    "fetch_items",
    "iter_pages",
    "jp_kr_cell",
    "preset",
    "run_preset",
]

API_URL = "https://clinicaltrials.gov/api/v2/studies"

# --------------------------------------------------------------------------- presets

#: Words that name a cell therapy or a cell product in a registry record (ClinicalTrials.gov's
#: "Other terms" search, ``query.term``: titles, summaries, conditions, interventions,
#: keywords). Wide on purpose: the classifier decides; the search only must not miss.
CELL_TERMS = (
    '"cell therapy"',
    '"cellular therapy"',
    '"cell transplantation"',
    '"stem cell"',
    '"stem cells"',
    "mesenchymal",
    '"stromal cells"',
    '"CAR-T"',
    '"CAR T"',
    '"chimeric antigen receptor"',
    '"natural killer"',
    '"NK cell"',
    '"NK cells"',
    '"dendritic cell"',
    '"T cell therapy"',
    '"tumor infiltrating lymphocytes"',
    '"cytokine-induced killer"',
    '"induced pluripotent"',
    "iPS",
    "iPSC",
    '"embryonic stem"',
    '"cord blood"',
    "chondrocyte",
    "keratinocyte",
    '"cell sheet"',
    '"islet transplantation"',
    '"stromal vascular fraction"',
    '"regenerative medicine"',
)


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    #: one API v2 search per entry (``query.*`` / ``filter.*`` parameters)
    searches: tuple[dict[str, str], ...]


#: The countries of the jp-kr-cell preset, in the order they are searched.
JP_KR = ("Japan", "Korea")

#: The longest request URL a preset search may make, its page token included: far below
#: what servers and proxies refuse (commonly 8 KB), so a batch of codes never gets a 414.
MAX_URL_CHARS = 2000
#: Room kept in each URL for the ``pageToken`` of later pages (the API's tokens are short).
TOKEN_ROOM = 200


def _quoted(code: str) -> str | None:
    """A code as an exact phrase of ``query.term`` ("EN001", "KTE-X19"); None when it cannot
    be one (empty, or with a double quote)."""
    code = " ".join(code.split())
    return f'"{code}"' if code and '"' not in code else None


def code_searches(
    codes: Any,
    countries: tuple[str, ...] = JP_KR,
    *,
    page_size: int = 1000,
    url: str = API_URL,
    max_url: int = MAX_URL_CHARS,
) -> tuple[dict[str, str], ...]:
    """Searches (one per batch of codes and country) for studies that name one of ``codes``:
    ``query.term`` is the codes as exact phrases joined by OR, as many as fit in a request
    URL of at most ``max_url`` characters with a page token and the largest page size."""
    import httpx

    terms = sorted({q for q in (_quoted(c) for c in codes) if q is not None}, key=str.lower)

    def fits(term: str, country: str) -> bool:
        params = {"format": "json", "pageSize": page_size, "query.term": term,
                  "query.locn": country, "countTotal": "true"}
        return len(str(httpx.URL(url, params=params))) + TOKEN_ROOM <= max_url

    out: list[dict[str, str]] = []
    for country in countries:
        batch: list[str] = []
        for term in terms:
            if not fits(term, country):
                continue  # a code too long for any request (none in the atlas)
            if batch and not fits(" OR ".join([*batch, term]), country):
                out.append({"query.term": " OR ".join(batch), "query.locn": country})
                batch = []
            batch.append(term)
        if batch:
            out.append({"query.term": " OR ".join(batch), "query.locn": country})
    return tuple(out)


def jp_kr_cell(codes: Any = ()) -> Preset:
    """The jp-kr-cell preset: every study sited in Japan, then in Korea, whose record names a
    cell-therapy word (:data:`CELL_TERMS`), then, country by country, those that name one of
    ``codes`` (the atlas's cell-therapy development codes: a trial may name its product only
    by a code), in batches that keep each request URL short (:func:`code_searches`)."""
    return Preset(
        name="jp-kr-cell",
        description=(
            "Every ClinicalTrials.gov study with a site in Japan or in South Korea whose record "
            "names a cell therapy, a cell product or a development code of one of the atlas's "
            "cell therapies (any status, phase or year)"
        ),
        searches=tuple(
            {"query.term": " OR ".join(CELL_TERMS), "query.locn": country} for country in JP_KR
        )
        + code_searches(codes),
    )


#: The presets, without the atlas's codes (:func:`preset` adds them).
PRESETS: dict[str, Preset] = {"jp-kr-cell": jp_kr_cell()}


def preset(name: str, codes: Any = ()) -> Preset:
    """The preset ``name`` searching also for ``codes`` (the atlas's cell-therapy codes)."""
    if name == "jp-kr-cell":
        return jp_kr_cell(codes)
    return PRESETS[name]

# --------------------------------------------------------------------------- paging


class FetchError(Exception):
    """A request that failed for good (after the retries, or at once for HTTP 4xx)."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass
class Pacer:
    """At most ``rate`` requests per second (0: no pacing)."""

    rate: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last: float | None = None

    def wait(self) -> None:
        if self.rate > 0 and self._last is not None:
            gap = 1.0 / self.rate - (self.clock() - self._last)
            if gap > 0:
                self.sleep(gap)
        self._last = self.clock()


@dataclass
class Page:
    search: int  # index of the search in its preset (0 for a single search)
    number: int  # 1-based page number within the search
    token: str | None  # the pageToken this page was asked with (None: the first page)
    next_token: str | None
    studies: list[dict[str, Any]]
    total: int | None  # the search's study count (first page only, from countTotal)


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _get(
    client: Any,
    url: str,
    params: dict[str, Any],
    pacer: Pacer,
    retries: int,
    backoff: float,
) -> dict[str, Any]:
    import httpx

    attempt = 0
    while True:
        pacer.wait()
        wait: float | None = None
        try:
            resp = client.get(url, params=params, timeout=60.0)
        except httpx.HTTPError as exc:  # timed out, refused, reset…
            reason, status = f"request failed: {exc}", None
        else:
            if resp.status_code == 200:
                try:
                    data = resp.json()
                except ValueError as exc:
                    raise FetchError(f"response is not JSON: {exc}", 200) from None
                if not isinstance(data, dict) or not isinstance(data.get("studies"), list):
                    raise FetchError("response is not an API v2 page (no 'studies' list)", 200)
                return data
            status = resp.status_code
            reason = f"HTTP {status}: {resp.text[:200]}"
            if status != 429 and status < 500:
                raise FetchError(reason, status)
            wait = _retry_after(resp.headers.get("Retry-After"))
        if attempt >= retries:
            raise FetchError(reason, status)
        pacer.sleep(wait if wait is not None else backoff * 2**attempt)
        attempt += 1


def iter_pages(
    client: Any,
    params: dict[str, Any],
    *,
    start_token: str | None = None,
    page_size: int = 100,
    max_pages: int | None = None,
    pacer: Pacer | None = None,
    retries: int = 4,
    backoff: float = 2.0,
    search: int = 0,
    url: str = API_URL,
) -> Iterator[Page]:
    """Every page of one search, from ``start_token`` (None: the first page) on."""
    if not 1 <= page_size <= 1000:
        raise ValueError("page_size must be between 1 and 1000")
    pacer = pacer if pacer is not None else Pacer()
    base = {"format": "json", "pageSize": page_size, **params}
    token = start_token
    number = 0
    while True:
        number += 1
        query = dict(base)
        if token:
            query["pageToken"] = token
        else:
            query["countTotal"] = "true"
        data = _get(client, url, query, pacer, retries, backoff)
        next_token = data.get("nextPageToken") or None
        total = data.get("totalCount")
        yield Page(search, number, token, next_token, data["studies"],
                   total if isinstance(total, int) else None)
        token = next_token
        if not token or (max_pages is not None and number >= max_pages):
            return


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
    pacer: Pacer | None = None,
    retries: int = 4,
    backoff: float = 2.0,
) -> Iterator[Item | Problem]:
    """Yield every study of an API v2 search, page by page."""
    if not 1 <= page_size <= 1000:
        raise ValueError("page_size must be between 1 and 1000")
    params = {
        key: value
        for key, value in (
            ("query.term", query),
            ("query.cond", condition),
            ("query.intr", intervention),
            ("query.locn", country),
        )
        if value
    }
    number = 0
    try:
        for page in iter_pages(
            client, params, page_size=page_size, max_pages=max_pages, pacer=pacer,
            retries=retries, backoff=backoff, url=url,
        ):
            number = page.number
            yield from page_items(page, f"{url} page {page.number}")
    except FetchError as exc:
        yield Problem(f"{url} page {number + 1}", exc.reason)


def page_items(page: Page, name: str) -> Iterator[Item]:
    """The studies of one page as ingest items."""
    for i, study in enumerate(page.studies):
        yield Item("ctgov", f"{name}[{i}]", study, "obj")


# --------------------------------------------------------------------------- resumable runs


@dataclass
class _State:
    """What a preset run has stored so far, saved as JSON after every stored page."""

    path: Path
    preset: str
    searches: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path, preset: Preset) -> _State:
        fresh = cls(path, preset.name, [_fresh(s) for s in preset.searches])
        if not path.exists():
            return fresh
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return fresh
        saved = data.get("searches") if isinstance(data, dict) else None
        if (
            data.get("preset") != preset.name
            or not isinstance(saved, list)
            or len(saved) != len(preset.searches)
            or any(s.get("params") != p for s, p in zip(saved, preset.searches, strict=True))
        ):
            return fresh  # another preset, or its searches changed: start again
        return cls(path, preset.name, saved)

    def save(self) -> None:
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        tmp.write_text(
            json.dumps({"preset": self.preset, "searches": self.searches}, indent=1),
            encoding="utf-8",
        )
        os.replace(tmp, self.path)


def _fresh(params: dict[str, str]) -> dict[str, Any]:
    return {"params": dict(params), "next": None, "pages": 0, "studies": 0, "total": None,
            "done": False}


@dataclass
class PresetRun:
    pages_fetched: int = 0
    pages_skipped: int = 0  # stored by an earlier run, not fetched again
    studies: int = 0
    restarted: int = 0  # searches started again because the saved token was refused
    totals: list[int | None] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    complete: bool = False


def run_preset(
    client: Any,
    preset: Preset,
    state_path: str | os.PathLike[str],
    store_page: Callable[[Page], None],
    *,
    page_size: int = 200,
    pacer: Pacer | None = None,
    retries: int = 4,
    backoff: float = 2.0,
    on_total: Callable[[int, int | None], None] | None = None,
    url: str = API_URL,
) -> PresetRun:
    """Fetch every search of ``preset``; ``store_page`` stores one page (it must have stored
    it when it returns: the state then moves past it). Returns what was done; a failed
    search is a problem and leaves the state where it stopped, for the next run."""
    state = _State.load(Path(state_path), preset)
    pacer = pacer if pacer is not None else Pacer()
    run = PresetRun(totals=[s.get("total") for s in state.searches])
    for i, search in enumerate(state.searches):
        run.pages_skipped += search["pages"]
        if search["done"]:
            continue
        start = search["next"]
        while True:
            try:
                for page in iter_pages(
                    client, search["params"], start_token=start, page_size=page_size,
                    pacer=pacer, retries=retries, backoff=backoff, search=i, url=url,
                ):
                    if page.total is not None:
                        search["total"] = run.totals[i] = page.total
                        if on_total:
                            on_total(i, page.total)
                    store_page(page)
                    search["pages"] += 1
                    search["studies"] += len(page.studies)
                    search["next"] = page.next_token
                    search["done"] = page.next_token is None
                    state.save()
                    run.pages_fetched += 1
                    run.studies += len(page.studies)
            except FetchError as exc:
                if start and exc.status is not None and 400 <= exc.status < 500:
                    # the saved token is no longer accepted: this search from its first page
                    run.restarted += 1
                    run.pages_skipped -= search["pages"]
                    state.searches[i] = search = _fresh(search["params"])
                    state.save()
                    start = None
                    continue
                run.problems.append(
                    {"name": f"{preset.name} search {i + 1} page {search['pages'] + 1}",
                     "reason": exc.reason}
                )
                return run
            break
    run.complete = True
    return run
