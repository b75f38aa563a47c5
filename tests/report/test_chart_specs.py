"""Every chart is valid Vega-Lite. The report builds specs without Altair's schema check (it was
a tenth of the HTML report's time); this test builds them all with the check on."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatlas.analysis import charts

REPORT_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "report"


def test_every_chart_is_valid_vega_lite(monkeypatch: pytest.MonkeyPatch) -> None:
    from ctatlas.analysis import landscape_from_dataset
    from ctatlas.dataset import load_dataset
    from ctatlas.report import build_report

    monkeypatch.setattr(charts, "VALIDATE_SPECS", True)
    report = build_report(landscape_from_dataset(load_dataset(REPORT_DATA)))
    assert len(report.charts) >= 5
    for chart in report.charts:
        assert chart.spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


def test_an_invalid_spec_is_caught_when_the_check_is_on(monkeypatch: pytest.MonkeyPatch) -> None:
    import altair as alt

    monkeypatch.setattr(charts, "VALIDATE_SPECS", True)
    bad = alt.Chart(alt.Data(values=[{"a": 1}])).mark_bar().encode(x=alt.X("a:Q", bin="yes"))
    with pytest.raises(Exception, match="bin"):
        charts._spec(bad)


def test_the_report_speed_benchmark_runs(tmp_path: Path) -> None:
    """A small run of benchmarks/report_speed.py (no timing is asserted)."""
    import os
    import subprocess
    import sys

    bench = Path(__file__).resolve().parents[2] / "benchmarks" / "report_speed.py"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTATLAS_")}
    out = subprocess.run(
        [sys.executable, str(bench), "--data", str(REPORT_DATA), "--runs", "1"]
        + ["--formats", "html,pdf"],
        capture_output=True, text=True, timeout=600, env=env, check=True,
    ).stdout
    assert "html  cold:" in out and "process tree peak" in out
    assert "html in one process" in out and "analysis" in out
    assert "pdf   cold:" in out and "layout floor: WeasyPrint alone" in out
    assert "cold PDF / layout floor:" in out
