"""Training the wording model (:mod:`ctatlas.trials.wording`): its training sets, named one by
one, and a deterministic fit. Used by ``scripts/train_wording_model.py``,
``benchmarks/wording_backtest.py`` and the tests; never at run time.

Only readable labelled sets are training sets (:data:`TRAINING_SETS`, an explicit list). Held-out
sets 7 (``judge7/``) and 8 (``judge8/``, drawn in session 15) are kept out of the shipped
model's training: set 8 judges the rules and the model, set 7 judged rules 16.19 to 16.23 and
was spent after its final figure (session 15); and held-out set 4's half B, which judged rules
16.22 and was spent after that figure (session 14), is kept out too (no retrain since):
:func:`load_set` refuses them by name before any file is opened, and reads held-out set 4's half
A choosing its rows by trial id as the label files are read
(:func:`~ctatlas.trials.evaluate.load_heldout4`), so half B's labels are never held for a model.
Held-out sets 5 (``judge5/``) and 6 (``judge6/``) were spent in sessions 13 and 14 and are
training sets since rules 16.21, whole.
"""

from __future__ import annotations

import csv
import hashlib
import math
import random
from collections.abc import Iterable
from pathlib import Path

from .evaluate import (
    load_fixture_trials,
    load_heldout,
    load_heldout2,
    load_heldout3,
    load_heldout4,
    load_heldout5,
    load_heldout6,
    load_tuning,
)
from .record import Trial
from .wording import WordingModel, features

__all__ = [
    "SETS_AT_16_14",
    "SETS_AT_16_18",
    "TRAINING_SETS",
    "fingerprint",
    "load_set",
    "load_training",
    "train",
]

#: Every readable labelled set, by name: the development set, both halves of the first held-out
#: set, held-out set 2, tuning sets 1-6, held-out set 3 (both halves: spent), held-out set 4's
#: half A (tuned on since session 12) and held-out sets 5 and 6 (whole; spent in sessions 13 and
#: 14, trained on since rules 16.21). Never a glob of folders.
TRAINING_SETS: tuple[str, ...] = (
    "development",
    "heldout_A",
    "heldout_B",
    "heldout2",
    "tuning",
    "tuning2",
    "tuning3",
    "tuning4",
    "tuning5",
    "tuning6",
    "judge3_A",
    "judge3_B",
    "judge4_A",
    "judge5",
    "judge6",
)

#: The 13 sets the model judged with rules 16.18 and 16.19 was trained on (fingerprint
#: aad154b6bfad): all but held-out sets 5 and 6, which judged it (``benchmarks/wording_backtest.py
#: --judge-heldout5`` still trains this one, so that the judged figure can be repeated).
SETS_AT_16_18: tuple[str, ...] = tuple(s for s in TRAINING_SETS if s not in ("judge5", "judge6"))

#: The sets that existed when rules 16.14 were written (commit a01f87d): all but tuning set 6
#: and held-out set 4, which the backtest scores on, and held-out sets 5 and 6, drawn later.
SETS_AT_16_14: tuple[str, ...] = tuple(
    s for s in SETS_AT_16_18 if s not in ("tuning6", "judge4_A")
)

_REFUSED = {
    "judge4_B": "held-out set 4's half B judged the rules (spent in session 14): the shipped "
    "model was never trained on it, and its labels are not read for a model",
    "judge4": "held-out set 4 whole holds half B, never trained on: ask for judge4_A",
    "judge7": "held-out set 7 (judge7/) judged the rules and the model (spent in session 15): "
    "the shipped model was never trained on it, and its labels are not read for a model",
    "judge8": "held-out set 8 (judge8/) judges the rules and the model: it is never trained on",
}


def _check(name: str) -> None:
    """``ValueError`` naming the set and the reason unless ``name`` is a training set (a name
    beginning with ``judge7`` or ``judge8``, a part or half of held-out set 7 or 8, is refused
    by that set's reason)."""
    whole = next((s for s in ("judge7", "judge8") if name.startswith(s)), name)
    if whole in _REFUSED:
        raise ValueError(f"training set {name!r} refused: {_REFUSED[whole]}")
    if name not in TRAINING_SETS:
        raise ValueError(f"training set {name!r} is not one of {', '.join(TRAINING_SETS)}")


def load_set(folder: Path, name: str) -> list[tuple[dict[str, str], Trial]]:
    """(label row, unlabelled Trial) for every study of one training set (``name`` one of
    :data:`TRAINING_SETS`); ``ValueError`` naming the set and the reason for any other name,
    above all held-out set 4's half B and held-out sets 7 and 8, whose files are never opened."""
    _check(name)
    if name == "development":
        trials = load_fixture_trials(folder)
        with open(folder / "labelled_trials.csv", newline="", encoding="utf-8") as fh:
            return [(r, trials[(r["source"], r["trial_id"])]) for r in csv.DictReader(fh)]
    if name.startswith("heldout_"):
        return load_heldout(folder, name[-1])
    if name == "heldout2":
        return load_heldout2(folder)
    if name.startswith("tuning"):
        return load_tuning(folder, name)
    if name.startswith("judge3_"):
        return load_heldout3(folder, half=name[-1])
    if name == "judge5":
        return load_heldout5(folder)
    if name == "judge6":
        return load_heldout6(folder)
    return load_heldout4(folder, half="A")


def load_training(
    folder: Path, names: Iterable[str] = TRAINING_SETS
) -> list[tuple[str, Trial, int]]:
    """(set name, study, 1 when labelled ``cell_therapy`` else 0) for every study of ``names``,
    in the order given and each set's own order; every name is checked before any set is read."""
    names = list(names)
    for name in names:
        _check(name)
    out = []
    for name in names:
        for row, t in load_set(folder, name):
            out.append((name, t, int(row["gold_label"] == "cell_therapy")))
    return out


def fingerprint(data: list[tuple[set[str], int]], settings: str = "") -> str:
    """The SHA-256 of the training data (each study's label and sorted features, in order) and
    of the training's ``settings``."""
    h = hashlib.sha256(f"{settings}\n".encode())
    for feats, y in data:
        h.update(f"{y}\t{chr(31).join(sorted(feats))}\n".encode())
    return h.hexdigest()


def train(
    studies: Iterable[tuple[Trial, int]],
    *,
    epochs: int = 12,
    l2: float = 0.03,
    rate: float = 0.5,
    min_docs: int = 3,
    seed: int = 13,
) -> WordingModel:
    """Fit the logistic regression: features kept when at least ``min_docs`` studies have them,
    AdaGrad steps (``rate``) over the studies in an order shuffled by ``seed`` each epoch, an L2
    penalty ``l2`` on the weights of the features a step touches (0.03: the lowest
    leave-one-set-out log loss over the sets of rules 16.14, ``benchmarks/TRIALS.md`` (z)).
    Deterministic: the same studies in the same order give the same weights, bit for bit."""
    data = [(features(t), y) for t, y in studies]
    docs: dict[str, int] = {}
    for feats, _ in data:
        for f in feats:
            docs[f] = docs.get(f, 0) + 1
    kept = {f for f, n in docs.items() if n >= min_docs}
    rows = [(sorted(feats & kept), y) for feats, y in data]
    w: dict[str, float] = dict.fromkeys(sorted(kept), 0.0)
    g2: dict[str, float] = dict.fromkeys(w, 1e-8)
    bias, bias_g2 = 0.0, 1e-8
    rng = random.Random(seed)
    order = list(range(len(rows)))
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            feats, y = rows[i]
            z = bias + sum(w[f] for f in feats)
            p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
            err = p - y
            bias_g2 += err * err
            bias -= rate * err / math.sqrt(bias_g2)
            for f in feats:
                g = err + l2 * w[f]
                g2[f] += g * g
                w[f] -= rate * g / math.sqrt(g2[f])
    weights = {f: round(v, 4) for f, v in w.items() if abs(v) >= 5e-4}
    settings = f"epochs={epochs} l2={l2} rate={rate} min_docs={min_docs} seed={seed}"
    return WordingModel(round(bias, 4), weights, fingerprint(data, settings))
