"""Shared fixtures: a clean environment, a copy of the small real fixture dataset, a CLI runner."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_DATA = FIXTURES / "data"
REPO_DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(autouse=True)
def clean_environ(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test sees the developer's stores or settings; each gets its own CTATLAS_HOME."""
    for name in list(os.environ):
        if name.startswith("CTATLAS_") and name != "CTATLAS_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("CTATLAS_HOME", str(tmp_path_factory.mktemp("home")))
    from ctatlas.cli.common import STATE

    STATE.db = STATE.data = None


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture dataset."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    """Typer's runner (stdout and stderr kept apart)."""
    return CliRunner()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file URL."""
    return f"sqlite:///{tmp_path / 'atlas.sqlite'}"


def postgres_url() -> str | None:
    """The test PostgreSQL server's URL, or None; in CI its absence is a failure."""
    url = os.environ.get("CTATLAS_TEST_POSTGRES_URL")
    if not url and os.environ.get("CI") == "true":
        pytest.fail(
            "CI=true but CTATLAS_TEST_POSTGRES_URL is not set: .ci/run must start PostgreSQL"
        )
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL for store tests (skips locally without a server)."""
    url = postgres_url()
    if not url:
        pytest.skip("CTATLAS_TEST_POSTGRES_URL is not set (no PostgreSQL server for this run)")
    yield url


@pytest.fixture(params=["sqlite", "postgres"])
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'atlas.sqlite'}"
    url = postgres_url()
    if not url:
        pytest.skip("CTATLAS_TEST_POSTGRES_URL is not set (no PostgreSQL server for this run)")
    return url


class EmptyTrials:
    """Empty trials stores for tests: a file in ``folder`` on SQLite; on PostgreSQL the
    database's trials schema, dropped first (and again by :meth:`drop` afterwards)."""

    def url(self, db_url: str, folder: Path) -> str:
        if db_url.startswith("sqlite"):
            return f"sqlite:///{folder / 'trials.sqlite'}"
        from ctatlas.config import normalise_url

        url = normalise_url(db_url)
        self.drop(url)
        return url

    @staticmethod
    def drop(url: str) -> None:
        if url.startswith("sqlite"):
            return
        import sqlalchemy as sa

        from ctatlas.trials.store import SCHEMA_PG

        engine = sa.create_engine(url)
        try:
            with engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{SCHEMA_PG}" CASCADE'))
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def empty_trials() -> EmptyTrials:
    """Empty trials stores on either backend (see :class:`EmptyTrials`)."""
    return EmptyTrials()


# Bounded property-test profiles: CI runs a fixed, modest number of examples.
from hypothesis import settings as _settings  # noqa: E402

_settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True)
_settings.register_profile("dev", max_examples=25, deadline=None)
_settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")
