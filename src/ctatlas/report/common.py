"""Helpers every renderer shares: cell text, source numbering, section order."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from ctatlas.analysis import Finding, Table
from ctatlas.analysis.tables import Column

__all__ = [
    "FINDING_CHARTS",
    "SECTIONS",
    "TABLE_CHARTS",
    "SourceIndex",
    "cell_text",
    "finding_rows",
    "pct",
    "sections_for",
    "shown_columns",
]

#: Section heading -> the table ids and chart ids it shows, in report order ("findings" is
#: the findings block).
SECTIONS: list[tuple[str, str, list[str], list[str]]] = [
    ("definitions", "1. Definitions side by side", ["definitions"], []),
    ("japan", "2. Japan's marketed somatic (adult) cell products", ["japan_somatic"], []),
    ("asia", "3. Asia's marketed stem-cell products", ["asia_stem"], []),
    ("findings", "4. Findings", [], []),
    ("approvals", "5. Approvals over time", ["approvals_by_year"], ["approvals_over_time"]),
    ("lag", "6. Approval lag", ["approval_lag", "approval_lag_medians"], ["approval_lag"]),
    ("diseases", "7. Disease areas", ["disease_areas"], ["disease_areas"]),
    (
        "pipeline",
        "8. Pipeline: curated development programs",
        ["pipeline_completeness", "pipeline_stage_family_origin", "pipeline_topics",
         "pipeline_filed", "pipeline_discontinued",
         # the registries part (ctatlas.analysis.registries), when a trials store is present
         "pipeline_trials_store", "pipeline_trials_starts", "pipeline_trials_phases",
         "pipeline_trials_sponsors", "pipeline_trials_topics"],
        ["pipeline_funnel", "pipeline_family_origin",
         "trial_starts_by_family", "trial_starts_by_region", "trial_phase_mix"],
    ),
    (
        "conditional",
        "9. Conditional approvals followed to their outcome",
        ["conditional_approvals", "conditional_conversion"],
        [],
    ),
    (
        "tiers",
        "10. Routes to patients beside product approval",
        ["tier_routes", "tier_figures"],
        [],
    ),
    (
        "designations",
        "11. Designations and what became of them",
        ["designation_outcomes"],
        [],
    ),
    ("sources", "12. Sources and completeness", ["completeness"], []),
]


def sections_for(table_ids: Iterable[str]) -> list[tuple[str, str, list[str], list[str]]]:
    """The sections to show, in order and numbered: a section whose tables are all missing
    (the pipeline without programs, e.g. for a past as-of date) is left out."""
    present = set(table_ids)
    out = []
    for key, title, tables, charts in SECTIONS:
        if tables and not present.intersection(tables):
            continue
        heading = title.split(". ", 1)[1]
        out.append((key, f"{len(out) + 1}. {heading}", [t for t in tables if t in present],
                    charts))
    return out


#: Tables of products (their modality column is left out of the documents: no room).
PRODUCT_TABLES = frozenset({"japan_somatic", "asia_stem"})

#: The charts drawn from a table (those of its section, given to the section's first table),
#: for a page that shows each chart beside its table.
TABLE_CHARTS: dict[str, list[str]] = {
    tables[0]: charts for _key, _title, tables, charts in SECTIONS if tables and charts
}

#: Charts shown next to a finding.
FINDING_CHARTS = {
    "autologous_share": "autologous_share",
    "allogeneic_over_time": "allogeneic_over_time",
}


def pct(value: float | None, lang: str = "en") -> str:
    """0.625 -> ``63%``; None -> ``n/a`` (in ``lang``)."""
    if value is None:
        from ctatlas.report.texts import translate

        return translate("n/a", lang) or "n/a"
    return f"{value:.0%}"


def cell_text(value: Any, column: Column, lang: str = "en") -> str:
    """A cell as plain text (unknown: an em dash; codes as their labels in ``lang``)."""
    if value is None or value == "":
        return "—"
    if column.type == "share":
        return pct(value)
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    if column.type == "bool":
        if lang != "en":
            from ctatlas.labels import label

            return label("yes_no", bool(value), lang)
        return "yes" if value else "no"
    if column.type == "cited":
        return str(value["text"])
    if column.type == "links":
        return ", ".join(link["url"] for link in value)
    from ctatlas.labels import cell_label

    return str(cell_label(column.key, value, lang))


def shown_columns(table: Table, printable: bool) -> list[Column]:
    """The columns a document shows (the slug only where there is room for it)."""
    if not printable:
        return table.columns
    hidden = {"slug"} | ({"modality"} if table.id in PRODUCT_TABLES else set())
    return [c for c in table.columns if c.key not in hidden]


@dataclasses.dataclass
class SourceIndex:
    """Numbers sources in order of first use, so rows cite ``[n]`` and a list resolves them."""

    entries: list[dict[str, str]] = dataclasses.field(default_factory=list)
    _numbers: dict[str, int] = dataclasses.field(default_factory=dict)

    def number(self, link: dict[str, str]) -> int:
        """The source's number (a new one for a new URL)."""
        url = link["url"]
        if url not in self._numbers:
            self.entries.append({"title": link.get("title") or url, "url": url})
            self._numbers[url] = len(self.entries)
        return self._numbers[url]

    def numbers(self, links: list[dict[str, str]]) -> list[tuple[int, str]]:
        """(number, url) for each link."""
        return [(self.number(link), link["url"]) for link in links]


def finding_rows(finding: Finding) -> list[dict[str, Any]]:
    """A finding's breakdown as rows (label, numerator, denominator, share, items)."""
    return [
        {
            "label": b.label,
            "numerator": b.numerator,
            "denominator": b.denominator,
            "share": b.share,
            "which": ", ".join(b.items),
        }
        for b in finding.breakdown
    ]
