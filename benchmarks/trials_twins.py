"""Measure Japan/Korea "twins" in the fixtures: one study registered in a Japanese or Korean
registry (CRIS, jRCT, JapicCTI, UMIN) and in another registry (ClinicalTrials.gov, EUCTR…)
where neither record lists the other's id, so the store cannot merge them by id.

    python benchmarks/trials_twins.py [--threshold 0.3]

Every pair is scored by the Jaccard similarity of the words (3+ letters) of both titles; the
pairs at or above the threshold are printed with sponsors and start dates, to be read by a
person. Records: the development fixtures and the held-out set.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from ctatlas.trials.evaluate import load_fixture_trials, load_heldout

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "trials"
JP_KR = {"cris", "jrct", "japic", "umin"}


def _words(*texts: str | None) -> set[str]:
    return {w for t in texts for w in re.findall(r"[a-z0-9]+", (t or "").lower()) if len(w) > 2}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threshold", type=float, default=0.3)
    args = ap.parse_args()
    trials = list(load_fixture_trials(FIXTURES).values())
    trials += [t for _, t in load_heldout(FIXTURES)]
    local = [t for t in trials if t.registry in JP_KR]
    other = [t for t in trials if t.registry not in JP_KR]
    pairs = []
    for a in local:
        wa = _words(a.title, a.official_title)
        for b in other:
            wb = _words(b.title, b.official_title)
            if wa and wb:
                j = len(wa & wb) / len(wa | wb)
                if j >= args.threshold:
                    pairs.append((j, a, b))
    print(f"{len(local)} Japanese/Korean registry records, {len(other)} others; "
          f"{len(pairs)} pairs with title similarity >= {args.threshold}")
    for j, a, b in sorted(pairs, key=lambda p: -p[0]):
        print(f"{j:.2f}  {a.trial_id} ({a.sponsor}, {a.start_date}) {a.title[:60]!r}\n"
              f"      {b.trial_id} ({b.sponsor}, {b.start_date}) {b.title[:60]!r}")


if __name__ == "__main__":
    main()
