"""A learned wording model beside the trial rules: how much a study's words read like those of
the cell-therapy studies among the hand-labelled sets.

One concern: turning a study's text into features and scoring them with weights learned by
``scripts/train_wording_model.py`` (L2-regularised logistic regression over words and word
pairs of the fields the rules read; training is in :mod:`ctatlas.trials.wording_train`). No
new dependency: a tokenisation and dictionary look-ups, a few hundred per study.

Features (each present or absent, never counted):

- ``w:<word>`` / ``b:<word> <word>``: a word or two adjacent words anywhere in the title, the
  official title, the conditions, the interventions (name, other names, description), the
  arm descriptions, the summary and the keywords;
- ``t:…`` / ``tb:…``: the same from the title and official title alone;
- ``i:…`` / ``ib:…``: the same from the interventions alone, and ``type:<type>`` for each
  intervention's type.

Every field is read up to :data:`~ctatlas.trials.classify_text.MAX_FIELD_CHARS`, as the rules
read it.

**Wired into the classifier since rules 16.18** as combination C1 (:mod:`ctatlas.trials.
wording_rule`, ``benchmarks/TRIALS.md`` (z) and (z2)): judged by the lead on held-out set 5,
the rules with it gained precision for no recall. The weights trained on every readable set
(13 sets for rules 16.18 and 16.19; 15 since rules 16.21, ``benchmarks/TRIALS.md`` (z7)) ship
with the package (``trials/models/wording.json.gz``).
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, islice, repeat
from pathlib import Path

from .classify_text import _cut
from .record import Trial

__all__ = ["WordingModel", "features", "gate", "read_model", "why", "write_model"]

_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(_cut(text).lower())


def _add(out: set[str], prefix: str, pair_prefix: str, words: list[str]) -> None:
    out.update(prefix + w for w in words)
    out.update(f"{pair_prefix}{a} {b}" for a, b in zip(words, words[1:], strict=False))


#: A study the model is asked about holds one of these (lower-cased): cells ("cel" also finds
#: the "-leucel"/"-cel" names), a transplant or a graft, in English, Korean or Japanese.
GATE_WORDS = ("cel", "transplant", "graft", "세포", "細胞", "이식", "移植")


def gate(trial: Trial) -> bool:
    """Whether the model is asked about ``trial`` at all: only a study whose text holds one of
    :data:`GATE_WORDS` can be a cell therapy in the model's eyes (the rest cost one scan)."""
    texts = [trial.title, trial.official_title, trial.summary, *trial.conditions,
             *trial.arm_descriptions, *trial.keywords]
    for iv in trial.interventions:
        texts += [iv.get("name") or "", iv.get("description") or "", *(iv.get("other_names") or [])]
    low = " ".join(t for t in texts if t).lower()
    return any(w in low for w in GATE_WORDS)


def features(trial: Trial) -> set[str]:
    """The features of one study (see the module's docstring)."""
    out: set[str] = set()
    title = _words(trial.title) + (
        _words(trial.official_title) if trial.official_title != trial.title else []
    )
    _add(out, "t:", "tb:", title)
    _add(out, "w:", "b:", title)
    for iv in trial.interventions:
        parts = [iv.get("name") or "", *(iv.get("other_names") or []), iv.get("description") or ""]
        words = _words(" | ".join(p for p in parts if p))
        _add(out, "i:", "ib:", words)
        _add(out, "w:", "b:", words)
        kind = (iv.get("type") or "").strip().lower()
        if kind:
            out.add(f"type:{kind}")
    for text in [*trial.conditions, *trial.arm_descriptions, trial.summary, *trial.keywords]:
        if text:
            _add(out, "w:", "b:", _words(text))
    return out


def _pairs(words: list[str]) -> Iterator[str]:
    """The adjacent pairs of ``words``, each as ``"a b"`` (what follows the prefix of a ``b:``,
    ``tb:`` or ``ib:`` feature), built in C without a Python frame per pair."""
    return map(" ".join, zip(words, islice(words, 1, None), strict=False))


#: The feature prefixes of single words, of word pairs, and of an intervention's type.
_WORD_PREFIXES, _PAIR_PREFIXES = ("w", "t", "i"), ("b", "tb", "ib")


def _tables(weights: dict[str, float]) -> dict[str, dict]:
    """``weights`` by prefix (``w``, ``t``, ``i``, ``b``, ``tb``, ``ib``, ``type``), each keyed
    by what :func:`features` puts after the prefix (a word, two words, a type). A weight of
    another prefix is left out: no study's features hold it, so it never counts in
    :meth:`WordingModel.probability_of` either."""
    out: dict[str, dict] = {p: {} for p in (*_WORD_PREFIXES, *_PAIR_PREFIXES, "type")}
    for key, w in weights.items():
        prefix, _, rest = key.partition(":")
        if prefix in out:
            out[prefix][rest] = w
    return out


def _logistic(z: float) -> float:
    if z < -30:
        return 0.0
    if z > 30:
        return 1.0
    return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class WordingModel:
    """Weights of a logistic regression over :func:`features`; ``fingerprint`` is the SHA-256
    of the training data it was fitted on (the labels and the studies' features, in order)."""

    bias: float
    weights: dict[str, float]
    fingerprint: str = ""

    def probability(self, trial: Trial) -> float:
        """The model's probability that ``trial`` is a cell therapy: the same float, to the
        last bit, as ``probability_of(features(trial))``, without building the features.

        The scoring path of every study the gate admits in the ingest. :func:`features` stays
        the definition (training reads it): here each field is tokenised once and its words
        and adjacent pairs gathered into sets, one per kind of feature (the distinct features
        :func:`features` would spell out, without their prefix); each set is looked up in its own
        table of weights (:func:`_tables`, built once per model) and the weights found are
        added with the bias by :func:`math.fsum`, exactly rounded, hence equal to
        :meth:`probability_of`'s sum whatever the order."""
        tables = self._tables
        title = _words(trial.title)
        if trial.official_title != trial.title:
            title += _words(trial.official_title)
        title_pairs = set(_pairs(title))
        iv_words: set[str] = set()
        iv_pairs: set[str] = set()
        kinds: set[str] = set()
        for iv in trial.interventions:
            parts = [iv.get("name") or "", *(iv.get("other_names") or []),
                     iv.get("description") or ""]
            words = _words(" | ".join(p for p in parts if p))
            iv_words.update(words)
            iv_pairs.update(_pairs(words))
            kind = (iv.get("type") or "").strip().lower()
            if kind:
                kinds.add(kind)
        all_words = iv_words.union(title)
        all_pairs = iv_pairs | title_pairs
        for text in [*trial.conditions, *trial.arm_descriptions, trial.summary, *trial.keywords]:
            if text:
                words = _words(text)
                all_words.update(words)
                all_pairs.update(_pairs(words))
        terms = [self.bias]
        for prefix, found in (("w", all_words), ("t", set(title)), ("i", iv_words),
                              ("b", all_pairs), ("tb", title_pairs), ("ib", iv_pairs),
                              ("type", kinds)):
            # a missing feature gives None and a zero weight 0.0: neither changes the sum
            terms.extend(filter(None, map(tables[prefix].get, found)))
        return _logistic(math.fsum(terms))

    @cached_property
    def _tables(self) -> dict[str, dict]:
        return _tables(self.weights)

    def probability_of(self, feats: Iterable[str]) -> float:
        """The model's probability for a study whose features are ``feats``.

        The bias and the weights are added by :func:`math.fsum`, exactly rounded, so the score
        does not depend on the order ``feats`` is read in: a set of strings is iterated in an
        order that follows Python's per-process string hash seed, and a plain ``sum`` of the
        same weights could differ in its last bits from one process to the next (a study
        exactly at a threshold could then be decided two ways)."""
        return _logistic(math.fsum(chain((self.bias,), map(self.weights.get, feats, repeat(0.0)))))

    def weighed_most(self, feats: set[str], towards: bool, n: int = 3) -> list[str]:
        """The ``n`` features of ``feats`` that pushed most towards a cell therapy
        (``towards``) or away from one, as plain words ("infused cells")."""
        w = self.weights
        sign = 1.0 if towards else -1.0
        ranked = sorted(
            (f for f in feats if sign * w.get(f, 0.0) > 0),
            key=lambda f: (-sign * w[f], f),
        )
        out: list[str] = []
        for f in ranked:
            words = f.split(":", 1)[1]
            if words not in out:
                out.append(words)
            if len(out) == n:
                break
        return out

    def to_json(self) -> dict:
        return {"bias": self.bias, "fingerprint": self.fingerprint, "weights": self.weights}


def why(model: WordingModel, trial: Trial, p: float, towards: bool) -> str:
    """The model's reason in words a person reads."""
    words = model.weighed_most(features(trial), towards)
    quoted = ", ".join(f"'{w}'" for w in words) or "no single word"
    if towards:
        return (f"the study's wording is that of cell-therapy studies (wording model {p:.2f}): "
                f"{quoted} weighed most")
    return (f"the study's wording is not that of cell-therapy studies (wording model {p:.2f}): "
            f"{quoted} weighed most")


def read_model(path: Path) -> WordingModel:
    """A model from a weights file (gzipped JSON: ``bias``, ``fingerprint``, ``weights``)."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            raw = json.load(fh)
        return WordingModel(float(raw["bias"]), dict(raw["weights"]), str(raw["fingerprint"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a wording model's weights ({exc})") from exc


def write_model(model: WordingModel, path: Path) -> int:
    """Write ``model`` to ``path`` as :func:`read_model` reads it, the same bytes for the same
    model (keys sorted, no time stamp in the gzip header); returns the file's size in bytes."""
    body = json.dumps(model.to_json(), sort_keys=True, separators=(",", ":")).encode()
    data = gzip.compress(body, mtime=0)
    path.write_bytes(data)
    return len(data)
