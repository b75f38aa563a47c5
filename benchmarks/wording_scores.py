"""The wording model's scores before and after session 13's `perf4` changes, study by study:
no decision of the model changes (issue #20; rules 16.18 run the model in every ingest).

    python benchmarks/wording_scores.py            # readable sets, the ingest corpora, judges
    python benchmarks/wording_scores.py --cost [--n 4000] [--mix 25] [--repeat 6]

For each study the model's gate admits: the score as rules 16.18 first shipped it (the bias
plus a plain ``sum`` of the weights of :func:`~ctatlas.trials.wording.features`, in the set's
iteration order, which follows this process's string hash seed), against
``probability_of(features(t))`` (:func:`math.fsum`, exactly rounded: independent of order) and
against ``probability(t)`` (the scoring path the classifier runs). A decision is the model's
side of C1: p >= 0.9, p <= 0.1 or neither. Printed per group: studies, admitted, decisions
that differ between the first sum and now, the largest |delta p|, and how many
``probability(t)`` differ from ``probability_of(features(t))`` in any bit, over every study
of the group, admitted or not (must be 0). Exits 1 when a decision or a bit differs.

Groups: every readable labelled set (``wording_backtest.TRAINING_SETS``), the ingest
benchmark's corpus (``trials_ingest.iter_corpus``, 4,000 studies, 1 in 5 and 1 in 25), and,
**by count only**, held-out set 4's half B, held-out sets 5, 6 and 7 (set 7 since it was spent
in session 15; none of the four is a training set): their record files are read
(:func:`~ctatlas.trials.evaluate._record_files`), their gold files never opened, and nothing
of a study (id, label, probability) is printed, only the counts and the largest |delta p|.
Run it under two ``PYTHONHASHSEED`` values to see the first sum's order move.

``--cost``: the model's step (the gate, and the score of a study it admits) as first shipped
(features spelt out, a plain sum) and now (``probability``), side by side in one process on
the ingest corpus (``--n`` studies, 1 in ``--mix``), each study's step timed with the process's
CPU clock right after the rules classified it (``wording=False``), as the ingest runs them, so
that both meet the caches the rules leave; the two in turns (order swapped each round), with
the ingest's garbage-collector setting; prints the medians per study of ``--repeat`` rounds and
the load average. No time is asserted.
"""

from __future__ import annotations

import math
import sys
from itertools import repeat

import trials_ingest as ti
import wording_backtest as wb

from ctatlas.trials.ctgov import decode_study
from ctatlas.trials.evaluate import _HELDOUT2_FORMS, _record_files, heldout3_half
from ctatlas.trials.record import Trial
from ctatlas.trials.wording import features, gate
from ctatlas.trials.wording_rule import HIGH, LOW, model


def _first_sum(t: Trial) -> float:
    """The score as rules 16.18 shipped it (e13478f): a plain sum in the set's order."""
    m = model()
    z = m.bias + sum(map(m.weights.get, features(t), repeat(0.0)))
    if z < -30:
        return 0.0
    if z > 30:
        return 1.0
    return 1.0 / (1.0 + math.exp(-z))


def _side(p: float) -> str:
    return "cell" if p >= HIGH else "away" if p <= LOW else "rules"


def compare(name: str, trials: list[Trial]) -> int:
    """Print the group's counts; return how many decisions or fast scores differ."""
    m = model()
    admitted = moved = unequal = 0
    worst = 0.0
    for t in trials:
        now = m.probability_of(features(t))
        unequal += m.probability(t) != now  # every study, admitted or not
        if not gate(t):
            continue
        admitted += 1
        before = _first_sum(t)
        moved += _side(before) != _side(now)
        worst = max(worst, abs(before - now))
    print(f"{name:34s} {len(trials):6d} studies, {admitted:5d} admitted: {moved} decisions "
          f"differ, largest |delta p| {worst:.1e}; probability(t) != probability_of(features"
          f"(t)) in {unequal}")
    return moved + unequal


def _records(folder: str, half: str | None = None) -> list[Trial]:
    """The studies of a judging set's record files (never its gold files), one half or all."""
    out = []
    for _, form, raw in _record_files(wb.FIXTURES / folder, "gold_part"):
        t = _HELDOUT2_FORMS[form](raw)
        if half is None or heldout3_half(t.trial_id) == half:
            out.append(t)
    return out


def cost(n: int, mix: int, repeat: int) -> None:
    import os
    import statistics
    import time

    from ctatlas.dataset import load_dataset
    from ctatlas.trials.atlas_terms import cell_terms
    from ctatlas.trials.classify import classify
    from ctatlas.trials.ingest import _few_gc_passes

    m = model()
    terms = cell_terms(load_dataset())
    trials = [decode_study(d) for _, d in ti.iter_corpus(n, 42, mix)]
    steps = {"first": lambda t: gate(t) and _first_sum(t), "now": lambda t: gate(t) and
             m.probability(t)}
    for t in trials:  # warm the rules' patterns and both paths
        classify(t, terms=terms, wording=False)
        steps["first"](t), steps["now"](t)
    runs: dict[str, list[float]] = {k: [] for k in steps}
    clock = time.process_time_ns
    with _few_gc_passes():
        for r in range(repeat):
            for name in (("first", "now") if r % 2 == 0 else ("now", "first")):
                step, took = steps[name], 0
                for t in trials:
                    classify(t, terms=terms, wording=False)
                    c0 = clock()
                    step(t)
                    took += clock() - c0
                runs[name].append(took / len(trials) / 1000)
    admitted = sum(map(gate, trials))
    print(f"ingest corpus: {len(trials)} studies, 1 in {mix}, {admitted} admitted by the gate")
    for name, label in (("first", "as first shipped"), ("now", "now             ")):
        print(f"the model's step {label}: median {statistics.median(runs[name]):.1f} us per "
              f"study ({', '.join(f'{x:.1f}' for x in runs[name])})")
    print(f"now / first {statistics.median(runs['now']) / statistics.median(runs['first']):.2f}"
          f"; load average {os.getloadavg()[0]:.2f}")


def main() -> None:
    args = sys.argv[1:]
    if "--cost" in args:
        def arg(name: str, default: int) -> int:
            return int(args[args.index(name) + 1]) if name in args else default

        cost(arg("--n", 4000), arg("--mix", 25), arg("--repeat", 6))
        return
    bad = 0
    readable = wb._load(wb.TRAINING_SETS)
    bad += compare(f"readable sets ({len(wb.TRAINING_SETS)})", [t for _, _, t in readable])
    for mix in (5, 25):
        corpus = [decode_study(d) for _, d in ti.iter_corpus(4000, 42, mix)]
        bad += compare(f"ingest corpus, 1 in {mix}", corpus)
    bad += compare("held-out set 4, half B (count only)", _records("judge4", "B"))
    bad += compare("held-out set 5 (count only)", _records("judge5"))
    bad += compare("held-out set 6 (count only)", _records("judge6"))
    bad += compare("held-out set 7 (count only)", _records("judge7"))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
