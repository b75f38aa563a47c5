"""Every chart the atlas draws is valid Vega-Lite: the report's charts over the fixture
dataset and the trials listing's charts over real fixture trials, in each language (charts
are built without Altair's own check, which cost most of a /trials page)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatlas.dataset import Dataset

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "trials"


def _validate(spec: dict) -> None:
    import altair.vegalite.v6.schema.core as core
    from altair.utils.schemapi import validate_jsonschema

    validate_jsonschema(spec, core.load_schema())


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
def test_report_and_trials_charts_are_valid_vega_lite(
    report_dataset: Dataset, tmp_path: Path, lang: str
) -> None:
    from ctatlas.analysis import analyse, landscape_from_dataset
    from ctatlas.analysis.charts import all_charts
    from ctatlas.analysis.registries import trial_charts
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.store import TrialStore

    land = landscape_from_dataset(report_dataset)
    result = analyse(land)
    charts = all_charts(
        {t.id: t for t in result.tables},
        {f.id: f for f in result.findings},
        list(land.selected),
        lang,
    )
    store = TrialStore(f"sqlite:///{tmp_path / 'trials.sqlite'}")
    ingest([FIX / "ctgov_legacy", FIX / "ctgov"], store)
    charts += trial_charts(store.chart_counts(label=None), lang=lang)
    store.close()
    assert len(charts) >= 6
    for chart in charts:
        _validate(chart.spec)
    broken = dict(charts[0].spec, mark="no such mark")
    with pytest.raises(Exception, match="no such mark"):
        _validate(broken)
