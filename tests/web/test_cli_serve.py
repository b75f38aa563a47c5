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


def test_serve_on_a_busy_port_is_a_usage_error(tmp_path: Path) -> None:
    """A port another program holds: one clear line naming --port, exit 2 (usage), quickly."""
    import socket
    import subprocess
    import sys

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        held.listen(1)
        port = held.getsockname()[1]
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("ctatlas")),
                "serve",
                "--port",
                str(port),
                "--db",
                f"sqlite:///{tmp_path / 'atlas.sqlite'}",
                "--data",
                str(FIXTURE_DATA),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"Error: port {port} on 127.0.0.1 is already in use")
    assert "--port" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "atlas.sqlite").exists()  # refused before building anything


def test_serve_on_a_free_port_is_not_refused() -> None:
    from ctatlas.cli.serve import _cannot_listen

    assert _cannot_listen("127.0.0.1", 0) is None
    assert "--host" in (_cannot_listen("192.0.2.1", 8000) or "")  # TEST-NET: not ours
