"""Print precision / recall of the cell_therapy label on the development and held-out sets.

    python benchmarks/trials_accuracy.py [--verbose] [--skip-b] [--heldout2 | --spend-heldout2]
                                         [--heldout3] [--spend-heldout3a]
                                         [--heldout4] [--spend-heldout4a] [--heldout5]
                                         [--heldout6] [--heldout7] [--heldout8]

Sets: the development set (``tests/fixtures/trials/labelled_trials.csv``, the rules were
written against it) and the two halves of the held-out set (``heldout/``): half A, on which
rules are tuned, and half B, which is only ever read through these totals; and the tuning
sets (``tuning/``, ``tuning2/``, ``tuning3/``, ``tuning4/``, ``tuning5/`` and ``tuning6/``: more
real studies of the hard classes, tuned on with half A; ``tuning4/`` is drawn from the export
held-out set 2's part 1 came from, without its studies; ``tuning5/`` from the current CSV
exports held-out set 3 came from, without its studies; ``tuning6/`` from other record forms of
held-out set 3's population, without its studies). ``--verbose`` lists the errors of the
development set, half A and the tuning sets; never those of half B.
``--skip-b`` leaves half B out altogether (while rules are being tuned).

Held-out set 2 (``heldout2/``, every ``labels_part*.csv``) replaces half B, which was read
after its final figure (``benchmarks/TRIALS.md`` (j)) and is spent. It is judged whole, and
only when asked, so that a run while rules are tuned does not show it: ``--heldout2``
prints its totals (the judged figure); ``--spend-heldout2`` also lists its errors, and
**spends it**: after that no rule tuned on what it showed may be judged on it again
(``heldout2/README.md``). **It was spent on 2026-12-07** (``benchmarks/TRIALS.md`` (p)): its
errors were listed at rules 16.12 and rules 16.13 were written against them, so its figures
are no longer judged ones.

Held-out set 3 (``judge3/``, every ``gold_part*.csv``), drawn after held-out set 2 was spent,
largely from ClinicalTrials.gov's current website CSV export, judges the rules written after
it. It was judged whole at rules 16.13 (totals only) and, with no unused study of its
population left to tune on, split in session 11 by trial id alone (``heldout3_half``) into
half A, on which the rules after 16.13 are tuned, and half B, which judges them:
``--heldout3`` prints the totals of half B (the judged figure) and of half A, never an
error of half B (no flag lists them); ``--spend-heldout3a`` prints half A alone with its
errors, which **spends half A** (``judge3/README.md``, "Halves"), and never half B, so that
tuning runs do not show the judged half's totals.

Held-out set 4 (``judge4/``, every ``gold_part*.csv``), drawn in session 12 after half B of
held-out set 3 was read (spent), judged rules 16.16 whole (totals only) and, before any of its
errors was read, was split in session 12 by trial id alone (``heldout3_half``, the same function
as set 3's) into half A, on which the rules after 16.16 are tuned, and half B, which judges
them: ``--heldout4`` prints the totals of half B and of half A; ``--spend-heldout4a`` prints
half A alone with its errors, which **spent half A** (``judge4/README.md``, "Halves"). **Half B
was spent in session 14** after its final figure at rules 16.22 (0.979 / 0.887): the lead read
its 7 errors and rules 16.23 were written against them (``benchmarks/TRIALS.md`` (z8)), so its
figures are tuning figures now and ``--heldout4 --verbose`` lists its errors too. It is not a
tuning set: without one of these flags it is not evaluated.

Held-out set 5 (``judge5/``, every ``gold_part*.csv``), drawn in session 13 while half B of
held-out set 4 was the only unspent judge, no rule and no model written against it:
``--heldout5`` prints its totals (whole). **It was spent in session 13**: the lead read its 16
errors at rules 16.18 and rules 16.19 were written against them (``benchmarks/TRIALS.md``
(z3)), so its figures are tuning figures now and ``--verbose`` lists its errors too. It is not
in the default run: without the flag it is not evaluated.

Held-out set 6 (``judge6/``, every ``gold_part*.csv``), drawn in session 13 before held-out set
5's errors were read and rules 16.19 written against them, no rule and no model written against
it: ``--heldout6`` prints its totals (whole). **It was spent in session 14**: the lead listed its
12 errors at rules 16.19 and rules 16.22 were written against them (``benchmarks/TRIALS.md``
(z6)), so its figures are tuning figures now and ``--verbose`` lists its errors too. It is not
in the default run: without the flag it is not evaluated.

Held-out set 7 (``judge7/``, every ``gold_part*.csv``), drawn in session 14 before the rules
and the model written against held-out set 6's errors landed, no rule and no model written
against it: ``--heldout7`` prints its totals (whole). It judged rules 16.19 to 16.23 (the final
figure 0.969 / 0.953 at 16.23). **It was spent in session 15**: the lead listed its 18 errors
after that final figure, for the rules written against them (16.24, ``benchmarks/TRIALS.md``
(z10)), so its figures are tuning figures now and ``--heldout7 --verbose`` lists its errors too.
It is not in the default run: without the flag it is not evaluated.

Held-out set 8 (``judge8/``, every ``gold_part*.csv``), drawn in session 15 after held-out set
7's errors were read and before the rules written against them (16.24) landed, no rule and no
model written against it: ``--heldout8`` prints its totals only (whole; no flag lists its
errors, and reading them would spend it, ``judge8/README.md``). It is not a tuning set: without
the flag it is not evaluated.

Each set is classified twice: with the atlas's cell-therapy names and codes (read from the
curated data, ``data/``), as ``ctatlas trials ingest`` does, and with the text rules alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ctatlas.dataset import load_dataset
from ctatlas.trials.atlas_terms import cell_terms, rule_version
from ctatlas.trials.evaluate import (
    Evaluation,
    evaluate,
    evaluate_heldout,
    evaluate_heldout2,
    evaluate_heldout3,
    evaluate_heldout4,
    evaluate_heldout5,
    evaluate_heldout6,
    evaluate_heldout7,
    evaluate_heldout8,
    evaluate_tuning,
)

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "trials"


def _print(name: str, ev: Evaluation, verbose: bool) -> None:
    print(f"== {name}: {ev.n} labelled trials (cell_therapy gold: {ev.tp + ev.fn})")
    print(f"cell_therapy precision: {ev.precision:.3f}  recall: {ev.recall:.3f}  "
          f"(tp={ev.tp} fp={ev.fp} fn={ev.fn} tn={ev.tn})")
    print(f"all-label agreement: {ev.label_agreement}/{ev.n}")
    print(f"cell_family agreement on true positives: {ev.family_agreement}/{ev.family_checked}")
    print(f"origin agreement where the label states it: "
          f"{ev.origin_agreement}/{ev.origin_checked}")
    if ev.origin_from_atlas:
        print(f"origin from the atlas (a therapy named among the interventions; the record does "
              f"not say): {ev.origin_from_atlas}, of which the label (record only) says unknown: "
              f"{ev.origin_from_atlas_gold_unknown}")
    if verbose:
        for tid, title, evidence in ev.false_positives:
            print("FP", tid, title[:90], evidence[:2])
        for tid, title in ev.false_negatives:
            print("FN", tid, title[:100])
        for tid, gold, pred in ev.other_disagreements:
            print("OTHER", tid, gold, "->", pred)


def main() -> None:
    verbose = "--verbose" in sys.argv
    skip_b = "--skip-b" in sys.argv
    spend_2 = "--spend-heldout2" in sys.argv
    judge_2 = spend_2 or "--heldout2" in sys.argv
    spend_3a = "--spend-heldout3a" in sys.argv
    judge_3 = "--heldout3" in sys.argv
    spend_4a = "--spend-heldout4a" in sys.argv
    judge_4 = "--heldout4" in sys.argv
    judge_5 = "--heldout5" in sys.argv
    judge_6 = "--heldout6" in sys.argv
    judge_7 = "--heldout7" in sys.argv
    judge_8 = "--heldout8" in sys.argv
    terms = cell_terms(load_dataset())
    for name, t in ((f"with the atlas's terms ({len(terms)}; rules {rule_version(terms)})", terms),
                    ("text rules alone", None)):
        print(f"#### {name}")
        _print("development set", evaluate(FIXTURES, t), verbose and t is not None)
        _print("held-out half A (tuning)", evaluate_heldout(FIXTURES, "A", t),
               verbose and t is not None)
        _print("tuning set", evaluate_tuning(FIXTURES, t), verbose and t is not None)
        _print("tuning set 2", evaluate_tuning(FIXTURES, t, "tuning2"), verbose and t is not None)
        _print("tuning set 3", evaluate_tuning(FIXTURES, t, "tuning3"), verbose and t is not None)
        _print("tuning set 4", evaluate_tuning(FIXTURES, t, "tuning4"), verbose and t is not None)
        _print("tuning set 5", evaluate_tuning(FIXTURES, t, "tuning5"), verbose and t is not None)
        _print("tuning set 6", evaluate_tuning(FIXTURES, t, "tuning6"), verbose and t is not None)
        if not skip_b:
            _print("held-out half B (spent: read after its final figure; errors never listed)",
                   evaluate_heldout(FIXTURES, "B", t), False)
        if judge_2:
            _print("held-out set 2 (spent at 16.12, tuned on since: not a judged figure; "
                   + ("errors listed: THIS SPENDS THE SET)" if spend_2 else "totals only)"),
                   evaluate_heldout2(FIXTURES, t), spend_2 and t is not None)
        if judge_3 or spend_3a:
            _print("held-out set 3, half A (tuning since session 11; "
                   + ("errors listed: THIS SPENDS HALF A)" if spend_3a else "totals only)"),
                   evaluate_heldout3(FIXTURES, t, half="A"), spend_3a and t is not None)
        if judge_3:
            _print("held-out set 3, half B (spent in session 12; tuned on since)",
                   evaluate_heldout3(FIXTURES, t, half="B"), False)
        if judge_4 or spend_4a:
            _print("held-out set 4, half A (tuning since session 12; "
                   + ("errors listed: THIS SPENDS HALF A)" if spend_4a else "totals only)"),
                   evaluate_heldout4(FIXTURES, t, half="A"), spend_4a and t is not None)
        if judge_4:
            _print("held-out set 4, half B (spent in session 14: rules 16.23 were written "
                   "against its errors; a tuning figure)",
                   evaluate_heldout4(FIXTURES, t, half="B"), verbose and t is not None)
        if judge_5:
            _print("held-out set 5 (spent in session 13: rules 16.19 were written against its "
                   "errors; a tuning figure)", evaluate_heldout5(FIXTURES, t), verbose)
        if judge_6:
            _print("held-out set 6 (spent in session 14: rules 16.22 were written against its "
                   "errors; a tuning figure)", evaluate_heldout6(FIXTURES, t), verbose)
        if judge_7:
            _print("held-out set 7 (spent in session 15: rules 16.24 were written against its "
                   "errors; a tuning figure)", evaluate_heldout7(FIXTURES, t), verbose)
        if judge_8:
            _print("held-out set 8 (judging; totals only, errors never listed)",
                   evaluate_heldout8(FIXTURES, t), False)


if __name__ == "__main__":
    main()
