"""Web fixtures: one store per module and backend (SQLite, PostgreSQL), an in-process client.

The store is built once per test module from the fixture data, on each backend in turn, as the
``any_db_url`` fixture does for the store tests (PostgreSQL skips locally without
``CTATLAS_TEST_POSTGRES_URL`` and fails when ``CI=true``). Building per test would cost a
second each; the app only reads, so sharing it within a module is safe.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():  # starlette's TestClient warns about httpx at import time
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

FIXTURE_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "data"


def cartistem_atlas(dest: Path) -> Path:
    """The fixture data copied to ``dest`` with the curated Cartistem record of ``data/products``
    and, from the real list, the diseases its programs name that the fixture list lacks."""
    import shutil

    import yaml

    root = Path(__file__).resolve().parents[2]
    data = Path(shutil.copytree(root / "tests" / "fixtures" / "data", dest))
    shutil.copy(root / "data" / "products" / "cartistem.yaml", data / "products")
    fixture = yaml.safe_load((data / "diseases.yaml").read_text(encoding="utf-8"))
    real = yaml.safe_load((root / "data" / "diseases.yaml").read_text(encoding="utf-8"))
    product = yaml.safe_load((data / "products" / "cartistem.yaml").read_text(encoding="utf-8"))
    named = {
        d for p in product["programs"] for i in p.get("indications") or () for d in i["disease_ids"]
    }
    have = {d["id"] for d in fixture["diseases"]}
    fixture["diseases"] += [d for d in real["diseases"] if d["id"] in named - have]
    (data / "diseases.yaml").write_text(
        yaml.safe_dump(fixture, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return data


def _postgres_url() -> str | None:
    url = os.environ.get("CTATLAS_TEST_POSTGRES_URL")
    if not url and os.environ.get("CI") == "true":
        pytest.fail(
            "CI=true but CTATLAS_TEST_POSTGRES_URL is not set: .ci/run must start PostgreSQL"
        )
    return url


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store URL on each backend, built from the fixture data once per module."""
    from ctatlas.dataset import load_dataset
    from ctatlas.store import build_store

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'atlas.sqlite'}"
    else:
        url = _postgres_url() or ""
        if not url:
            pytest.skip("CTATLAS_TEST_POSTGRES_URL is not set (no PostgreSQL server for this run)")
    build_store(load_dataset(FIXTURE_DATA), url)
    return url


@pytest.fixture(scope="module")
def web_store(web_db_url: str):  # type: ignore[no-untyped-def]
    """A reader of that store."""
    from ctatlas.store import open_store

    return open_store(web_db_url)


@pytest.fixture(scope="module")
def app(web_store, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The app over the fixture store (no refresh: the store does not change), with no trials
    store (never the developer's: see test_trials.py for one)."""
    from ctatlas.web import create_app

    no_trials = tmp_path_factory.mktemp("no-trials") / "trials.sqlite"
    return create_app(store=web_store, trials_db=f"sqlite:///{no_trials}", refresh_seconds=0)


@pytest.fixture(scope="module")
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """An in-process client; server exceptions become responses (as they would live)."""
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
