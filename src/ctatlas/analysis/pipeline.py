"""The report's "Pipeline" chapter, curated part: development programs counted, computed from
the data like the founding findings (numerator, denominator, exclusions).

The pipeline is every program that is not approved (an approved program is an authorization,
counted in the other chapters) and not discontinued; discontinued programs are listed apart.
Counts are of programs (one therapy in one jurisdiction for one indication set) unless a
finding says it counts therapies.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from ctatlas.analysis.findings import (
    Breakdown,
    Exclusion,
    Finding,
    _pct,
    _support_text,
    _verdict,
    share,
)
from ctatlas.analysis.tables import FOUNDING_TOPICS
from ctatlas.vocab import STAGE_ORDER

__all__ = [
    "PIPELINE_RULE",
    "completeness_table",
    "pipeline_tables",
    "discontinued",
    "founding_topic_counts",
    "in_pipeline",
    "pipeline_autologous_share",
    "pipeline_findings",
    "pipeline_mesenchymal_share",
    "stage_family_origin",
]

PIPELINE_RULE = (
    "The pipeline counts programs that are not approved (an approved program is an "
    "authorization, counted in the other chapters) and not discontinued; programs on hold or "
    "of unknown status count."
)
#: Stages of the pipeline, earliest first (approved left out).
PIPELINE_STAGES = tuple(s.value for s in STAGE_ORDER if s.value != "approved")


def in_pipeline(row: dict[str, Any]) -> bool:
    """Whether a program row counts in the pipeline."""
    return row["stage"] != "approved" and row["status"] != "discontinued"


def discontinued(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Discontinued programs, newest discontinuation first (undated last)."""
    gone = [r for r in rows if r["status"] == "discontinued"]
    return sorted(gone, key=lambda r: (r.get("discontinued") or "", r["slug"]), reverse=True)


def stage_family_origin(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pipeline programs per (cell family, origin), with a count per stage and a total; rows
    sorted by total, largest first."""
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in rows:
        if in_pipeline(row):
            key = (row["cell_family"] or "unknown", row["origin"] or "unknown")
            counts[key][row["stage"]] += 1
    out = []
    for (family, origin), by_stage in counts.items():
        entry: dict[str, Any] = {"cell_family": family, "origin": origin}
        entry.update({stage: by_stage.get(stage, 0) for stage in PIPELINE_STAGES})
        entry["total"] = sum(by_stage.values())
        out.append(entry)
    return sorted(out, key=lambda e: (-e["total"], e["cell_family"], e["origin"]))


def founding_topic_counts(
    rows: Sequence[dict[str, Any]], diseases: Sequence[dict[str, Any]], jurisdictions: Sequence[str]
) -> list[dict[str, Any]]:
    """Pipeline programs per jurisdiction for the founding analysis's six disease topics
    (mapped through diseases.yaml: an area topic takes every disease of that area)."""
    area_of = {d["id"]: d["area"] for d in diseases}
    out = []
    for label, (areas, ids) in FOUNDING_TOPICS.items():
        entry: dict[str, Any] = {"topic": label}
        hits = []
        for row in rows:
            if not in_pipeline(row):
                continue
            named = {d for i in row["indications"] for d in i["disease_ids"]}
            if named & ids or {area_of.get(d) for d in named} & areas:
                hits.append(row)
        for code in jurisdictions:
            entry[code] = sum(1 for r in hits if r["jurisdiction"] == code)
        entry["total"] = len(hits)
        entry["therapies"] = sorted({r["slug"] for r in hits})
        out.append(entry)
    return out


def _therapies(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """slug -> one pipeline row of it (therapy attributes are the same on all its rows)."""
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        if in_pipeline(row):
            out.setdefault(row["slug"], row)
    return out


def pipeline_autologous_share(
    rows: Sequence[dict[str, Any]], jurisdictions: Sequence[str]
) -> Finding:
    """Is what is coming still mostly autologous? Distinct therapies in the pipeline with a
    known origin; per jurisdiction, the therapies with a pipeline program there."""
    excluded: dict[str, Exclusion] = {}
    known: dict[str, dict[str, Any]] = {}
    for slug, row in _therapies(rows).items():
        if row["modality"] == "gene_therapy":
            excluded[slug] = Exclusion(slug, row["name"], "non-cell gene therapy")
        elif row["origin"] in (None, "not_applicable"):
            excluded[slug] = Exclusion(slug, row["name"], "origin unknown")
        else:
            known[slug] = row
    breakdown = []
    for code in jurisdictions:
        there = {r["slug"] for r in rows if in_pipeline(r) and r["jurisdiction"] == code}
        docs = [known[s] for s in sorted(there) if s in known]
        auto = [d["slug"] for d in docs if d["origin"] == "autologous"]
        if docs:
            breakdown.append(Breakdown(code, len(auto), len(docs), share(len(auto), len(docs)),
                                       auto))
    num = sum(1 for d in known.values() if d["origin"] == "autologous")
    den = len(known)
    value = share(num, den)
    supports = _verdict(value)
    return Finding(
        "pipeline_autologous_share",
        "Is the pipeline still mostly autologous?",
        "Most cell therapy products are autologous (the founding analysis, of marketed "
        "products).",
        f"{num} of {den} therapies in the pipeline with a known origin ({_pct(value)}) are "
        f"autologous; the pipeline {_support_text(supports)} the claim.",
        num,
        den,
        value,
        supports,
        "autologous therapies",
        "therapies with at least one pipeline program and a known origin",
        sorted(excluded.values(), key=lambda e: e.slug),
        [PIPELINE_RULE, "Overall each therapy counts once; per jurisdiction, once where it has "
         "a pipeline program."],
        breakdown,
        "Jurisdiction",
    )


def pipeline_mesenchymal_share(
    rows: Sequence[dict[str, Any]], jurisdictions: Sequence[str]
) -> Finding:
    """Among stem-cell therapies in the pipeline, how many are mesenchymal (MSC)?"""
    excluded: dict[str, Exclusion] = {}
    stem: dict[str, dict[str, Any]] = {}
    for slug, row in _therapies(rows).items():
        if row["cell_class"] != "stem":
            continue
        if row.get("stem_type") in (None, "not_applicable"):
            excluded[slug] = Exclusion(slug, row["name"], "stem type unknown")
        else:
            stem[slug] = row
    breakdown = []
    for code in jurisdictions:
        there = {r["slug"] for r in rows if in_pipeline(r) and r["jurisdiction"] == code}
        docs = [stem[s] for s in sorted(there) if s in stem]
        msc = [d["slug"] for d in docs if d["stem_type"] == "MSC"]
        if docs:
            breakdown.append(Breakdown(code, len(msc), len(docs), share(len(msc), len(docs)),
                                       msc))
    num = sum(1 for d in stem.values() if d["stem_type"] == "MSC")
    den = len(stem)
    value = share(num, den)
    supports = _verdict(value)
    return Finding(
        "pipeline_mesenchymal_share",
        "Are stem-cell therapies in the pipeline still mostly mesenchymal?",
        "Stem-cell products in Asia are mostly mesenchymal (MSC) (the founding analysis, of "
        "marketed products).",
        f"{num} of {den} stem-cell therapies in the pipeline ({_pct(value)}) are mesenchymal; "
        f"the pipeline {_support_text(supports)} the claim.",
        num,
        den,
        value,
        supports,
        "mesenchymal (MSC) therapies",
        "stem-cell therapies with at least one pipeline program and a known stem type",
        sorted(excluded.values(), key=lambda e: e.slug),
        [PIPELINE_RULE, "iPSC- and ESC-derived cells, HSC and tissue stem cells count as "
         "stem cells that are not mesenchymal."],
        breakdown,
        "Jurisdiction",
    )


def pipeline_findings(
    rows: Sequence[dict[str, Any]], jurisdictions: Sequence[str]
) -> list[Finding]:
    """The chapter's findings, in report order."""
    return [
        pipeline_autologous_share(rows, jurisdictions),
        pipeline_mesenchymal_share(rows, jurisdictions),
    ]


# --------------------------------------------------------------------------- charts


def _identity(vocabulary: str, value: Any) -> str:
    return str(value) if vocabulary == "text" else str(value).replace("_", " ")


def N_(message: str) -> str:
    """Marks a string for the message catalogues (the web shows it translated)."""
    return message


def funnel_chart(
    rows: Sequence[dict[str, Any]],
    jurisdictions: Sequence[str],
    label: Any = _identity,
) -> Any:
    """The pipeline funnel: programs per stage, earliest stage on top, one panel per
    jurisdiction (``label(vocabulary, code)`` gives the words shown)."""
    from ctatlas.analysis.charts import Chart, _alt, _spec

    alt = _alt()
    counts = Counter((r["jurisdiction"], r["stage"]) for r in rows if in_pipeline(r))
    order = [label("stage", s) for s in PIPELINE_STAGES]
    names = [label("jurisdiction", code) for code in jurisdictions]
    data = [
        {"jurisdiction": name, "stage": label("stage", stage), "programs": counts[(code, stage)]}
        for code, name in zip(jurisdictions, names, strict=True)
        for stage in PIPELINE_STAGES
    ]
    base = alt.Chart(alt.Data(values=data)).encode(
        y=alt.Y("stage:N", title=None, sort=order),
        x=alt.X("programs:Q", title=label("field", "programs")),
        tooltip=[alt.Tooltip("jurisdiction:N", title=label("field", "jurisdiction")),
                 alt.Tooltip("stage:N", title=label("field", "stage")),
                 alt.Tooltip("programs:Q", title=label("field", "programs"))],
    )
    bars = base.mark_bar(color="#4c78a8")
    text = base.mark_text(align="left", dx=3).encode(text="programs:Q")
    chart = (
        (bars + text)
        .properties(width=220, height=24 * len(order))
        .facet(column=alt.Column("jurisdiction:N", title=None, sort=names))
    )
    return Chart("pipeline_funnel", label("text", N_("Programs in the pipeline by stage")),
                 _spec(chart))


def family_origin_chart(rows: Sequence[dict[str, Any]], label: Any = _identity) -> Any:
    """Pipeline programs per cell family, stacked by origin."""
    from ctatlas.analysis.charts import Chart, _alt, _spec

    alt = _alt()
    table = stage_family_origin(rows)
    data = [
        {
            "family": label("cell_family", e["cell_family"]),
            "origin": label("origin", e["origin"]),
            "programs": e["total"],
        }
        for e in table
    ]
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            y=alt.Y("family:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
            x=alt.X("sum(programs):Q", title=label("field", "programs")),
            color=alt.Color("origin:N", title=None),
            tooltip=[alt.Tooltip("family:N", title=label("field", "cell_family")),
                     alt.Tooltip("origin:N", title=label("field", "origin")),
                     alt.Tooltip("programs:Q", title=label("field", "programs"))],
        )
        .properties(width=420, height=max(60, 22 * len({d["family"] for d in data})))
    )
    return Chart("pipeline_family_origin",
                 label("text", N_("Programs in the pipeline by cell family and origin")),
                 _spec(chart))


# --------------------------------------------------------------------------- report tables



def _word(vocabulary: str, code: Any) -> str:
    """The English label of a code (the report is English; its tables show labels)."""
    from ctatlas.labels import label

    return label(vocabulary, None if code == "unknown" else code, "en")


def words(vocabulary: str, code: Any) -> str:
    """Labels for the charts (``field`` names a column heading)."""
    from ctatlas.labels import field_label, jurisdiction_name

    if vocabulary == "field":
        return field_label(str(code), "en")
    if vocabulary == "jurisdiction":
        return jurisdiction_name(str(code), "en")
    if vocabulary == "text":
        return str(code)
    return _word(vocabulary, code)


def words_in(lang: str) -> Any:
    """:func:`words` in ``lang`` (en, ja, ko), for the charts on the page and in the report."""
    from ctatlas import labels
    from ctatlas.i18n import translations

    def say(vocabulary: str, code: Any) -> str:
        if vocabulary == "field":
            return labels.field_label(str(code), lang)
        if vocabulary == "jurisdiction":
            return labels.jurisdiction_name(str(code), lang)
        if vocabulary == "text":
            return translations(lang).gettext(str(code))
        return labels.label(vocabulary, None if code == "unknown" else code, lang)

    return say


def _therapy(row: dict[str, Any]) -> str:
    label = (row["brand_names"] or row["codes"] or [row["name"]])[0]
    return str(label)


def completeness_table(jurisdictions: dict[str, dict[str, Any]], codes: Sequence[str]) -> Any:
    """How complete each jurisdiction's recorded programs are (its file's ``pipeline``)."""
    from ctatlas.analysis.tables import Column, Table
    from ctatlas.pipeline import completeness

    entries = completeness(jurisdictions, codes)
    return Table(
        "pipeline_completeness",
        "How complete the programs are",
        "For each jurisdiction, the day through which every program there is believed "
        "recorded (or that it is not yet complete), the newest source found, what the "
        "programs cover and what they leave out; then each part whose completeness is said "
        "on its own (e.g. company programs), with why.",
        [Column("jurisdiction", "Jurisdiction"), Column("completeness", "Complete"),
         Column("sources_through", "Newest source"), Column("coverage", "Coverage"),
         Column("excludes", "Not covered")],
        [row for e in entries for row in _completeness_rows(e)],
        ["The search method of each jurisdiction is in its file's pipeline block and in "
         "data/notes/PIPELINE.md."],
    )


def _completeness_rows(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The table's rows for one jurisdiction: the whole, then each part said on its own."""
    rows = [{"jurisdiction": entry["jurisdiction"],
             "completeness": (f"complete as of {entry['complete_as_of']}"
                              if entry["complete_as_of"] else "not yet complete"),
             "sources_through": entry["sources_through"], "coverage": entry["coverage"],
             "excludes": "; ".join(entry["excludes"]) or None}]
    for part in entry["parts"]:
        rows.append({"jurisdiction": entry["jurisdiction"],
                     "completeness": (f"complete as of {part['complete_as_of']}"
                                      if part["complete_as_of"] else "not yet complete"),
                     "sources_through": None,
                     "coverage": f"{part['scope']}: {part['basis']}", "excludes": None})
    return rows


def pipeline_tables(land: Any) -> list[Any]:
    """The chapter's tables for a landscape with programs (none without)."""
    from ctatlas.analysis.tables import Column, Table, _links

    rows = land.programs
    if not rows:
        return []
    codes = [c for c in land.selected if any(r["jurisdiction"] == c for r in rows)]
    counts = stage_family_origin(rows)
    stage_cols = [Column(s, _word("stage", s), "int") for s in PIPELINE_STAGES]
    tables = [
        Table(
            "pipeline_stage_family_origin",
            "Programs in the pipeline by cell family, origin and stage",
            "Development programs (one therapy in one jurisdiction for one indication set) at "
            "their furthest stage, by the trial classifier's cell family and the cells' origin.",
            [Column("cell_family", "Cell family"), Column("origin", "Origin"), *stage_cols,
             Column("total", "Total", "int")],
            [{**e, "cell_family": _word("cell_family", e["cell_family"]),
              "origin": None if e["origin"] == "unknown" else e["origin"]}
             for e in counts],
            [PIPELINE_RULE, "As curated today (an as-of date does not apply to programs)."],
        ),
    ]
    tables.append(completeness_table(land.jurisdictions, codes))
    topics = founding_topic_counts(rows, land.diseases, codes)
    names = {r["slug"]: _therapy(r) for r in rows}
    tables.append(
        Table(
            "pipeline_topics",
            "The founding disease topics in the pipeline",
            "Pipeline programs per jurisdiction for the six disease topics the founding "
            "analysis named (an area topic takes every disease of the area in diseases.yaml).",
            [Column("topic", "Topic"), *(Column(c, c, "int") for c in codes),
             Column("total", "Total", "int"), Column("therapies", "Therapies")],
            [{**t, "therapies": ", ".join(names[s] for s in t["therapies"])} for t in topics],
            [PIPELINE_RULE],
        )
    )
    filed = sorted(
        (r for r in rows if r["stage"] == "filed" and r["status"] != "discontinued"),
        key=lambda r: (r.get("expected_decision") or "9999", r.get("filed") or ""),
    )
    tables.append(
        Table(
            "pipeline_filed",
            "Filed: decisions to expect",
            "Programs filed for marketing authorization and not yet decided.",
            [Column("therapy", "Therapy"), Column("jurisdiction", "Jurisdiction"),
             Column("developer", "Developer"), Column("filed", "Filed", "date"),
             Column("expected_decision", "Decision expected", "date"),
             Column("program_status", "Status"), Column("sources", "Sources", "links")],
            [{"therapy": _therapy(r), "jurisdiction": r["jurisdiction"],
              "developer": r["developer"], "filed": r.get("filed"),
              "expected_decision": r.get("expected_decision"),
              "program_status": _word("program_status", r["status"]),
              "sources": _links(r["sources"])} for r in filed],
        )
    )
    gone = discontinued(rows)
    tables.append(
        Table(
            "pipeline_discontinued",
            "Discontinued programs",
            "Programs stopped, newest first, with the reason a source gives.",
            [Column("therapy", "Therapy"), Column("jurisdiction", "Jurisdiction"),
             Column("stage", "Stage reached"), Column("discontinued", "Discontinued", "date"),
             Column("reason", "Reason"), Column("sources", "Sources", "links")],
            [{"therapy": _therapy(r), "jurisdiction": r["jurisdiction"],
              "stage": _word("stage", r["stage"]), "discontinued": r.get("discontinued"),
              "reason": r.get("discontinuation_reason"), "sources": _links(r["sources"])}
             for r in gone],
        )
    )
    return tables
