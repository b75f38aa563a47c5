"""Print precision / recall of the cell_therapy label on the frozen labelled set.

    python benchmarks/trials_accuracy.py [--verbose]
"""

from __future__ import annotations

import sys
from pathlib import Path

from ctatlas.trials.evaluate import evaluate

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "trials"


def main() -> None:
    ev = evaluate(FIXTURES)
    print(f"labelled trials: {ev.n}  (cell_therapy gold: {ev.tp + ev.fn})")
    print(f"cell_therapy precision: {ev.precision:.3f}  recall: {ev.recall:.3f}  "
          f"(tp={ev.tp} fp={ev.fp} fn={ev.fn} tn={ev.tn})")
    print(f"all-label agreement: {ev.label_agreement}/{ev.n}")
    if ev.family_checked:
        print(f"cell_family agreement on true positives: "
              f"{ev.family_agreement}/{ev.family_checked}")
    if ev.origin_checked:
        print(f"origin agreement where the label states it: "
              f"{ev.origin_agreement}/{ev.origin_checked}")
    if "--verbose" in sys.argv:
        for tid, title, evidence in ev.false_positives:
            print("FP", tid, title[:90], evidence[:2])
        for tid, title in ev.false_negatives:
            print("FN", tid, title[:100])
        for tid, gold, pred in ev.other_disagreements:
            print("OTHER", tid, gold, "->", pred)


if __name__ == "__main__":
    main()
