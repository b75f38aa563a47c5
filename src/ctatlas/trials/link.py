"""Link trials to atlas products by development codes, names and reviewed aliases.

``link_products(trials, products)`` takes trials (``Trial`` objects or ``trials list`` dicts)
and products as ``(slug, names, codes, aliases)`` and returns ``{trial_id: [slug, …]}``. Codes
match exactly after normalisation ("JNJ-68284528" = "JNJ 68284528" = "jnj68284528"); names and
aliases match fuzzily (rapidfuzz, token-aware) against intervention names and the title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ProductMatch", "link_products", "match_products"]

ProductSpec = tuple[str, Sequence[str], Sequence[str], Sequence[str]]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_WORD = re.compile(r"[0-9a-z]+")


def _norm(text: str) -> str:
    return _NON_ALNUM.sub(" ", text.lower().replace("®", "").replace("™", "")).strip()


def _code(text: str) -> str:
    return _NON_ALNUM.sub("", text.lower())


@dataclass(frozen=True)
class ProductMatch:
    slug: str
    field: str
    text: str
    score: float
    rule: str  # code | name | alias


class _Index:
    def __init__(self, products: Iterable[ProductSpec]) -> None:
        self.codes: dict[str, str] = {}
        self.names: list[tuple[str, str, str]] = []  # (normalised name, slug, rule)
        for slug, names, codes, aliases in products:
            for c in codes:
                key = _code(c)
                if len(key) >= 4:
                    self.codes[key] = slug
            for rule, values in (("name", names), ("alias", aliases)):
                for n in values:
                    norm = _norm(n)
                    if len(norm) >= 5:
                        self.names.append((norm, slug, rule))
                    key = _code(n)
                    # a single-word name ("Kymriah") also works as an exact code-like key
                    if len(key) >= 6 and " " not in norm:
                        self.codes.setdefault(key, slug)


def _texts(trial: Any) -> list[tuple[str, str]]:
    get = trial.get if isinstance(trial, dict) else lambda k, d=None: getattr(trial, k, d)
    out = []
    for i, iv in enumerate(get("interventions", []) or []):
        parts = [iv.get("name") or ""] + list(iv.get("other_names") or [])
        out.append((f"interventions[{i}]", " | ".join(p for p in parts if p)))
    out.append(("title", get("title", "") or ""))
    return out


def match_products(trial: Any, index: _Index, threshold: float = 92.0) -> list[ProductMatch]:
    from rapidfuzz import fuzz

    found: dict[str, ProductMatch] = {}
    for fname, text in _texts(trial):
        if not text:
            continue
        words = _WORD.findall(text.lower())
        # codes: 1- to 3-word windows joined ("jnj 68284528" -> "jnj68284528")
        for n in (1, 2, 3):
            for i in range(len(words) - n + 1):
                key = "".join(words[i : i + n])
                slug = index.codes.get(key)
                if slug and slug not in found:
                    found[slug] = ProductMatch(
                        slug, fname, " ".join(words[i : i + n]), 100.0, "code"
                    )
        norm = _norm(text)
        for name, slug, rule in index.names:
            if slug in found:
                continue
            score = fuzz.partial_ratio(name, norm, score_cutoff=threshold)
            if score and _token_aligned(name, norm):
                found[slug] = ProductMatch(slug, fname, name, float(score), rule)
    return list(found.values())


def _token_aligned(name: str, text: str) -> bool:
    """Fuzzy hits must start on a word boundary, so 'stem' never matches 'cartistem'."""
    first = name.split()[0]
    return any(w.startswith(first[:4]) for w in text.split())


def link_products(
    trials: Iterable[Any], products: Iterable[ProductSpec], threshold: float = 92.0
) -> dict[str, list[str]]:
    """``{trial_id: [product slug, …]}`` for every trial that names an atlas product."""
    index = _Index(products)
    out: dict[str, list[str]] = {}
    for trial in trials:
        tid = trial["trial_id"] if isinstance(trial, dict) else trial.trial_id
        matches = match_products(trial, index, threshold)
        if matches:
            out[tid] = sorted({m.slug for m in matches})
    return out
