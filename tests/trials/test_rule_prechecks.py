"""The cheap first checks in front of the summary-wide patterns of rules 16.9 (a study that
gives something else "around the cells", a thing "under investigation"): a summary that
cannot hold a match is not searched, and every answer is the one the patterns give alone.

The hostile summary is the shape that made the "around the cells" pattern cost 30-50 ms on
20,000 characters (verbs and time words everywhere, no cell therapy after them), put into a
real fixture study, as ``test_bounded_work.py`` does; no timing is asserted: the test counts
the pattern's runs.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from ctatlas.trials import classify_infer
from ctatlas.trials.classify import classify
from ctatlas.trials.ctgov import normalise_study
from ctatlas.trials.fastre import without_literal_tests

from .conftest import real_studies

HOSTILE = ("use the drug after the surgery before using the device " * 400)[:20_000]


class _Counting:
    """Wraps a compiled pattern; counts the texts its ``finditer`` is given."""

    def __init__(self, rx: re.Pattern[str]) -> None:
        self.rx, self.calls = rx, 0

    def finditer(self, text: str, *args: Any):
        self.calls += 1
        return self.rx.finditer(text, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rx, name)


def _car_t_study(summary: str):
    """A real study whose one intervention is made a generic CAR-T, with ``summary``."""
    study = json.loads(json.dumps(
        next(s for s in real_studies() if "descriptionModule" in s["protocolSection"])
    ))
    study["protocolSection"]["armsInterventionsModule"]["interventions"] = [
        {"type": "BIOLOGICAL", "name": "CD19 CAR-T cells"}
    ]
    study["protocolSection"]["descriptionModule"]["briefSummary"] = summary
    return normalise_study(study)


def _answer(t):
    # the rules' answer: the wording model would take this made-up summary's label away
    c = classify(t, wording=False)
    return (c.label, c.cell_family, c.origin, c.evidence)


@pytest.mark.parametrize(
    ("summary", "searched"),
    [
        (HOSTILE, False),  # time words, no cell therapy after them
        (HOSTILE.replace("after", "with"), False),  # no time word at all
        # the real sentence of NCT05574114's shape: the pattern must run, and it matches
        (HOSTILE[:15_000] + " This study will use radiation therapy before CAR T-cell therapy.",
         True),
    ],
)
def test_the_around_the_cells_pattern_runs_only_where_it_can_match(
    summary, searched, monkeypatch
):
    counter = _Counting(classify_infer.AROUND_CELLS)
    monkeypatch.setattr(classify_infer, "AROUND_CELLS", counter)
    t = _car_t_study(summary)
    fast = _answer(t)
    assert (counter.calls > 0) is searched
    with without_literal_tests():  # the pattern on every summary: the same answer
        assert _answer(t) == fast
    assert counter.calls > 0
    if searched:
        assert fast[0] == "not_cell"
        assert fast[3][0]["rule"] == "negative.setting"
    else:
        assert fast[0] == "cell_therapy"


def test_the_under_investigation_pattern_runs_only_where_it_can_match(monkeypatch):
    counter = _Counting(classify_infer.INVESTIGATED_OTHER)
    monkeypatch.setattr(classify_infer, "INVESTIGATED_OTHER", counter)
    _answer(_car_t_study(HOSTILE))
    assert counter.calls == 0
    t = _car_t_study(
        HOSTILE[:10_000] + " 68Ga-NOTA-BCMA is a novel, targeted PET tracer under clinical "
        "investigation."
    )
    assert _answer(t)[0] == "not_cell"
    assert counter.calls == 1
