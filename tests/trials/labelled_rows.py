"""What the class tests share: the labelled studies of the sets they may read, found by trial
id, and short records written for a test in a registry's shape.

Each set is loaded once per test session and kept (the class tests only classify these
records; :func:`~ctatlas.trials.classify.classify` does not change them). Held-out set 5 was
spent in session 13 (its errors read at rules 16.18), held-out set 6 in session 14 (its errors
read at rules 16.19), half B of held-out set 4 in session 14 after its final figure (its errors
read at rules 16.22) and held-out set 7 in session 15 after its final figure (its errors read at
rules 16.23): all four are readable. A held-out set that is still judging is never loaded here.
"""

from __future__ import annotations

import csv
from functools import cache

from ctatlas.trials.classify import classify
from ctatlas.trials.evaluate import (
    TUNING_SETS,
    load_fixture_trials,
    load_heldout,
    load_heldout2,
    load_heldout3,
    load_heldout4,
    load_heldout5,
    load_heldout6,
    load_heldout7,
    load_tuning,
)
from ctatlas.trials.record import Trial

from .conftest import FIX

Pair = tuple[dict[str, str], Trial]

#: the sets a class test may read, by the name it uses for them
READABLE = ("dev", "heldout", "heldout2", "heldout3", "heldout3A", "heldout3B", "heldout4A",
            "heldout4B", "heldout5", "heldout6", "heldout7", *TUNING_SETS)


@cache
def labelled(where: str) -> dict[str, Pair]:
    """(label row, record) by trial id of every study of one readable set: ``dev`` (the
    development set), ``heldout`` (the first held-out set, both halves, spent), ``heldout2``
    (spent), ``heldout3`` or its half ``heldout3A`` / ``heldout3B`` (both spent), ``heldout4A``
    (half A of held-out set 4, spent), ``heldout4B`` (half B, spent in session 14),
    ``heldout5`` (held-out set 5, whole, spent), ``heldout6``
    (held-out set 6, whole, spent), ``heldout7`` (held-out set 7, whole, spent in session 15),
    or a tuning set's name."""
    if where == "dev":
        trials = load_fixture_trials(FIX)
        with open(FIX / "labelled_trials.csv", newline="") as fh:
            pairs = [(r, trials[(r["source"], r["trial_id"])]) for r in csv.DictReader(fh)]
    elif where == "heldout":
        pairs = load_heldout(FIX)
    elif where == "heldout2":
        pairs = load_heldout2(FIX)
    elif where in ("heldout3", "heldout3A", "heldout3B"):
        pairs = load_heldout3(FIX, half=where[len("heldout3"):] or None)
    elif where in ("heldout4A", "heldout4B"):
        pairs = load_heldout4(FIX, half=where[-1])
    elif where == "heldout5":
        pairs = load_heldout5(FIX)
    elif where == "heldout6":
        pairs = load_heldout6(FIX)
    elif where == "heldout7":
        pairs = load_heldout7(FIX)
    elif where in TUNING_SETS:
        pairs = load_tuning(FIX, where)
    else:
        raise ValueError(f"{where!r} is not a set a class test may read ({', '.join(READABLE)})")
    return {r["trial_id"]: (r, t) for r, t in pairs}


def study(trial_id: str, *wheres: str) -> Pair:
    """(label row, record) of ``trial_id`` in the first of the sets ``wheres`` that holds it."""
    for where in wheres:
        if trial_id in (rows := labelled(where)):
            return rows[trial_id]
    raise KeyError(f"{trial_id} is in none of {', '.join(wheres)}")


def trial(
    title: str,
    interventions=(),
    summary: str = "",
    study_type: str | None = None,
    conditions=(),
) -> Trial:
    """A record written for a test: a title, ``(type, name)`` interventions (type "" where a
    flattened row has none), a summary, a study type and conditions."""
    return Trial(
        source="ctgov", registry="ctgov", trial_id="NCT00000000", title=title, summary=summary,
        study_type=study_type, conditions=list(conditions),
        interventions=[
            {"type": t, "name": n, "description": "", "other_names": []} for t, n in interventions
        ],
    )


def rules(c) -> list[str]:
    """The rules that decided a classification, in order."""
    return [e["rule"] for e in c.evidence]


def label(t: Trial, terms) -> str:
    return classify(t, terms=terms).label


def keeps(row: dict[str, str], t: Trial, terms, family: bool = False) -> None:
    """The record keeps its gold label (and, with ``family``, a cell therapy its family)."""
    c = classify(t, terms=terms)
    assert c.label == row["gold_label"], c.evidence
    if family and row["gold_label"] == "cell_therapy" and row.get("gold_family"):
        assert c.cell_family == row["gold_family"], c.evidence
