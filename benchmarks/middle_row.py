"""What the classifier does on the middle row after its gate (issue 20, session 15).

    python benchmarks/middle_row.py --n 10000 --mix 5 --repeat 5
    python benchmarks/middle_row.py --n 10000 --mix 25 --repeat 5

The middle row (``ingest_profile.py``'s "stem inside another word"): studies labelled
``not_cell`` whose text holds a cell-therapy stem only inside another word ("cancel",
"system"). For those in which no window can hold a mention (the gate empties the windows;
``ingest_profile._no_mention`` is False), it times in one process, in turns, ``--repeat``
rounds, CPU seconds (``time.process_time``), medians:

- ``to the gate``: ``classify``'s own steps up to the gate's answer (fields, stem scan, the
  atlas's names and codes, field hits, masked windows, the gate): the minimum's rules part;
- ``+ mentions + setting``: the same, then ``read_mentions`` on no windows and ``settle``;
- ``whole rules``: ``_by_rules`` (the rules' whole classification, without the wording model,
  which the minimum counts on both sides).

Then what the steps after the gate decide on these studies: their labels and the evidence
each carries (a non-empty evidence is an answer those steps gave). The corpus is
``trials_ingest.py``'s (same seed, mix and code-only trials), built in memory; the atlas's
terms are the dataset's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--mix", type=int, default=5)
    ap.add_argument("--code-only", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from ingest_profile import _no_mention, _to_gate
    from trials_ingest import atlas_codes, iter_corpus

    from ctatlas.dataset import load_dataset
    from ctatlas.trials import classify as C
    from ctatlas.trials.atlas_terms import cell_terms
    from ctatlas.trials.classify_mentions import read_mentions
    from ctatlas.trials.classify_setting import settle
    from ctatlas.trials.classify_text import _fields, _scan
    from ctatlas.trials.ctgov import decode_study

    terms = cell_terms(load_dataset())
    codes = atlas_codes()
    stems = C.ANCHORS | C.ACELL_ANCHORS
    middle = []
    for _, data in iter_corpus(args.n, 42, args.mix, codes, args.code_only):
        trial = decode_study(data)
        low = " ".join(t for _, t in _fields(trial)).lower()
        if (C.classify(trial, terms=terms).label == "not_cell"
                and any(h[2] in stems for h in _scan(low)) and not _no_mention(trial, terms)):
            middle.append(trial)

    def to_gate(trial):
        return _to_gate(trial, terms)[:4]

    def with_setting(trial):
        settle(read_mentions(trial, *to_gate(trial), []))

    steps = {"to the gate": to_gate, "+ mentions + setting": with_setting,
             "whole rules": lambda t: C._by_rules(t, True, terms)}
    runs: dict[str, list[float]] = {k: [] for k in steps}
    for _ in range(args.repeat):
        for name, step in steps.items():
            c0 = time.process_time()
            for trial in middle:
                step(trial)
            runs[name].append(time.process_time() - c0)
    print(f"{args.n} studies, mix 1 in {args.mix}: {len(middle)} in the middle row with no "
          "window that can hold a mention")
    for name, took in runs.items():
        print(f"  {name:22} median {statistics.median(took):.3f} s  "
              f"(runs {' '.join(f'{t:.3f}' for t in took)})")
    after = statistics.median(runs["whole rules"]) - statistics.median(runs["to the gate"])
    print(f"  after the gate: {after:.3f} s, {after / max(len(middle), 1) * 1e6:.0f} us a study")
    answers: Counter = Counter()
    for trial in middle:
        c = C._by_rules(trial, True, terms)
        answers[(c.label, tuple((e["rule"], e["text"][:60]) for e in c.evidence))] += 1
    print("  what the steps after the gate answered (label, evidence), studies:")
    for (label, evidence), k in answers.most_common():
        print(f"    {k:6}  {label}  {list(evidence) or 'no evidence'}")


if __name__ == "__main__":
    main()
