"""The analysis's tables, computed from a :class:`~ctatlas.analysis.landscape.Landscape`.

Each function returns a :class:`Table`: typed columns and rows of plain JSON-ready values, so
the report renders it in any format and the web serves it as it is. Product rows carry their
``sources`` (a list of ``{"title", "url"}``); definition cells carry their citations.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections import Counter, defaultdict
from typing import Any, Literal

from ctatlas.analysis.landscape import (
    ASIA,
    CORE_JURISDICTIONS,
    Landscape,
    approval_date,
    approval_day,
    is_cell_product,
    is_marketed,
    jurisdiction_order,
)
from ctatlas.vocab import date_precision, date_start

__all__ = [
    "COMPARISON_ASPECTS",
    "FOUNDING_TOPICS",
    "Column",
    "ColumnType",
    "Table",
    "all_tables",
    "approval_lag",
    "approval_lag_medians",
    "approvals_by_year",
    "approvals_over_time",
    "asia_stem_cell_products",
    "completeness",
    "definitions",
    "disease_areas",
    "japan_somatic_products",
]

#: text; date (a partial date string); int; share (0..1 float); bool; cited ({text,
#: citations}); links (list of {title, url}).
ColumnType = Literal["text", "date", "int", "share", "bool", "cited", "links"]


@dataclasses.dataclass
class Column:
    """One column: the row key, its heading and its type."""

    key: str
    label: str
    type: ColumnType = "text"


@dataclasses.dataclass
class Table:
    """A titled table with typed columns."""

    id: str
    title: str
    description: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    notes: list[str] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dataclasses.asdict(self)

    def column(self, key: str) -> list[Any]:
        """Every row's value for ``key``."""
        return [row.get(key) for row in self.rows]


#: The rows of the definitions table: comparison-block field -> heading.
COMPARISON_ASPECTS: dict[str, str] = {
    "scope_term": "Scope term",
    "manipulation_threshold": "Manipulation threshold",
    "same_function_concept": "Same-function (homologous use) concept",
    "autologous_treatment": "Autologous treatment",
    "gene_modified_cells": "Gene-modified cells",
    "expedited_pathways": "Expedited pathways",
    "conditional_pathways": "Conditional pathways",
    "risk_tiers": "Risk tiers",
    "governing_laws": "Governing laws",
}


def _links(*source_lists: list[dict[str, Any]]) -> list[dict[str, str]]:
    seen: set[str] = set()
    out = []
    for sources in source_lists:
        for s in sources:
            if s["url"] not in seen:
                seen.add(s["url"])
                out.append({"title": s.get("title") or s["url"], "url": s["url"]})
    return out


_KIND_RANK = {"regulator": 0, "company": 1, "peer_reviewed": 2, "registry": 3, "news": 4}


def _best_source(auth: dict[str, Any]) -> list[dict[str, Any]]:
    """The one source an aggregate row cites for an authorization (regulator first)."""
    sources = auth.get("sources", [])
    if not sources:
        return []
    return [min(sources, key=lambda s: _KIND_RANK.get(s.get("kind", ""), 9))]


def _citation_label(citation: dict[str, Any], laws: dict[str, dict[str, Any]]) -> str:
    law = laws.get(citation.get("law") or "")
    label = (law or {}).get("title") or citation.get("title") or citation["url"]
    if citation.get("article"):
        label += f", {citation['article']}"
    return str(label)


def definitions(land: Landscape) -> Table:
    """Table 1: definitions side by side (JP, US, EU, KR), each cell with its citations."""
    codes = [
        c
        for c in CORE_JURISDICTIONS
        if c in land.jurisdictions and land.jurisdictions[c].get("comparison")
    ]
    columns = [Column("aspect", "")] + [
        Column(c, land.jurisdictions[c]["name"], "cited") for c in codes
    ]
    rows = []
    for key, label in COMPARISON_ASPECTS.items():
        row: dict[str, Any] = {"aspect": label}
        for code in codes:
            jur = land.jurisdictions[code]
            laws = {law["id"]: law for law in jur.get("laws", [])}
            entry = jur["comparison"][key]
            row[code] = {
                "text": entry["text"],
                "citations": [
                    {"title": _citation_label(c, laws), "url": c["url"]}
                    for c in entry["citations"]
                ],
            }
        rows.append(row)
    notes = []
    missing = [
        c for c in CORE_JURISDICTIONS if c in land.selected and c not in codes
    ]
    if missing:
        notes.append(f"No comparison entries recorded for {', '.join(missing)}.")
    return Table(
        "definitions",
        "Definitions side by side",
        "How Japan, the United States, the European Union and Korea scope and regulate cell "
        "therapy products (the founding analysis's Table 1, extended with Korea).",
        columns,
        rows,
        notes,
    )


_PRODUCT_COLUMNS = [
    Column("brand_name", "Brand"),
    Column("local_name", "Local name"),
    Column("name", "Common name"),
    Column("holder", "Holder"),
    Column("approval_date", "Approved", "date"),
    Column("pathway", "Pathway"),
    Column("origin", "Origin"),
    Column("tissue_source", "Tissue source"),
    Column("indication", "Indication"),
    Column("status", "Status"),
    Column("modality", "Modality"),
    Column("slug", "Slug"),
    Column("sources", "Sources", "links"),
]


def _product_row(doc: dict[str, Any], auth: dict[str, Any]) -> dict[str, Any]:
    status = auth["status"]
    if auth.get("conditional_expiry") and auth["pathway"] == "conditional_time_limited":
        status += f" (conditional until {auth['conditional_expiry']})"
    return {
        "jurisdiction": auth["jurisdiction"],
        "brand_name": auth["brand_name"],
        "local_name": auth.get("local_name"),
        "name": doc["name"],
        "holder": auth.get("holder"),
        "approval_date": approval_date(auth),
        "pathway": auth["pathway"],
        "origin": doc.get("origin"),
        "tissue_source": doc.get("tissue_source"),
        "indication": "; ".join(i["text"] for i in auth["indications"]),
        "status": status,
        "modality": doc["modality"],
        "stem_type": doc.get("stem_type"),
        "slug": doc["slug"],
        "sources": _links(auth.get("sources", []), doc.get("sources", [])),
    }


def _sort_key(row: dict[str, Any]) -> tuple[str, str, str]:
    return (row["approval_date"] or "9999", row["jurisdiction"], row["brand_name"].casefold())


def japan_somatic_products(land: Landscape) -> Table:
    """Table 2: Japan's marketed adult (somatic) cell products."""
    rows = [
        _product_row(doc, auth)
        for doc, auth in land.authorizations()
        if auth["jurisdiction"] == "JP"
        and is_marketed(auth)
        and is_cell_product(doc)
        and doc["cell_class"] == "somatic"
    ]
    notes = [
        "Somatic = the analysis's 'adult cell' products, gene-modified somatic cells (e.g. "
        "CAR-T) included; non-cell gene therapies excluded. Marketed = authorized on the "
        "report's date."
    ]
    if "JP" not in land.selected:
        notes.append("Japan is not among the selected jurisdictions.")
    return Table(
        "japan_somatic",
        "Japan's marketed somatic (adult) cell products",
        "The founding analysis's Table 2.",
        list(_PRODUCT_COLUMNS),
        sorted(rows, key=_sort_key),
        notes,
    )


def asia_stem_cell_products(land: Landscape) -> Table:
    """Table 3: Asia's marketed stem-cell products."""
    rows = [
        _product_row(doc, auth)
        for doc, auth in land.authorizations()
        if auth["jurisdiction"] in ASIA
        and is_marketed(auth)
        and is_cell_product(doc)
        and doc["cell_class"] == "stem"
    ]
    columns = [Column("jurisdiction", "Country"), *_PRODUCT_COLUMNS[:7]]
    columns += [Column("stem_type", "Stem type"), *_PRODUCT_COLUMNS[7:]]
    return Table(
        "asia_stem",
        "Asia's marketed stem-cell products",
        "The founding analysis's Table 3. Asia = " + ", ".join(ASIA) + ".",
        columns,
        sorted(rows, key=_sort_key),
        ["Gene-modified stem cells (e.g. gene-modified HSC) are included; non-cell gene "
         "therapies excluded. Marketed = authorized on the report's date."],
    )


def approvals_over_time(land: Landscape) -> Table:
    """Authorizations granted per year, jurisdiction and modality (whatever their status now)."""
    counts: Counter[tuple[int, str, str]] = Counter()
    undated = []
    for doc, auth in land.authorizations():
        day = approval_day(auth)
        if day is None:
            undated.append(f"{auth['brand_name']} ({auth['jurisdiction']})")
            continue
        counts[(day.year, auth["jurisdiction"], doc["modality"])] += 1
    order = {c: i for i, c in enumerate(land.selected)}
    keys = sorted(counts, key=lambda k: (k[0], order.get(k[1], 99), k[2]))
    rows = [
        {"year": y, "jurisdiction": j, "modality": m, "approvals": counts[(y, j, m)]}
        for y, j, m in keys
    ]
    notes = ["Counts every authorization granted, including ones withdrawn or expired since; "
             "non-cell gene therapies are shown as their own modality."]
    if undated:
        notes.append("Without an approval date: " + ", ".join(undated) + ".")
    return Table(
        "approvals_over_time",
        "Approvals over time",
        "Authorizations granted per year, by jurisdiction and modality.",
        [
            Column("year", "Year", "int"),
            Column("jurisdiction", "Jurisdiction"),
            Column("modality", "Modality"),
            Column("approvals", "Approvals", "int"),
        ],
        rows,
        notes,
    )


def approvals_by_year(land: Landscape) -> Table:
    """Authorizations granted per year and jurisdiction (all modalities), with totals, and how
    many of them were non-cell gene therapies."""
    long = approvals_over_time(land)
    per: dict[int, Counter[str]] = defaultdict(Counter)
    gene: Counter[int] = Counter()
    for row in long.rows:
        per[row["year"]][row["jurisdiction"]] += row["approvals"]
        if row["modality"] == "gene_therapy":
            gene[row["year"]] += row["approvals"]
    codes = [c for c in land.selected if any(per[y][c] for y in per)]
    rows = []
    for year in sorted(per):
        row: dict[str, Any] = {"year": year}
        row.update({code: per[year][code] for code in codes})
        row["total"] = sum(per[year].values())
        row["gene_therapy"] = gene[year]
        rows.append(row)
    return Table(
        "approvals_by_year",
        "Approvals per year and jurisdiction",
        "Authorizations granted per year (every modality); the chart splits them by modality.",
        [Column("year", "Year", "int")]
        + [Column(code, code, "int") for code in codes]
        + [Column("total", "Total", "int"),
           Column("gene_therapy", "Of which non-cell gene therapy", "int")],
        rows,
        long.notes,
    )


def _lag_entries(land: Landscape) -> list[dict[str, Any]]:
    """Per therapy approved in more than one jurisdiction: its dated approvals."""
    out = []
    for doc in land.products:
        dated = [(a, approval_date(a)) for a in doc["authorizations"]]
        dated = [(a, d) for a, d in dated if d]
        if len({a["jurisdiction"] for a, _ in dated}) < 2:
            continue
        by_jur: dict[str, str] = {}
        for auth, value in sorted(dated, key=lambda ad: approval_day(ad[0]) or 0):
            by_jur.setdefault(auth["jurisdiction"], value)
        out.append({"doc": doc, "dates": by_jur, "auths": [a for a, _ in dated]})
    return out


def _brands(names: list[str]) -> str:
    """A therapy's brand names in order, once each whatever their case (a regulator's
    capitals, KYMRIAH, give way to the brand's own spelling, Kymriah)."""
    forms: dict[str, list[str]] = {}
    for name in names:
        if name:
            forms.setdefault(name.casefold(), []).append(name)
    return " / ".join(
        next((f for f in spellings if not f.isupper()), spellings[0])
        for spellings in forms.values()
    )


def _days(later: str, earlier: str) -> int:
    return (date_start(later) - date_start(earlier)).days


def approval_lag(land: Landscape) -> Table:
    """Days from a therapy's first approval anywhere to its approval in Japan and in Korea."""
    rows = []
    for entry in _lag_entries(land):
        doc, dates = entry["doc"], entry["dates"]
        first_value = min(dates.values(), key=lambda v: (date_start(v), v))
        first_jurs = [j for j, v in dates.items() if v == first_value]
        # every entry's authorizations are dated: ISO dates sort as text
        auths = sorted(entry["auths"], key=lambda a: str(approval_day(a)))
        row: dict[str, Any] = {
            "brand_name": _brands([a["brand_name"] for a in auths]) or doc["name"],
            "name": doc["name"],
            "slug": doc["slug"],
            "modality": doc["modality"],
            "jurisdictions": ", ".join(jurisdiction_order(dates)),
            "first_jurisdiction": ", ".join(first_jurs),
            "first_approval": first_value,
        }
        approximate = False
        for code in ("JP", "KR"):
            value = dates.get(code)
            row[f"{code.lower()}_approval"] = value
            row[f"{code.lower()}_lag_days"] = _days(value, first_value) if value else None
            if value and date_precision(value) != "day":
                approximate = True
        row["approximate"] = approximate or date_precision(first_value) != "day"
        row["sources"] = _links(*[a.get("sources", []) for a in entry["auths"]])
        rows.append(row)
    rows.sort(key=lambda r: (r["first_approval"], r["slug"]))
    return Table(
        "approval_lag",
        "Approval lag",
        "For each therapy authorized in more than one jurisdiction: days from its first "
        "approval anywhere to its approval in Japan and in Korea.",
        [
            Column("name", "Therapy"),
            Column("brand_name", "Brand"),
            Column("modality", "Modality"),
            Column("jurisdictions", "Authorized in"),
            Column("first_jurisdiction", "First in"),
            Column("first_approval", "First approval", "date"),
            Column("jp_approval", "Japan approval", "date"),
            Column("jp_lag_days", "Lag to Japan (days)", "int"),
            Column("kr_approval", "Korea approval", "date"),
            Column("kr_lag_days", "Lag to Korea (days)", "int"),
            Column("approximate", "Approximate", "bool"),
            Column("slug", "Slug"),
            Column("sources", "Sources", "links"),
        ],
        rows,
        ["A date known only to the month or year counts from its first day; such rows are "
         "marked approximate. Each jurisdiction's first approval of the therapy counts; "
         "'anywhere' means among the selected jurisdictions."],
    )


def approval_lag_medians(land: Landscape) -> Table:
    """Median lag per jurisdiction pair (positive: the second approved later)."""
    entries = _lag_entries(land)
    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
    codes = jurisdiction_order({j for e in entries for j in e["dates"]})
    for entry in entries:
        dates = entry["dates"]
        first = min(dates.values(), key=lambda v: (date_start(v), v))
        for code in codes:
            if code in dates:
                pairs[("first anywhere", code)].append(_days(dates[code], first))
        for i, a in enumerate(codes):
            for b in codes[i + 1 :]:
                if a in dates and b in dates:
                    pairs[(a, b)].append(_days(dates[b], dates[a]))
    rows = [
        {
            "from": a,
            "to": b,
            "therapies": len(lags),
            "median_days": statistics.median(lags),
            "min_days": min(lags),
            "max_days": max(lags),
        }
        for (a, b), lags in pairs.items()
    ]
    return Table(
        "approval_lag_medians",
        "Median approval lag per jurisdiction pair",
        "Median days from approval in the first jurisdiction of the pair to approval in the "
        "second, over the therapies authorized in both (negative: the second was earlier).",
        [
            Column("from", "From"),
            Column("to", "To"),
            Column("therapies", "Therapies", "int"),
            Column("median_days", "Median lag (days)", "int"),
            Column("min_days", "Min (days)", "int"),
            Column("max_days", "Max (days)", "int"),
        ],
        rows,
    )


#: The six disease areas the founding analysis named: label -> (area ids, disease ids).
FOUNDING_TOPICS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Severe liver disease": (frozenset({"liver"}), frozenset()),
    "Graft-versus-host disease": (frozenset({"gvhd"}), frozenset()),
    "Renal transplant rejection": (
        frozenset({"transplant_rejection"}),
        frozenset({"renal_transplant_rejection"}),
    ),
    "Systemic lupus erythematosus": (frozenset(), frozenset({"sle"})),
    "Parkinson's disease": (frozenset(), frozenset({"parkinsons_disease"})),
    "Alzheimer's disease": (frozenset(), frozenset({"alzheimers_disease"})),
}


def disease_areas(land: Landscape) -> Table:
    """Authorized products per jurisdiction for the founding analysis's six areas and every
    other area present in the data."""
    area_of = land.disease_area()
    names = land.area_names()
    # (product, jurisdiction) -> the diseases and areas its marketed indications name
    hits: list[tuple[dict[str, Any], dict[str, Any], set[str], set[str]]] = []
    for doc, auth in land.authorizations():
        if not is_marketed(auth):
            continue
        diseases = {d for ind in auth["indications"] for d in ind["disease_ids"]}
        hits.append((doc, auth, diseases, {area_of.get(d, "other") for d in diseases}))
    topics: list[tuple[str, bool, frozenset[str], frozenset[str]]] = [
        (label, True, areas, ids) for label, (areas, ids) in FOUNDING_TOPICS.items()
    ]
    covered = {"liver", "gvhd", "transplant_rejection"}  # whole areas among the six
    present = {a for *_, areas in hits for a in areas} - covered
    for area in sorted(present, key=lambda a: names.get(a, a)):
        topics.append((names.get(area, area), False, frozenset({area}), frozenset()))
    rows = []
    for label, named, areas, ids in topics:
        row: dict[str, Any] = {"area": label, "named_in_founding_analysis": named}
        per: dict[str, list[str]] = defaultdict(list)
        sources: list[list[dict[str, Any]]] = []
        for _doc, auth, diseases, auth_areas in hits:
            if (areas & auth_areas) or (ids & diseases):
                per[auth["jurisdiction"]].append(auth["brand_name"])
                sources.append(_best_source(auth))
        for code in land.selected:
            row[code] = len(per.get(code, []))
        row["total"] = sum(len(v) for v in per.values())
        row["products"] = "; ".join(
            f"{code}: {', '.join(sorted(set(per[code]), key=str.casefold))}"
            for code in land.selected
            if per.get(code)
        )
        row["sources"] = _links(*sources)
        rows.append(row)
    return Table(
        "disease_areas",
        "Disease areas",
        "Marketed products per jurisdiction for the six areas the founding analysis named, "
        "then every other area present in the data.",
        [Column("area", "Area"), Column("named_in_founding_analysis", "Named in analysis", "bool")]
        + [Column(code, code, "int") for code in land.selected]
        + [Column("total", "Total", "int"), Column("products", "Products"),
           Column("sources", "Sources", "links")],
        rows,
        ["Counts authorizations (a product marketed in two jurisdictions counts in each); each "
         "row cites one source per authorization (the regulator's where there is one). "
         "Systemic lupus erythematosus, Parkinson's and Alzheimer's are also inside their "
         "wider areas' rows."],
    )


def completeness(land: Landscape) -> Table:
    """Each jurisdiction's 'complete as of' date and coverage statement."""
    rows = [
        {
            "code": code,
            "name": jur["name"],
            "complete_as_of": jur.get("complete_as_of"),
            "coverage": jur.get("coverage"),
            "products": sum(1 for _, a in land.authorizations() if a["jurisdiction"] == code),
        }
        for code, jur in land.jurisdictions.items()
    ]
    return Table(
        "completeness",
        "Coverage and completeness",
        "How complete each jurisdiction's product list is, and as of when.",
        [
            Column("code", "Code"),
            Column("name", "Jurisdiction"),
            Column("complete_as_of", "Complete as of", "date"),
            Column("products", "Authorizations", "int"),
            Column("coverage", "Coverage"),
        ],
        rows,
    )


def all_tables(land: Landscape) -> list[Table]:
    """Every table of the report, in report order."""
    from ctatlas.analysis.conditional import conditional_approvals, conversion_rate_table
    from ctatlas.analysis.tiers import (
        designation_outcomes_table,
        tier_figures_table,
        tier_routes_table,
    )

    return [
        definitions(land),
        japan_somatic_products(land),
        asia_stem_cell_products(land),
        approvals_over_time(land),
        approvals_by_year(land),
        approval_lag(land),
        approval_lag_medians(land),
        disease_areas(land),
        conditional_approvals(land),
        conversion_rate_table(land),
        tier_routes_table(land),
        tier_figures_table(land),
        designation_outcomes_table(land),
        completeness(land),
    ]
