"""Rules 16.18 are C1 as judged: the wired classifier's labels against what
``benchmarks/wording_backtest.py`` computes for C1 (issue #16, ``benchmarks/TRIALS.md`` (z2)).

    python benchmarks/wording_wired.py                 # every readable set: 0 differences
    python benchmarks/wording_wired.py --judge5-count  # held-out set 5: a count, nothing else
    python benchmarks/wording_wired.py --cost [--n 4000] [--mix 5] [--repeat 5]

For each study: the classifier as the ingest runs it (:func:`~ctatlas.trials.classify.apply`
with the atlas's terms, the shipped model) against the backtest's C1 (the rules alone in a
child process, the model trained in memory on every readable set by
:func:`wording_backtest._current_model`: the 15 sets of rules 16.21, held-out sets 5 and 6
among them), combined by :func:`wording_backtest.combine`. A study differs when its label,
family or origin differs. On the readable sets the differing studies are listed (set, id,
label both ways); ``--judge5-count`` prints only **how many differ** on held-out set 5, as it
did while the set was unspent (since rules 16.21 the set is readable and trained on).

``--cost``: what the wording model's step costs in the ingest, on the ingest benchmark's corpus
(``trials_ingest.iter_corpus``: ``--n`` studies, one in ``--mix`` with a real cell-therapy
trial's words, decoded once): the classifier with the atlas's terms, the rules alone
(``wording=False``) and the rules with the model, in turns (the order swapped each round) in
each of ``--repeat`` rounds, with the ingest's garbage-collector setting, CPU seconds
(``time.process_time``) per pass; prints the medians, the model's step per study (the
difference), the studies its gate admits and how many of them the rules' early exit (no stem of
a cell product) answers, and the load average. The model is loaded before the first round (its
one-off load is timed apart). No time is asserted.
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


def _arg(args: list[str], name: str, default: int) -> int:
    return int(args[args.index(name) + 1]) if name in args else default


def cost(n: int, mix: int, repeat: int) -> None:
    import os
    import statistics
    import time

    import trials_ingest as ti

    from ctatlas.trials.classify import classify
    from ctatlas.trials.classify_text import _ANY_PRODUCT, _atlas_mentions, _fields, _scan
    from ctatlas.trials.ctgov import decode_study
    from ctatlas.trials.ingest import _few_gc_passes
    from ctatlas.trials.wording import gate
    from ctatlas.trials.wording_rule import model

    c0 = time.process_time()
    model()
    load = time.process_time() - c0
    terms = cell_terms(load_dataset())
    trials = [decode_study(data) for _, data in ti.iter_corpus(n, 42, mix)]
    for t in trials:  # warm every pattern
        classify(t, terms=terms)
    admitted = [t for t in trials if gate(t)]
    early = 0
    for t in admitted:
        fields = _fields(t)
        present = {h[2] for h in _scan(" ".join(x for _, x in fields).lower())}
        early += not _atlas_mentions(terms, fields) and present.isdisjoint(_ANY_PRODUCT)
    runs: dict[bool, list[float]] = {False: [], True: []}
    with _few_gc_passes():  # as the ingest runs the classifier
        for r in range(repeat):
            for wording in ((False, True) if r % 2 == 0 else (True, False)):
                c0 = time.process_time()
                for t in trials:
                    classify(t, terms=terms, wording=wording)
                runs[wording].append(time.process_time() - c0)
    alone, both = statistics.median(runs[False]), statistics.median(runs[True])
    print(f"corpus: {n} studies, 1 in {mix} with a cell-therapy trial's words; the model's "
          f"gate admits {len(admitted)} ({early} of them studies the rules' early exit answers: "
          "no stem of a cell product)")
    print(f"model load (once per process): {load * 1000:.0f} ms CPU")
    for name, wording in (("rules alone      ", False), ("rules + the model", True)):
        took = statistics.median(runs[wording])
        print(f"{name}: median {took:.3f} s CPU "
              f"({', '.join(f'{x:.3f}' for x in runs[wording])}) = {took / n * 1e6:.0f} us "
              "per study")
    print(f"the model's step : {(both - alone) / n * 1e6:.0f} us per study on average "
          f"({(both - alone) / max(len(admitted), 1) * 1e6:.0f} us per study its gate admits); "
          f"rules + model / rules alone {both / alone:.2f}x; load average "
          f"{os.getloadavg()[0]:.2f}")


def main() -> None:
    args = sys.argv[1:]
    if "--cost" in args:
        cost(_arg(args, "--n", 4000), _arg(args, "--mix", 5), _arg(args, "--repeat", 5))
        return
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
