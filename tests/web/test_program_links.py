"""Trials link to development programs: a trial naming a program's therapy among its
interventions belongs to the program of its country (or to one that lists its id); the trial
pages show the programs, a product page lists each program's linked trials.

The atlas is the fixture data with the curated Cartistem record of ``data/products`` (its
programs in Japan, the United States and Korea: in Korea the approved knee product and the
ankle phase 3, which lists its trial NCT04310215) and the diseases it names; the trials are
the real ClinicalTrials.gov rows of ``tests/fixtures/trials/ctgov_legacy`` (four Cartistem
trials sited in Korea, one in the United States)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from .conftest import cartistem_atlas

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"
KOREA = {"NCT01041001", "NCT02755376", "NCT04310215", "NCT01626677"}
ANKLE = "NCT04310215"
US = "NCT01733186"


@pytest.fixture(scope="module")
def atlas_data(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    return cartistem_atlas(tmp_path_factory.mktemp("atlas") / "data")


@pytest.fixture(scope="module")
def therapies(atlas_data: Path) -> list[dict[str, Any]]:
    from ctatlas.dataset import load_dataset

    return [p.model_dump(mode="json") for p in load_dataset(atlas_data).products]


def _program(therapies: list[dict[str, Any]], jurisdiction: str, stage: str | None = None) -> int:
    doc = next(d for d in therapies if d["slug"] == "cartistem")
    found = [
        i
        for i, p in enumerate(doc["programs"])
        if p["jurisdiction"] == jurisdiction and stage in (None, p["stage"])
    ]
    assert len(found) == 1
    return found[0]


def test_a_trial_naming_the_therapy_belongs_to_the_program_of_its_country(therapies) -> None:  # type: ignore[no-untyped-def]
    from ctatlas.trials.evaluate import load_fixture_trials
    from ctatlas.trials.program_links import ProgramLinker

    linker = ProgramLinker(therapies)
    trials = {k[1]: t for k, t in load_fixture_trials(FIX / "trials").items()}

    def links(trial_id: str, **change: Any) -> list[tuple[str, int]]:
        t = trials[trial_id]
        row = {
            "trial_id": t.trial_id,
            "secondary_ids": t.secondary_ids,
            "countries": t.countries,
            "interventions": t.interventions,
            **change,
        }
        return [(p["slug"], p["program"]) for p in linker.links(row)]

    kr, us = _program(therapies, "KR", "approved"), _program(therapies, "US")
    ankle = _program(therapies, "KR", "phase3")
    # a Korean trial naming the therapy: both Korean programs (the country does not tell the
    # knee from the ankle); the ankle trial is also the one its program lists
    for tid in KOREA:
        assert links(tid) == sorted([("cartistem", kr), ("cartistem", ankle)]), tid
    assert links(ANKLE, interventions=[]) == [("cartistem", ankle)]
    # a trial its program lists links there even when its interventions say nothing (the knee
    # program lists its pivotal phase 3); one no program lists and that names nothing links nowhere
    assert links("NCT01041001", interventions=[]) == [("cartistem", kr)]
    assert links("NCT02755376", interventions=[]) == []
    assert links(US) == [("cartistem", us)]
    # no country, and the therapy has programs in several: which one is not known
    assert links(US, countries=[]) == []
    # named only in the title, or in no country where it has a program: no program
    assert links(US, interventions=[]) == []
    assert links(US, countries=["DE"]) == []
    # a program that lists the trial's id links it whatever the record names
    from ctatlas.trials.program_links import ProgramLinker as PL

    listed = [dict(d) for d in therapies]
    cartistem = next(d for d in listed if d["slug"] == "cartistem")
    cartistem["programs"] = [dict(p) for p in cartistem["programs"]]
    cartistem["programs"][0]["trial_ids"] = [US]
    row = {"trial_id": US, "countries": ["US"], "interventions": []}
    assert [(p["slug"], p["program"]) for p in PL(listed).links(row)] == [("cartistem", 0)]


@pytest.fixture(scope="module")
def client(atlas_data: Path, tmp_path_factory) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from ctatlas.dataset import load_dataset
    from ctatlas.store import build_store, open_store
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.link import product_specs
    from ctatlas.trials.store import TrialStore
    from ctatlas.web import create_app

    folder = tmp_path_factory.mktemp("program-links")
    atlas_url = f"sqlite:///{folder / 'atlas.sqlite'}"
    build_store(load_dataset(atlas_data), atlas_url)
    atlas = open_store(atlas_url)
    trials_url = f"sqlite:///{folder / 'trials.sqlite'}"
    store = TrialStore(trials_url)
    ingest([FIX / "trials" / "ctgov_legacy"], store, products=product_specs(atlas))
    store.close()
    app = create_app(store=atlas, trials_db=trials_url, refresh_seconds=0)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _soup(client: Any, path: str) -> BeautifulSoup:
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]
    return BeautifulSoup(r.text, "html.parser")


def test_trial_pages_show_the_programs(client, therapies) -> None:  # type: ignore[no-untyped-def]
    us = _program(therapies, "US")
    page = _soup(client, f"/trials/{US}")
    links = page.select("#trial-programs a.program-link")
    assert [a["href"] for a in links] == [f"/products/cartistem#program-{us}"]
    cell = page.select_one("#trial-programs").text
    assert "United States" in cell and "Phase 3" in cell
    page = _soup(client, f"/trials/{US}?lang=ja")
    assert "米国" in page.select_one("#trial-programs").text
    listing = _soup(client, "/trials?product=cartistem&label=all")
    rows = {tr["data-trial"]: tr for tr in listing.select("#trials tbody tr[data-trial]")}
    assert set(rows) == KOREA | {US}
    assert all(tr.select_one("td.programs a.program-link") for tr in rows.values())


def test_product_page_lists_each_programs_trials(client, therapies) -> None:  # type: ignore[no-untyped-def]
    page = _soup(client, "/products/cartistem")
    kr, us = _program(therapies, "KR", "approved"), _program(therapies, "US")
    ankle = _program(therapies, "KR", "phase3")
    for index in (kr, ankle):
        korea = page.select_one(f"section#program-{index} td.program-trials")
        assert {a.text for a in korea.select("a.trial-page")} == KOREA
        assert all(a["href"] == f"/trials/{a.text}" for a in korea.select("a.trial-page"))
    usa = page.select_one(f"section#program-{us} td.program-trials")
    assert [a.text for a in usa.select("a.trial-page")] == [US]
    # the Japanese programs have no trial in this store
    for i, p in enumerate(next(d for d in therapies if d["slug"] == "cartistem")["programs"]):
        if p["jurisdiction"] == "JP":
            assert page.select_one(f"section#program-{i} td.program-trials") is None
