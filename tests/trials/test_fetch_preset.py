"""``trials fetch --preset jp-kr-cell``: paging, pacing, retries, resume, a refused token.

Served by httpx.MockTransport from API v2 page envelopes built from the real studies in the
fixtures (all sited in Japan, 17 also in Korea); the page tokens are made up here. No network.
"""

from __future__ import annotations

import json

import httpx
import pytest
from typer.testing import CliRunner

from ctatlas.cli import app
from ctatlas.trials.fetch import (
    API_URL,
    MAX_URL_CHARS,
    PRESETS,
    TOKEN_ROOM,
    FetchError,
    Pacer,
    code_searches,
    iter_pages,
    jp_kr_cell,
    page_items,
    run_preset,
)
from ctatlas.trials.ingest import ingest_items
from ctatlas.trials.store import TrialStore

from .conftest import real_studies

PRESET = PRESETS["jp-kr-cell"]


def _country_studies() -> dict[str, list[dict]]:
    studies = [s for s in real_studies() if "statusModule" in s.get("protocolSection", {})]

    def sited(s, country):
        locs = s["protocolSection"].get("contactsLocationsModule", {}).get("locations", [])
        return any(country in (loc.get("country") or "") for loc in locs)

    return {"Japan": [s for s in studies if sited(s, "Japan")],
            "Korea": [s for s in studies if sited(s, "Korea")]}


class Registry:
    """A fake API v2: pages per country, tokens 'Japan:1'…; records every request."""

    def __init__(self, page_size, fail=None, refuse=None):
        self.pages = {
            c: [ss[i : i + page_size] for i in range(0, len(ss), page_size)]
            for c, ss in _country_studies().items()
        }
        self.requests: list[dict] = []
        self.fail = dict(fail or {})  # token -> number of 503s still to give
        self.refuse = set(refuse or ())  # tokens answered 400 once (a saved token expired)

    def handler(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        self.requests.append(params)
        country = params["query.locn"]
        token = params.get("pageToken")
        if token in self.refuse:
            self.refuse.discard(token)  # a new walk gets new tokens (here: the same names)
            return httpx.Response(400, text="invalid pageToken")
        if self.fail.get(token or f"{country}:0", 0) > 0:
            self.fail[token or f"{country}:0"] -= 1
            return httpx.Response(503, text="Service Unavailable")
        n = int(token.split(":")[1]) if token else 0
        pages = self.pages[country]
        body: dict = {"studies": pages[n]}
        if n + 1 < len(pages):
            body["nextPageToken"] = f"{country}:{n + 1}"
        if params.get("countTotal") == "true":
            body["totalCount"] = sum(len(p) for p in pages)
        return httpx.Response(200, json=body)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handler))


def _storer(store):
    def store_page(page):
        ingest_items(page_items(page, f"p{page.search}.{page.number}"), store)

    return store_page


def _content(store) -> list[tuple]:
    return sorted(
        (t["trial_id"], t["label"], tuple(t["countries"])) for t in store.query(limit=10_000)
    )


@pytest.fixture
def stores(tmp_path):
    opened = []

    def make(name):
        s = TrialStore(f"sqlite:///{tmp_path / name}")
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()


def test_the_preset_searches_japan_then_korea_for_cell_therapy_words():
    assert [s["query.locn"] for s in PRESET.searches] == ["Japan", "Korea"]
    term = PRESET.searches[0]["query.term"]
    for word in ('"cell therapy"', "mesenchymal", '"chimeric antigen receptor"',
                 '"natural killer"', '"induced pluripotent"', '"stem cell"'):
        assert word in term.split(" OR ")


def test_an_uninterrupted_run_pages_every_search(stores, tmp_path):
    reg = Registry(page_size=7)
    store = stores("a.sqlite")
    totals = {}
    with reg.client() as client:
        run = run_preset(client, PRESET, tmp_path / "state.json", _storer(store), page_size=7,
                         pacer=Pacer(rate=0), on_total=totals.__setitem__)
    jp, kr = _country_studies()["Japan"], _country_studies()["Korea"]
    assert run.complete and not run.problems
    assert run.pages_fetched == len(reg.pages["Japan"]) + len(reg.pages["Korea"])
    assert totals == {0: len(jp), 1: len(kr)}
    # first pages ask for the count, later ones follow nextPageToken
    assert reg.requests[0].get("countTotal") == "true" and "pageToken" not in reg.requests[0]
    assert reg.requests[1]["pageToken"] == "Japan:1" and reg.requests[1]["pageSize"] == "7"
    # studies sited in both countries are stored once
    assert len(_content(store)) == len({s["protocolSection"]["identificationModule"]["nctId"]
                                        for s in jp + kr})
    # a finished run, run again, fetches nothing
    with reg.client() as client:
        again = run_preset(client, PRESET, tmp_path / "state.json", _storer(store), page_size=7,
                           pacer=Pacer(rate=0))
    assert again.complete and again.pages_fetched == 0 and again.pages_skipped == run.pages_fetched


def test_an_interrupted_run_resumes_without_refetching_stored_pages(stores, tmp_path):
    whole = stores("whole.sqlite")
    with Registry(page_size=7).client() as client:
        run_preset(client, PRESET, tmp_path / "whole.json", _storer(whole), page_size=7,
                   pacer=Pacer(rate=0))

    broken = Registry(page_size=7, fail={"Japan:3": 99})  # page 4 of Japan keeps failing
    store = stores("resumed.sqlite")
    state = tmp_path / "state.json"
    with broken.client() as client:
        first = run_preset(client, PRESET, state, _storer(store), page_size=7,
                           pacer=Pacer(rate=0), retries=1, backoff=0)
    assert not first.complete and "HTTP 503" in first.problems[0]["reason"]
    assert first.pages_fetched == 3
    saved = json.loads(state.read_text())
    assert saved["searches"][0]["next"] == "Japan:3" and saved["searches"][0]["pages"] == 3

    reg = Registry(page_size=7)
    with reg.client() as client:
        second = run_preset(client, PRESET, state, _storer(store), page_size=7,
                            pacer=Pacer(rate=0))
    assert second.complete and second.pages_skipped == 3
    asked = [(r["query.locn"], r.get("pageToken")) for r in reg.requests]
    assert ("Japan", None) not in asked and ("Japan", "Japan:1") not in asked
    assert asked[0] == ("Japan", "Japan:3")
    assert _content(store) == _content(whole)


def test_a_refused_token_starts_that_search_again(stores, tmp_path):
    whole = stores("whole.sqlite")
    with Registry(page_size=7).client() as client:
        run_preset(client, PRESET, tmp_path / "whole.json", _storer(whole), page_size=7,
                   pacer=Pacer(rate=0))
    store = stores("s.sqlite")
    state = tmp_path / "state.json"
    with Registry(page_size=7, fail={"Korea:1": 99}).client() as client:
        run_preset(client, PRESET, state, _storer(store), page_size=7, pacer=Pacer(rate=0),
                   retries=0)
    reg = Registry(page_size=7, refuse={"Korea:1"})  # the saved token has expired
    with reg.client() as client:
        run = run_preset(client, PRESET, state, _storer(store), page_size=7,
                         pacer=Pacer(rate=0))
    assert run.complete and run.restarted == 1
    korea = [r.get("pageToken") for r in reg.requests if r["query.locn"] == "Korea"]
    assert korea[:2] == ["Korea:1", None]  # refused, then from the first page
    assert ("Japan" not in {r["query.locn"] for r in reg.requests})  # Japan was finished
    assert _content(store) == _content(whole)


def test_retries_back_off_and_honour_retry_after():
    slept: list[float] = []
    pacer = Pacer(rate=0, sleep=slept.append)
    answers = [httpx.Response(503), httpx.Response(429, headers={"Retry-After": "7"}),
               httpx.Response(200, json={"studies": [{"x": 1}]})]
    transport = httpx.MockTransport(lambda r: answers.pop(0))
    with httpx.Client(transport=transport) as client:
        pages = list(iter_pages(client, {"query.term": "x"}, pacer=pacer, backoff=2.0))
    assert len(pages) == 1 and pages[0].studies == [{"x": 1}]
    assert slept == [2.0, 7.0]

    # a timeout is retried too; a 404 is not
    calls = []

    def flaky(request):
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectTimeout("slow", request=request)
        return httpx.Response(404, text="no such endpoint")

    with httpx.Client(transport=httpx.MockTransport(flaky)) as client, pytest.raises(
        FetchError, match="HTTP 404"
    ) as err:
        list(iter_pages(client, {"query.term": "x"}, pacer=Pacer(rate=0, sleep=slept.append)))
    assert err.value.status == 404 and len(calls) == 2


def test_pacing_keeps_to_the_rate():
    now = [0.0]
    slept: list[float] = []

    def sleep(s):
        slept.append(round(s, 3))
        now[0] += s

    pacer = Pacer(rate=2.0, sleep=sleep, clock=lambda: now[0])
    for _ in range(3):
        pacer.wait()
        now[0] += 0.1  # the request itself
    assert slept == [0.4, 0.4]


def test_the_command_runs_the_preset_and_resumes(tmp_path, monkeypatch):
    import ctatlas.cli.trials as cli

    db = str(tmp_path / "trials.sqlite")
    broken = Registry(page_size=10, fail={"Japan:2": 99})
    monkeypatch.setattr(cli, "_client", broken.client)
    runner = CliRunner()
    args = ["trials", "fetch", "--preset", "jp-kr-cell", "--page-size", "10", "--rate", "0",
            "--retries", "0", "--db", db, "-q"]
    r = runner.invoke(app, args)
    assert r.exit_code == 3, r.output  # partial: a page failed
    assert "not finished: run again to resume" in r.output
    assert (tmp_path / "trials.sqlite.fetch-jp-kr-cell.json").exists()

    reg = Registry(page_size=10)
    monkeypatch.setattr(cli, "_client", reg.client)
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "2 already stored" in r.output
    assert reg.requests[0]["pageToken"] == "Japan:2"
    store = TrialStore(f"sqlite:///{db}")
    try:
        assert len(_content(store)) == len(
            {s["protocolSection"]["identificationModule"]["nctId"]
             for ss in _country_studies().values() for s in ss}
        )
    finally:
        store.close()
    r = runner.invoke(app, ["trials", "fetch", "--preset", "moon", "--db", db])
    assert r.exit_code == 2
    r = runner.invoke(app, ["trials", "fetch", "--preset", "jp-kr-cell", "--query", "x",
                            "--db", db])
    assert r.exit_code == 2
    r = runner.invoke(app, ["trials", "fetch", "--preset", "jp-kr-cell", "--max-pages", "1",
                            "--db", db])
    assert r.exit_code == 2


# --------------------------------------------------------------------------- development codes


def _atlas_codes() -> tuple[str, ...]:
    from pathlib import Path

    from ctatlas.dataset import load_dataset
    from ctatlas.trials.atlas_terms import cell_terms

    return cell_terms(load_dataset(Path(__file__).resolve().parents[2] / "data")).codes


def test_the_atlas_codes_are_of_cell_therapies_only():
    from pathlib import Path

    from ctatlas.dataset import load_dataset
    from ctatlas.trials.atlas_terms import CELL_MODALITIES

    codes = set(_atlas_codes())
    data = load_dataset(Path(__file__).resolve().parents[2] / "data")
    cell = {c for p in data.products if p.modality in CELL_MODALITIES for c in p.codes}
    other = {c for p in data.products if p.modality not in CELL_MODALITIES for c in p.codes}
    assert codes and codes <= cell
    assert not codes & (other - cell)  # a gene therapy's codes are never searched
    assert {"EN001", "CS20AT04"} <= codes  # code-only Korean MSC products (held-out half A)


@pytest.mark.parametrize("max_url", [MAX_URL_CHARS, 600])
def test_code_searches_cover_every_code_in_short_urls(max_url):
    codes = _atlas_codes()
    searches = code_searches(codes, max_url=max_url)
    for country in ("Japan", "Korea"):
        mine = [s for s in searches if s["query.locn"] == country]
        asked = [t for s in mine for t in s["query.term"].split(" OR ")]
        # every code once per country, as an exact phrase
        assert sorted(asked) == sorted({f'"{" ".join(c.split())}"' for c in codes})
        for s in mine:
            params = {"format": "json", "pageSize": 1000, **s, "pageToken": "x" * TOKEN_ROOM}
            assert len(str(httpx.URL(API_URL, params=params))) <= max_url
    # Japan's batches first, then Korea's; a shorter limit only makes more batches
    assert [s["query.locn"] for s in searches] == sorted(
        (s["query.locn"] for s in searches), key=["Japan", "Korea"].index
    )
    assert len(searches) >= (4 if max_url == 600 else 2)
    # the preset runs the cell words first, then the codes
    full = jp_kr_cell(codes)
    assert full.searches[:2] == PRESET.searches
    assert full.searches[2:] == code_searches(codes)


class TermRegistry(Registry):
    """A fake API v2 that answers ``query.term`` as the API would, roughly: a study is found
    when its record contains one of the OR'ed phrases (case-insensitive)."""

    def __init__(self, page_size):
        super().__init__(page_size)
        self.page_size = page_size
        self.by_country = _country_studies()

    def handler(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        self.requests.append(params)
        phrases = [t.strip('"').lower() for t in params["query.term"].split(" OR ")]
        found = [
            s for s in self.by_country[params["query.locn"]]
            if any(p in json.dumps(s).lower() for p in phrases)
        ]
        n = int(params["pageToken"].rsplit(":", 1)[1]) if params.get("pageToken") else 0
        pages = [found[i : i + self.page_size] for i in range(0, len(found), self.page_size)]
        body: dict = {"studies": pages[n] if pages else []}
        if n + 1 < len(pages):
            body["nextPageToken"] = f"{params['query.term'][:8]}:{n + 1}"
        if params.get("countTotal") == "true":
            body["totalCount"] = len(found)
        return httpx.Response(200, json=body)


def test_a_study_named_only_by_a_code_is_fetched(stores, tmp_path):
    # No real Japan- or Korea-sited study in the fixtures names an atlas cell code without a
    # cell word, so one real study's own code stands in: FPA144 (NCT05913115, sited in Japan),
    # whose record names no cell-therapy word. The atlas's codes ride along in the batches.
    codes = (*_atlas_codes(), "FPA144")
    reg = TermRegistry(page_size=5)
    store = stores("codes.sqlite")
    with reg.client() as client:
        run = run_preset(client, jp_kr_cell(codes), tmp_path / "state.json", _storer(store),
                         page_size=5, pacer=Pacer(rate=0))
    assert run.complete and not run.problems
    stored = {t[0] for t in _content(store)}
    assert "NCT05913115" in stored
    # without the codes the words alone do not find it
    words_only = stores("words.sqlite")
    with TermRegistry(page_size=5).client() as client:
        run_preset(client, PRESET, tmp_path / "state-words.json", _storer(words_only),
                   page_size=5, pacer=Pacer(rate=0))
    assert "NCT05913115" not in {t[0] for t in _content(words_only)}
    # every code request stayed within the URL limit
    for params in reg.requests:
        assert len(str(httpx.URL(API_URL, params=params))) <= MAX_URL_CHARS


def test_the_command_searches_the_atlas_codes(tmp_path, monkeypatch):
    import ctatlas.cli.trials as cli

    reg = TermRegistry(page_size=50)
    monkeypatch.setattr(cli, "_client", reg.client)
    r = CliRunner().invoke(app, ["trials", "fetch", "--preset", "jp-kr-cell", "--rate", "0",
                                 "--db", str(tmp_path / "trials.sqlite"), "-q"])
    assert r.exit_code == 0, r.output
    asked = {t for p in reg.requests for t in p["query.term"].split(" OR ")}
    assert '"EN001"' in asked and '"CS20AT04"' in asked
    assert {p["query.locn"] for p in reg.requests} == {"Japan", "Korea"}
