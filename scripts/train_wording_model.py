"""Train the wording model (issue #16) on every readable labelled set and write its weights.

    .venv/bin/python scripts/train_wording_model.py --out wording_weights.json.gz [--sets-at-16.14]

The sets are :data:`ctatlas.trials.wording_train.TRAINING_SETS`, named one by one (never a glob
of folders): the development set, the first held-out set's halves, held-out set 2, tuning sets
1-6, held-out set 3's halves, held-out set 4's half A and held-out sets 5 and 6 (since rules
16.21). Held-out set 4's half B and held-out set 7 are refused by the loader.
``--sets-at-16.14`` trains on the sets that existed at rules 16.14 only (the backtest's model,
``benchmarks/wording_backtest.py``).

Training is deterministic (the sets' fixed order, a fixed seed): the same fixtures give the
same bytes. It prints the studies, the weights kept, the file's size, the fingerprint of the
training data (also written into the file) and the CPU cost of training and of scoring one
study (median of three passes over every training study).

The weights this writes from every readable set are the ones the package ships
(``src/ctatlas/trials/models/wording.json.gz``, fingerprint 3c43fe941dc3 since rules 16.21;
aad154b6bfad, the 13 sets without held-out sets 5 and 6 and before the session-14 relabels, for
rules 16.18 and 16.19; read by :mod:`ctatlas.trials.wording_rule`): the same bytes, which a test
checks.
Writing new ones there changes labels and voids the judged figure (``benchmarks/TRIALS.md``
(z2)): it needs a new judgement and a new rules version.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from ctatlas.trials.wording import gate, write_model
from ctatlas.trials.wording_train import SETS_AT_16_14, TRAINING_SETS, load_training, train

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "trials"


def main() -> None:
    args = sys.argv[1:]
    if "--out" not in args or args.index("--out") + 1 >= len(args):
        sys.exit(__doc__)
    out = Path(args[args.index("--out") + 1])
    names = SETS_AT_16_14 if "--sets-at-16.14" in args else TRAINING_SETS
    studies = load_training(FIXTURES, names)
    cpu = time.process_time()
    model = train([(t, y) for _, t, y in studies])
    trained = time.process_time() - cpu
    size = write_model(model, out)
    passes = []
    for _ in range(3):
        cpu = time.process_time()
        for _, t, _ in studies:
            if gate(t):
                model.probability(t)
        passes.append(time.process_time() - cpu)
    gated = sum(gate(t) for _, t, _ in studies)
    per = statistics.median(passes) / len(studies) * 1e6
    sys.stdout.write(
        f"trained on {len(studies)} studies ({sum(y for _, _, y in studies)} cell therapies) "
        f"of {', '.join(names)} in {trained:.1f} s CPU\n"
        f"{len(model.weights)} weights, {size:,} bytes gzipped JSON at {out}\n"
        f"fingerprint {model.fingerprint}\n"
        f"scoring: {per:.0f} us CPU per study on average ({gated} of {len(studies)} past the "
        f"gate; median of 3 passes: {', '.join(f'{p:.2f}' for p in passes)} s)\n"
    )


if __name__ == "__main__":
    main()
