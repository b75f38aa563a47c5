"""What the ``/pipeline`` page shows, computed from the same layer as ``GET /api/v1/pipeline``.

Kept apart from :mod:`ctatlas.web.pages` (one concern: the pipeline's view). The page's query
string is parsed leniently, as on ``/products``: a bad value is dropped and reported on the page,
so a shared URL never fails.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from ctatlas.analysis.pipeline import (
    discontinued,
    founding_topic_counts,
    in_pipeline,
)
from ctatlas.analysis.tables import FOUNDING_TOPICS
from ctatlas.pipeline import (
    CELL_FAMILIES,
    PipelineFilter,
    check_filter,
    completeness,
    filter_programs,
)
from ctatlas.vocab import STAGE_ORDER, Origin, ProgramStatus
from ctatlas.web.state import Snapshot

__all__ = ["LIST_PARAMS", "parse_pipeline_query", "pipeline_view", "topic_names"]

#: The page's repeatable parameters, with their allowed values (None: checked against data).
LIST_PARAMS: dict[str, tuple[str, ...] | None] = {
    "jurisdiction": None,
    "stage": tuple(s.value for s in STAGE_ORDER),
    "status": tuple(s.value for s in ProgramStatus),
    "family": CELL_FAMILIES,
    "origin": tuple(o.value for o in Origin if o is not Origin.not_applicable),
    "disease": None,
}
RECENT_DISCONTINUED = 10


def topic_names(snap: Snapshot) -> dict[str, dict[str, str]]:
    """The founding analysis's topic -> its name per language, from the data: the disease
    area's names for an area topic, else the disease's (sourced in diseases.yaml; a language
    the data has no name in shows the English topic)."""
    areas = {a["id"]: a.get("names") or {} for a in snap.areas()}
    diseases = {d["id"]: d.get("names") or {} for d in snap.diseases()}
    out = {}
    for topic, (area_ids, disease_ids) in FOUNDING_TOPICS.items():
        named = [areas.get(a) or {} for a in sorted(area_ids)]
        named += [diseases.get(d) or {} for d in sorted(disease_ids)]
        out[topic] = {k: v for k, v in (named[0] if named else {}).items() if v}
    return out
TABLE_LIMIT = 500


def parse_pipeline_query(
    items: Iterable[tuple[str, str]], snap: Snapshot
) -> tuple[dict[str, Any], list[dict[str, Any]], set[str]]:
    """The query string as ``{param: [values]}`` plus ``developer``; the problems found (each
    ``{"loc", "msg"}``, the value dropped); the disease ids ``disease`` stands for."""
    query: dict[str, Any] = {name: [] for name in LIST_PARAMS}
    query["developer"] = ""
    for key, value in items:
        value = value.strip()
        if not value:
            continue
        if key == "developer":
            query["developer"] = value[:200]
        elif key in LIST_PARAMS:
            value = value.upper() if key == "jurisdiction" else value
            if value not in query[key]:
                query[key].append(value)
    problems: list[dict[str, Any]] = []
    for name, allowed in LIST_PARAMS.items():
        if allowed is None:
            continue
        for value in list(query[name]):
            if value not in allowed:
                query[name].remove(value)
                problems.append(
                    {"loc": ["query", name], "msg": f"'{value}' is not a known {name}"}
                )
    flt = _filter(query)
    found, diseases = check_filter(flt, snap.jurisdictions(), snap.diseases())
    for flag, message in found:
        # drop the offending values: jurisdiction and disease are checked against the data
        bad = [v for v in query[flag] if f"'{v}'" in message]
        for value in bad:
            query[flag].remove(value)
        problems.append({"loc": ["query", flag], "msg": message})
    if found:
        _, diseases = check_filter(_filter(query), snap.jurisdictions(), snap.diseases())
    return query, problems, diseases


def _filter(query: dict[str, Any]) -> PipelineFilter:
    return PipelineFilter(
        jurisdictions=list(query["jurisdiction"]),
        stage=list(query["stage"]),
        status=list(query["status"]),
        family=list(query["family"]),
        origin=list(query["origin"]),
        disease=list(query["disease"]),
        developer=query["developer"] or None,
    )


def query_string(query: dict[str, Any]) -> str:
    """The filters as a URL query (repeated parameters), for shareable links."""
    pairs = [(k, v) for k in LIST_PARAMS for v in query[k]]
    if query.get("developer"):
        pairs.append(("developer", query["developer"]))
    return urlencode(pairs)


def pipeline_view(snap: Snapshot, items: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Everything the page shows, for the filters in ``items``."""
    from ctatlas.web.api.pipeline import program_rows_of

    query, problems, diseases = parse_pipeline_query(items, snap)
    every = program_rows_of(snap)
    rows = filter_programs(every, _filter(query), diseases)
    order = {s.value: i for i, s in enumerate(STAGE_ORDER)}
    rows = sorted(rows, key=lambda r: (r["jurisdiction"], -order[r["stage"]], r["slug"]))
    codes = sorted({r["jurisdiction"] for r in rows})
    filed = sorted(
        (r for r in rows if r["stage"] == "filed" and r["status"] != "discontinued"),
        key=lambda r: (r.get("expected_decision") or "9999", r.get("filed") or "", r["slug"]),
    )
    qs = query_string(query)
    return {
        "query": query,
        "problems": problems,
        "rows": rows[:TABLE_LIMIT],
        "count": len(rows),
        "in_pipeline": sum(1 for r in rows if in_pipeline(r)),
        "therapies": len({r["slug"] for r in rows}),
        "codes": codes,
        "topics": founding_topic_counts(rows, snap.diseases(), codes),
        "topic_names": topic_names(snap),
        "therapy_names": {
            r["slug"]: (r.get("brand_names") or r.get("codes") or [r["name"]])[0] for r in every
        },
        "filed": filed,
        "completeness": completeness(snap.jurisdictions(), query["jurisdiction"] or codes),
        "discontinued": discontinued(rows)[:RECENT_DISCONTINUED],
        "query_string": qs,
        "api_link": "/api/v1/pipeline" + ("?" + qs if qs else ""),
        "export_link": "/api/v1/export/programs_csv",
        "jurisdictions": sorted(snap.jurisdictions()),
        "areas": list(snap.areas()),
        "vocabs": {k: list(v) for k, v in LIST_PARAMS.items() if v is not None},
    }


# --------------------------------------------------------------------------- the page


def pipeline_page(request: Any, snap: Snapshot) -> Any:
    """The ``/pipeline`` page, in the reader's language."""
    import json

    from ctatlas.analysis.pipeline import family_origin_chart, funnel_chart, words_in
    from ctatlas.web import contexts
    from ctatlas.web.rendering import page_language, render_page

    lang = page_language(request)[0]

    words = words_in(lang)

    view = pipeline_view(snap, request.query_params.multi_items())
    shown = view["rows"]
    charts = []
    if any(in_pipeline(r) for r in shown):
        for chart in (funnel_chart(shown, view["codes"], words), family_origin_chart(shown, words)):
            spec = json.dumps(chart.spec, ensure_ascii=False).replace("</", "<\\/")
            charts.append({"id": chart.id, "title": chart.title, "spec": spec})
    return render_page(request, contexts.PipelineContext(view=view, charts=charts))
