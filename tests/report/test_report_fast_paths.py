"""The HTML report's fast paths (issue 20) change nothing a reader gets: charts built without
Altair's schema checks (``charts.VALIDATE_SPECS`` off, as at run time) give the same bytes as
with every check on, and a quiet report loads neither the pydantic models nor rich."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ctatlas.analysis import charts

REPORT_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "report"


def _html(tmp_path: Path, name: str) -> bytes:
    from ctatlas.analysis import landscape_from_dataset
    from ctatlas.dataset import load_dataset
    from ctatlas.report import build_report, render

    report = build_report(landscape_from_dataset(load_dataset(REPORT_DATA)))
    report.generated = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)
    out = tmp_path / name
    render(report, "html", out)
    return out.read_bytes()


def test_unchecked_charts_give_the_same_report_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from altair.utils import schemapi

    fast = _html(tmp_path, "fast.html")
    assert not schemapi.DEBUG_MODE  # Altair's check of each object as it is made: off
    monkeypatch.setattr(charts, "VALIDATE_SPECS", True)
    checked = _html(tmp_path, "checked.html")
    assert schemapi.DEBUG_MODE  # every object checked as it is made
    assert len(fast) > 100_000
    assert fast.count(b'"$schema"') >= 5  # the charts are in it
    assert fast == checked


def test_a_quiet_report_loads_neither_the_models_nor_rich(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'atlas.sqlite'}"
    out = tmp_path / "r.html"
    script = (
        "import sys\n"
        "from ctatlas.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "loaded = sorted(m for m in ('ctatlas.model', 'rich.console') if m in sys.modules)\n"
        "print('LOADED', loaded)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTATLAS_")}
    base = [sys.executable, "-c", script, "--db", db, "--data", str(REPORT_DATA)]
    subprocess.run([*base, "build"], check=True, env=env, capture_output=True, timeout=300)
    ran = subprocess.run(
        [*base, "report", "-q", "-f", "html", "-o", str(out)],
        check=True, env=env, capture_output=True, text=True, timeout=300,
    )
    assert out.stat().st_size > 100_000
    assert "LOADED []" in ran.stdout, ran.stdout
