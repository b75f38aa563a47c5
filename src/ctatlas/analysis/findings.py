"""The founding analysis's findings, computed from the data — never typed.

Each :class:`Finding` says what was counted (numerator over denominator), what was left out
and why, how the borderline kinds count, and whether the data supports the original claim
("most" = more than half). Findings without a claim (trends, counts) have
``supports_claim = None``.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Any

from ctatlas.analysis.landscape import (
    ASIA,
    ENDED_STATUSES,
    Landscape,
    approval_date,
    approval_day,
    is_cell_product,
    is_marketed,
)

__all__ = [
    "COUNTING_RULES",
    "Breakdown",
    "Exclusion",
    "Finding",
    "allogeneic_over_time",
    "all_findings",
    "autologous_share",
    "conditional_vs_standard",
    "mesenchymal_share",
    "share",
    "withdrawals_and_lapses",
]

GENE_THERAPY_EXCLUDED = "non-cell gene therapy (always excluded)"
CONDITIONAL = ("conditional_time_limited", "conditional", "accelerated")

#: How the borderline kinds count, stated in every finding they touch.
COUNTING_RULES = {
    "cord_blood": "Cord-blood products (HPC, cord blood) count as allogeneic cell products and, "
    "being haematopoietic stem cells, as stem-cell products that are not mesenchymal.",
    "gene_modified_hsc": "Gene-modified HSC products count as autologous cell products and as "
    "stem-cell products (HSC, not mesenchymal).",
    "gene_modified_cells": "Gene-modified cells (e.g. CAR-T) are cell products and count like "
    "any other; non-cell gene therapies (vectors, oncolytic viruses) never count.",
}


def share(numerator: int, denominator: int) -> float | None:
    """numerator / denominator, or None when there is nothing to divide."""
    return numerator / denominator if denominator else None


@dataclasses.dataclass
class Exclusion:
    """A product left out of a finding, and why."""

    slug: str
    name: str
    reason: str
    jurisdiction: str | None = None


@dataclasses.dataclass
class Breakdown:
    """One line of a finding's breakdown (a country, a year, a pathway...)."""

    label: str
    numerator: int
    denominator: int
    share: float | None
    items: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Finding:
    """One computed finding."""

    id: str
    title: str
    claim: str | None
    statement: str
    numerator: int
    denominator: int
    share: float | None
    supports_claim: bool | None
    numerator_label: str
    denominator_label: str
    excluded: list[Exclusion] = dataclasses.field(default_factory=list)
    rules: list[str] = dataclasses.field(default_factory=list)
    breakdown: list[Breakdown] = dataclasses.field(default_factory=list)
    breakdown_label: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dataclasses.asdict(self)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _verdict(value: float | None) -> bool | None:
    return None if value is None else value > 0.5


def _support_text(supports: bool | None) -> str:
    return {True: "supports", False: "does not support", None: "cannot test"}[supports]


def _exclusion(doc: dict[str, Any], reason: str, jur: str | None = None) -> Exclusion:
    return Exclusion(doc["slug"], doc["name"], reason, jur)


def _origin_exclusion(doc: dict[str, Any]) -> str | None:
    if not is_cell_product(doc):
        return GENE_THERAPY_EXCLUDED
    if doc.get("origin") is None:
        return "origin unknown"
    if doc["origin"] == "not_applicable":
        return "origin not applicable"
    return None


def autologous_share(land: Landscape) -> Finding:
    """Share of autologous products among marketed cell products, per country and overall."""
    per: dict[str, list[dict[str, Any]]] = defaultdict(list)
    excluded: dict[str, Exclusion] = {}
    overall: dict[str, dict[str, Any]] = {}
    for doc, auth in land.authorizations():
        if not is_marketed(auth):
            continue
        reason = _origin_exclusion(doc)
        if reason:
            excluded.setdefault(doc["slug"], _exclusion(doc, reason))
            continue
        per[auth["jurisdiction"]].append(doc)
        overall[doc["slug"]] = doc
    breakdown = []
    for code in land.selected:
        docs = per.get(code, [])
        auto = [d for d in docs if d["origin"] == "autologous"]
        if docs:
            breakdown.append(
                Breakdown(code, len(auto), len(docs), share(len(auto), len(docs)),
                          sorted(d["slug"] for d in auto))
            )
    num = sum(1 for d in overall.values() if d["origin"] == "autologous")
    den = len(overall)
    value = share(num, den)
    supports = _verdict(value)
    return Finding(
        "autologous_share",
        "Most marketed cell products are autologous",
        "Most marketed cell therapy products are autologous.",
        f"{num} of {den} marketed cell products ({_pct(value)}) are autologous; the data "
        f"{_support_text(supports)} the claim.",
        num,
        den,
        value,
        supports,
        "autologous products",
        "marketed cell products with a known origin (distinct products, all selected "
        "jurisdictions)",
        sorted(excluded.values(), key=lambda e: e.slug),
        [COUNTING_RULES["gene_modified_cells"], COUNTING_RULES["cord_blood"],
         COUNTING_RULES["gene_modified_hsc"],
         "Per country, a product counts in each jurisdiction where it is marketed; overall, "
         "once."],
        breakdown,
        "Jurisdiction",
    )


def _stem_population(
    land: Landscape, codes: set[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, Exclusion]]:
    docs: dict[str, dict[str, Any]] = {}
    excluded: dict[str, Exclusion] = {}
    for doc, auth in land.authorizations():
        if auth["jurisdiction"] not in codes or not is_marketed(auth):
            continue
        if doc["cell_class"] != "stem":
            continue
        if not is_cell_product(doc):
            excluded.setdefault(doc["slug"], _exclusion(doc, GENE_THERAPY_EXCLUDED))
        elif doc.get("stem_type") in (None, "not_applicable"):
            excluded.setdefault(doc["slug"], _exclusion(doc, "stem type unknown"))
        else:
            docs[doc["slug"]] = doc
    return docs, excluded


def mesenchymal_share(land: Landscape) -> Finding:
    """Share of mesenchymal (MSC) products among marketed stem-cell products.

    The claim was made of Asia's stem-cell products (the analysis's Table 3), so the headline
    counts the selected Asian jurisdictions; without any, every selected jurisdiction. The
    breakdown gives each jurisdiction and all selected together.
    """
    asia = set(ASIA) & set(land.selected)
    scope = asia or set(land.selected)
    scope_label = "Asia" if asia else "all selected jurisdictions"
    docs, excluded = _stem_population(land, scope)
    breakdown = []
    groups = [(c, {c}) for c in land.selected]
    groups += [("Asia", asia), ("All selected", set(land.selected))]
    for label, codes in groups:
        sub, _ = _stem_population(land, codes)
        msc = [d for d in sub.values() if d["stem_type"] == "MSC"]
        if sub:
            breakdown.append(Breakdown(label, len(msc), len(sub), share(len(msc), len(sub)),
                                       sorted(d["slug"] for d in msc)))
    num = sum(1 for d in docs.values() if d["stem_type"] == "MSC")
    den = len(docs)
    value = share(num, den)
    supports = _verdict(value)
    return Finding(
        "mesenchymal_share",
        "Stem-cell products are mostly mesenchymal",
        "Marketed stem-cell products in Asia are mostly mesenchymal (MSC).",
        f"{num} of {den} marketed stem-cell products in {scope_label} ({_pct(value)}) are "
        f"mesenchymal; the data {_support_text(supports)} the claim.",
        num,
        den,
        value,
        supports,
        "mesenchymal (MSC) products",
        f"marketed stem-cell products with a known stem type in {scope_label} (distinct "
        "products)",
        sorted(excluded.values(), key=lambda e: e.slug),
        [COUNTING_RULES["cord_blood"], COUNTING_RULES["gene_modified_hsc"]],
        breakdown,
        "Jurisdiction",
    )


def allogeneic_over_time(land: Landscape) -> Finding:
    """Allogeneic share of cell products, cumulatively by year of first approval."""
    first: dict[str, tuple[int, dict[str, Any]]] = {}
    excluded: dict[str, Exclusion] = {}
    for doc in land.products:
        reason = _origin_exclusion(doc)
        if reason:
            excluded[doc["slug"]] = _exclusion(doc, reason)
            continue
        days = [d for d in (approval_day(a) for a in doc["authorizations"]) if d]
        if not days:
            excluded[doc["slug"]] = _exclusion(doc, "no approval date")
            continue
        first[doc["slug"]] = (min(days).year, doc)
    breakdown = []
    years = sorted({y for y, _ in first.values()})
    for year in years:
        upto = [d for y, d in first.values() if y <= year]
        allo = [d for d in upto if d["origin"] == "allogeneic"]
        breakdown.append(Breakdown(str(year), len(allo), len(upto), share(len(allo), len(upto)),
                                   sorted(d["slug"] for y, d in first.values()
                                          if y == year and d["origin"] == "allogeneic")))
    num = sum(1 for _, d in first.values() if d["origin"] == "allogeneic")
    den = len(first)
    value = share(num, den)
    return Finding(
        "allogeneic_over_time",
        "Allogeneic share over time",
        None,
        f"{num} of {den} cell products ever approved ({_pct(value)}) are allogeneic; the "
        "breakdown shows the cumulative share by year of first approval.",
        num,
        den,
        value,
        None,
        "allogeneic products",
        "cell products approved in any selected jurisdiction, marketed or not, with a known "
        "origin (cumulative to each year; the year is the first approval anywhere)",
        sorted(excluded.values(), key=lambda e: e.slug),
        [COUNTING_RULES["cord_blood"], COUNTING_RULES["gene_modified_hsc"]],
        breakdown,
        "Year (cumulative)",
    )


def conditional_vs_standard(land: Landscape) -> Finding:
    """Conditional (incl. Japan's conditional and time-limited, and US accelerated) vs
    standard approvals of cell products, per jurisdiction."""
    per: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    excluded: list[Exclusion] = []
    for doc, auth in land.authorizations():
        if not is_cell_product(doc):
            excluded.append(_exclusion(doc, GENE_THERAPY_EXCLUDED, auth["jurisdiction"]))
        elif auth["pathway"] not in (*CONDITIONAL, "standard"):
            excluded.append(_exclusion(doc, f"pathway {auth['pathway']}", auth["jurisdiction"]))
        else:
            per[auth["jurisdiction"]].append((doc, auth))
    breakdown = []
    for code in land.selected:
        pairs = per.get(code, [])
        cond = [f"{a['brand_name']}" for _, a in pairs if a["pathway"] in CONDITIONAL]
        if pairs:
            breakdown.append(Breakdown(code, len(cond), len(pairs), share(len(cond), len(pairs)),
                                       sorted(cond, key=str.casefold)))
    num = sum(b.numerator for b in breakdown)
    den = sum(b.denominator for b in breakdown)
    value = share(num, den)
    return Finding(
        "conditional_vs_standard",
        "Conditional vs standard approvals",
        None,
        f"{num} of {den} authorizations of cell products ({_pct(value)}) were conditional "
        "approvals.",
        num,
        den,
        value,
        None,
        "conditional authorizations (conditional and time-limited, conditional, accelerated)",
        "authorizations of cell products granted by a standard or conditional pathway, "
        "marketed or not",
        sorted(excluded, key=lambda e: (e.slug, e.jurisdiction or "")),
        [COUNTING_RULES["gene_modified_cells"],
         "An authorization counts by the pathway it was granted under, even if later "
         "converted to a full approval."],
        breakdown,
        "Jurisdiction",
    )


def withdrawals_and_lapses(land: Landscape) -> Finding:
    """Authorizations of cell products no longer in force: withdrawn, expired, not renewed,
    revoked or suspended."""
    per: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    excluded: list[Exclusion] = []
    for doc, auth in land.authorizations():
        if not is_cell_product(doc):
            excluded.append(_exclusion(doc, GENE_THERAPY_EXCLUDED, auth["jurisdiction"]))
        else:
            per[auth["jurisdiction"]].append((doc, auth))
    breakdown = []
    for code in land.selected:
        pairs = per.get(code, [])
        ended = []
        for _, auth in pairs:
            if auth["status"] in ENDED_STATUSES:
                when = [e["date"] for e in auth["status_history"] if e["event"] == auth["status"]]
                ended.append(
                    f"{auth['brand_name']}: {auth['status']}"
                    + (f" {when[-1]}" if when else "")
                    + f" (approved {approval_date(auth) or '?'})"
                )
        if pairs:
            breakdown.append(Breakdown(code, len(ended), len(pairs), share(len(ended), len(pairs)),
                                       ended))
    num = sum(b.numerator for b in breakdown)
    den = sum(b.denominator for b in breakdown)
    value = share(num, den)
    return Finding(
        "withdrawals_and_lapses",
        "Withdrawals and lapses",
        None,
        f"{num} of {den} authorizations of cell products ({_pct(value)}) are no longer in "
        "force (withdrawn, expired, not renewed, revoked or suspended).",
        num,
        den,
        value,
        None,
        "authorizations withdrawn, expired, not renewed, revoked or suspended",
        "authorizations of cell products ever granted",
        sorted(excluded, key=lambda e: (e.slug, e.jurisdiction or "")),
        [COUNTING_RULES["gene_modified_cells"]],
        breakdown,
        "Jurisdiction",
    )


def all_findings(land: Landscape) -> list[Finding]:
    """Every finding, in report order."""
    return [
        autologous_share(land),
        mesenchymal_share(land),
        allogeneic_over_time(land),
        conditional_vs_standard(land),
        withdrawals_and_lapses(land),
    ]
