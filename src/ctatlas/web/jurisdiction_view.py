"""What the jurisdiction pages show: ``/jurisdictions`` (every jurisdiction, with counts) and
``/jurisdictions/{code}`` (regulators, laws, definitions, categories, pathways, designations
with their outcomes and the regulator's published totals, risk tiers, the tier routes with
their figures, events and plans, and the comparison entries).

Kept apart from :mod:`ctatlas.web.pages` (one concern). Every citation becomes a visible link
whose words name the law and article (or the document's title, or the site), so a reader sees
where a statement comes from without hovering.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

__all__ = ["SECTIONS", "cited", "designation_figures", "jurisdiction_view", "law_short_name"]


def N_(message: str) -> str:
    """Marks a string for the message catalogues (translated where it is shown)."""
    return message


#: (anchor and data key, heading) of the page's sections, in order; headings are translated.
SECTIONS = [
    ("regulators", N_("Regulators")),
    ("laws", N_("Laws and regulations")),
    ("definitions", N_("Legal definitions")),
    ("categories", N_("Legal categories")),
    ("pathways", N_("Approval pathways")),
    ("designations", N_("Designations")),
    ("designation_figures", N_("Designations in figures")),
    ("risk_tiers", N_("Risk tiers")),
    ("tier_routes", N_("Routes to patients outside product approval")),
    ("tier_figures", N_("Published figures")),
    ("tier_events", N_("Events")),
    ("tier_plans", N_("Plans found suitable")),
    ("comparison", N_("In the side-by-side comparison")),
]
_ABBREVIATION = re.compile(r"\(([^()]{2,40})\)\s*$")


def law_short_name(law: Mapping[str, Any]) -> str:
    """A law's short name: the abbreviation its title ends with ("... (PMD Act)"), else the
    title."""
    title = str(law.get("title") or law.get("id") or "")
    match = _ABBREVIATION.search(title)
    return match.group(1) if match else title


def cited(citation: Mapping[str, Any], laws: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """A citation as a link's words: ``text`` (law and article, or title, or the site),
    ``url``, ``host``, ``accessed``, ``read_via``."""
    host = urlsplit(str(citation.get("url") or "")).hostname or ""
    law = laws.get(str(citation.get("law") or ""))
    name = law_short_name(law) if law else str(citation.get("title") or "")
    article = citation.get("article")
    if name and article:
        text = f"{name}, {article}"
    else:
        text = name or str(article or "") or host
    return {
        "text": text,
        "law": citation.get("law") if law else None,
        "url": citation.get("url"),
        "host": host.removeprefix("www."),
        "accessed": citation.get("accessed"),
        "read_via": citation.get("read_via"),
    }


def _cite_all(value: Any, laws: Mapping[str, Mapping[str, Any]]) -> Any:
    """``value`` with every ``citations`` list turned into :func:`cited` dicts."""
    if isinstance(value, list):
        return [_cite_all(v, laws) for v in value]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "citations" and isinstance(item, list):
                out[key] = [cited(c, laws) for c in item]
            else:
                out[key] = _cite_all(item, laws)
        return out
    return value


def designation_figures(
    doc: Mapping[str, Any],
    stats: Sequence[Mapping[str, Any]],
    published: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """The jurisdiction's designations in figures: ``stats``, the atlas's therapies per
    designation (:func:`ctatlas.designations.designation_stats`, with the median days from
    designation to approval), and ``published``, each of the file's ``designation_totals``
    with its sources and, for a running total, ``atlas_names``: how many of them the atlas
    names (:func:`ctatlas.designations.published_totals`, for this jurisdiction alone)."""
    code = doc["code"]
    named = [p for p in published if p["jurisdiction"] == code]
    totals = list(doc.get("designation_totals") or [])
    if len(named) != len(totals):
        raise ValueError(f"{code}: {len(totals)} designation totals, {len(named)} compared")
    rows = []
    for total, compared in zip(totals, named, strict=True):
        if (str(total["designation"]), total["value"]) != (
            compared["designation"], compared["value"]
        ):
            raise ValueError(f"{code}: designation totals out of order")
        rows.append({**total, "atlas_names": compared["atlas_names"]})
    return {"stats": [s for s in stats if s["jurisdiction"] == code], "published": rows}


def jurisdiction_view(
    doc: Mapping[str, Any],
    aspects: Mapping[str, str],
    designations: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The page's data: the document with its citations as link words, the ids of routes,
    tiers and laws resolved to their labels, the comparison as (aspect, entry) pairs, the
    designations in figures (``designations``: :func:`designation_figures`) and the sections
    that have something to show (``sections``: (anchor, heading))."""
    laws = {law["id"]: law for law in doc.get("laws", [])}
    page = _cite_all(dict(doc), laws)
    figures = designations or {}
    page["designation_figures"] = figures if any(figures.values()) else None
    comparison = page.get("comparison") or {}
    page["comparison"] = [
        (aspects.get(key, key), entry) for key, entry in comparison.items() if entry
    ]
    page["route_labels"] = {r["id"]: r for r in page.get("tier_routes", [])}
    page["tier_labels"] = {t["id"]: t for t in page.get("risk_tiers", [])}
    page["law_names"] = {key: law_short_name(law) for key, law in laws.items()}
    page["sections"] = [(key, heading) for key, heading in SECTIONS if page.get(key)]
    return page
