"""The site's report download has the Pipeline chapter's registries part when a trials store
is loaded (as ``ctatlas report --trials-db``), on SQLite and PostgreSQL; a change to the trials
store makes a new report; without a store the part is absent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "trials"
PART_TABLES = ("pipeline_trials_store", "pipeline_trials_starts", "pipeline_trials_phases")


@pytest.fixture(scope="module")
def trials_url(web_db_url: str, web_store, tmp_path_factory, empty_trials) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.link import product_specs
    from ctatlas.trials.store import TrialStore

    url = empty_trials.url(web_db_url, tmp_path_factory.mktemp("report-trials"))
    store = TrialStore(url)
    ingest([FIX / "ctgov_legacy"], store, products=product_specs(web_store))
    store.close()
    yield url
    empty_trials.drop(url)


def _tables(html: str) -> set[str]:
    page = BeautifulSoup(html, "html.parser")
    return {el["id"] for el in page.select("[id]")}


def test_report_download_has_the_registries_part(web_store, trials_url: str) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from ctatlas.trials.store import TrialStore
    from ctatlas.web import create_app

    app = create_app(store=web_store, trials_db=trials_url, refresh_seconds=0)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/analysis/report.html")
        assert r.status_code == 200
        ids = _tables(r.text)
        assert all(any(t in i for i in ids) for t in PART_TABLES), sorted(ids)[:40]
        first = r.text
        assert "30" in BeautifulSoup(first, "html.parser").select_one(
            "[id*=pipeline_trials_store]").text  # the 30 legacy records
        xlsx = client.get("/analysis/report.xlsx")
        assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
        # the store changes: the next download counts the new records
        store = TrialStore(trials_url)
        ingest_cris(store)
        store.close()
        again = client.get("/analysis/report.html").text
        assert again != first
        store_part = BeautifulSoup(again, "html.parser").select_one("[id*=pipeline_trials_store]")
        assert "CRIS" in store_part.text or "cris" in store_part.text


def ingest_cris(store: Any) -> None:
    from ctatlas.trials.ingest import ingest

    ingest([FIX / "cris"], store)


def test_report_download_without_a_trials_store_has_no_registries_part(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/analysis/report.html")
    assert r.status_code == 200
    assert not any("pipeline_trials" in i for i in _tables(r.text))
