"""Rules 16.18 are C1 as judged: the wired classifier's labels against what
``benchmarks/wording_backtest.py`` computes for C1 (issue #16, ``benchmarks/TRIALS.md`` (z2)).

    python benchmarks/wording_wired.py                 # every readable set: 0 differences
    python benchmarks/wording_wired.py --judge5-count  # held-out set 5: a count, nothing else

For each study: the classifier as the ingest runs it (:func:`~ctatlas.trials.classify.apply`
with the atlas's terms, the shipped model) against the backtest's C1 (the rules alone in a
child process, the model trained in memory on the 13 readable sets by
:func:`wording_backtest._current_model`, combined by :func:`wording_backtest.combine`). A study
differs when its label, family or origin differs. On the readable sets the differing studies
are listed (set, id, label both ways); on held-out set 5 (``--judge5-count``) only **how many
differ** is printed: never an id or a label of it, and nothing is trained on it.
"""

from __future__ import annotations

import sys

import wording_backtest as wb

from ctatlas.dataset import load_dataset
from ctatlas.trials.atlas_terms import cell_terms
from ctatlas.trials.classify import apply
from ctatlas.trials.record import Trial
from ctatlas.trials.wording_rule import MODEL_FINGERPRINT


def _differences(studies: list[tuple[str, dict, Trial]]) -> list[tuple[str, str, dict, dict]]:
    """(set, trial id, C1's answer, the wired classifier's) of every study where they differ."""
    trials = [t for _, _, t in studies]
    _, rules = wb.rules_labels(wb._src(), trials)  # the rules alone, in a child process
    judged = wb._current_model()
    if judged.fingerprint != MODEL_FINGERPRINT:
        sys.exit(f"the backtest's model is {judged.fingerprint[:12]}, not the shipped "
                 f"{MODEL_FINGERPRINT[:12]}: the comparison would not be of C1 as judged")
    probs = wb._probabilities(judged, trials)
    terms = cell_terms(load_dataset())
    out = []
    for (name, _, t), rule, p in zip(studies, rules, probs, strict=True):
        want = wb.combine(rule, p, "C1")
        got = apply(Trial.from_dict(t.to_dict()), terms)
        a = (want["label"], want["family"], want["origin"])
        b = (got.label, got.cell_family, got.origin)
        if a != b:
            out.append((name, t.trial_id, {"answer": a}, {"answer": b}))
    return out


def main() -> None:
    args = sys.argv[1:]
    if "--judge5-count" in args:
        from ctatlas.trials.evaluate import load_heldout5

        studies = [("judge5", r, t) for r, t in load_heldout5(wb.FIXTURES)]
        n = len(_differences(studies))
        print(f"held-out set 5: {len(studies)} studies, {n} differ between the wired classifier "
              "and C1 as judged (count only)")
        return
    studies = wb._load(wb.TRAINING_SETS)
    diff = _differences(studies)
    for name, tid, want, got in diff:
        print(f"  {name:10s} {tid}: C1 {want['answer']}  wired {got['answer']}")
    print(f"every readable set ({len(studies)} studies): {len(diff)} differ between the wired "
          "classifier and C1 as judged")


if __name__ == "__main__":
    main()
