"""``ctatlas serve``: builds the store when needed, then hands uvicorn a warmed app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ctatlas.cli import app

FIXTURE_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "data"


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    import uvicorn

    calls: dict[str, Any] = {}

    def fake_run(target: Any, **kwargs: Any) -> None:
        calls["target"], calls["kwargs"] = target, kwargs

    monkeypatch.setattr(uvicorn, "run", fake_run)
    return calls


def test_serve_builds_and_runs(
    runner: CliRunner, sqlite_url: str, captured: dict[str, Any]
) -> None:
    result = runner.invoke(
        app,
        ["serve", "--db", sqlite_url, "--data", str(FIXTURE_DATA), "--port", "8123"],
    )
    assert result.exit_code == 0, result.output
    assert "at http://127.0.0.1:8123/" in result.stderr
    kwargs = captured["kwargs"]
    assert (kwargs["host"], kwargs["port"]) == ("127.0.0.1", 8123)
    from fastapi import FastAPI

    web = captured["target"]
    assert isinstance(web, FastAPI)
    snap = web.state.atlas.current()
    assert len(snap.products()) == 6
    assert "stats" in snap._derived  # warmed before the first request


def test_serve_workers_use_the_factory(
    runner: CliRunner, sqlite_url: str, captured: dict[str, Any], monkeypatch
) -> None:
    # serve sets these for its worker processes: make sure they are undone after the test
    monkeypatch.setenv("CTATLAS_DB", "unset")
    monkeypatch.setenv("CTATLAS_DATA", "unset")
    result = runner.invoke(
        app, ["serve", "--db", sqlite_url, "--data", str(FIXTURE_DATA), "--workers", "2"]
    )
    assert result.exit_code == 0, result.output
    assert captured["target"] == "ctatlas.web.app:served_app"
    assert captured["kwargs"]["factory"] is True and captured["kwargs"]["workers"] == 2


def test_serve_bad_data_is_one_line(runner: CliRunner, sqlite_url: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--db", sqlite_url, "--data", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: data folder not found")


def test_serve_redacts_passwords() -> None:
    from ctatlas.cli.serve import _redact

    assert _redact("postgresql://me:secret@db:5432/atlas") == "postgresql://me@db:5432/atlas"
    assert _redact("sqlite:///x.sqlite") == "sqlite:///x.sqlite"


def test_serve_help(runner: CliRunner) -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--db"):
        assert option in result.output
