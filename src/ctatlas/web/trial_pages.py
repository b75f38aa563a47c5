"""The trials pages: ``/trials`` (the trials store's records with the filters of ``ctatlas
trials list``, counts, charts and paging) and ``/trials/{trial_id}`` (one trial with its ids,
label evidence, linked products and programs), and what other pages ask of the trials store.

Kept apart from :mod:`ctatlas.web.pages` (one concern: pages over the trials store); their
routes are included in that module's router.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.responses import HTMLResponse, Response

from ctatlas.web import contexts
from ctatlas.web.deps import SnapshotDep
from ctatlas.web.rendering import N_, page_language, product_names, render_page
from ctatlas.web.state import Snapshot

__all__ = ["program_linker", "router", "trials_store"]

router = APIRouter(include_in_schema=False)


def trials_store(request: Request) -> tuple[str, Any]:
    """('ok', store), ('none', None) while there is no trials store, or ('unavailable',
    None) when it cannot be read."""
    import sqlalchemy as sa

    trials = request.app.state.trials
    try:
        store = trials.store()
        if store is not None and trials.version().startswith("unreadable:"):
            return "unavailable", None
    except sa.exc.SQLAlchemyError:
        return "unavailable", None
    return ("ok", store) if store is not None else ("none", None)


def _trial_products(snap: Snapshot, slugs: list[str], lang: str) -> list[dict[str, str]]:
    """The atlas products among ``slugs``, each named as its page's heading names it."""
    docs = snap.by_slug()
    out = []
    for slug in slugs:
        if slug in docs:
            first = product_names(docs[slug], lang)[0]
            out.append({"slug": slug, "name": " / ".join(n["text"] for n in first)})
    return out


def program_linker(snap: Snapshot) -> Any:
    """The atlas's programs as a trial sees them (one per data version)."""
    from ctatlas.trials.program_links import ProgramLinker

    return snap.derived("program_linker", lambda: ProgramLinker(snap.store.therapies()))


def _trial_programs(snap: Snapshot, trial: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The development programs ``trial`` belongs to: {slug, program, name, jurisdiction,
    stage}, the therapy named as its page's heading names it."""
    docs = snap.by_slug()
    out = []
    for link in program_linker(snap).links(trial):
        doc = docs.get(link["slug"])
        name = (
            " / ".join(n["text"] for n in product_names(doc, lang)[0]) if doc is not None
            else link["name"]
        )
        out.append({**link, "name": name})
    return out


@router.get("/trials", response_class=HTMLResponse)
def trials_page(request: Request, snap: SnapshotDep) -> Response:
    """The trials of the trials store, with the filters of ``ctatlas trials list`` (the API's
    query parameters), counts, charts and paging; the URL holds every filter."""
    import sqlalchemy as sa

    from ctatlas.trials.record import (
        CELL_FAMILIES,
        LABELS,
        ORIGINS,
        PHASES,
        SPONSOR_CLASSES,
        STATUSES,
    )
    from ctatlas.web import trialviews as tv

    query, problems = tv.parse_trial_query(request.query_params.multi_items())
    lang, lang_query = page_language(request)
    keep = lang if lang_query else None
    state, store = trials_store(request)
    rows: list[dict[str, Any]] = []
    count = 0
    charts: list[dict[str, Any]] = []
    stored_countries: list[str] = []
    prev_link = next_link = None
    if store is not None:
        filters = tv.store_filters(query)
        try:
            count = store.count_trials(**filters)
            found = list(store.query(**filters, limit=query.limit, offset=query.offset))
            facets = store.chart_counts(**filters)
            stored_countries = store.countries()
        except sa.exc.SQLAlchemyError:
            state, found, facets = "unavailable", [], []
        for t in found:
            start = t.get("start_date") or ""
            rows.append(
                {
                    "trial_id": t["trial_id"],
                    "page": "/trials/" + t["trial_id"],
                    "url": t.get("url"),
                    "registry": tv.REGISTRY_NAMES.get(t["registry"], t["registry"]),
                    "title": t.get("title") or "",
                    "phases": t.get("phases") or [],
                    "status": t.get("status") or "unknown",
                    "countries": [tv.country_name(c, lang) for c in t.get("countries") or []],
                    "start_year": start[:4] if start[:4].isdigit() else None,
                    "label": t.get("label"),
                    "family": t.get("cell_family"),
                    "origin": t.get("origin"),
                    "sponsor": t.get("sponsor"),
                    "products": _trial_products(snap, t.get("product_slugs") or [], lang),
                    "programs": _trial_programs(snap, t, lang),
                }
            )
        for view in tv.trial_charts(facets, lang):
            spec = json.dumps(view["spec"], ensure_ascii=False).replace("</", "<\\/")
            charts.append({**view, "spec": spec})
        if query.offset > 0:
            prev_offset = max(0, query.offset - query.limit)
            prev_link = "/trials?" + tv.query_string(query, keep, offset=prev_offset)
        if query.offset + query.limit < count:
            next_offset = query.offset + query.limit
            next_link = "/trials?" + tv.query_string(query, keep, offset=next_offset)
    vocabs = {
        "label": (N_("Detected as"), "trial_label", [*LABELS, "all"]),
        "phase": (N_("Phase"), "trial_phase", list(PHASES)),
        "status": (N_("Status"), "trial_status", list(STATUSES)),
        "cell_class": (N_("Cell class"), "cell_class", ["somatic", "stem"]),
        "family": (N_("Cell family"), "cell_family", list(CELL_FAMILIES)),
        "origin": (N_("Origin of the cells"), "trial_origin", list(ORIGINS)),
        "sponsor_class": (N_("Sponsor"), "sponsor_class", list(SPONSOR_CLASSES)),
    }
    api_query = tv.query_string(query)
    return render_page(
        request,
        contexts.TrialsContext(
            state=state,
            query=query,
            problems=problems,
            rows=rows,
            count=count,
            vocabs=vocabs,
            prev_link=prev_link,
            next_link=next_link,
            api_link="/api/v1/trials" + ("?" + api_query if api_query else ""),
            charts=charts,
            countries=tv.country_choices(stored_countries, query.country, lang),
        ),
        status=503 if state != "ok" else 200,
    )


@router.get("/trials/{trial_id}", response_class=HTMLResponse)
def trial_page(
    request: Request, snap: SnapshotDep, trial_id: Annotated[str, Path(max_length=64)]
) -> Response:
    """One trial, by any of its registry ids: the normalised record, every secondary id and
    the evidence behind its label, in words."""
    import sqlalchemy as sa

    from ctatlas.web import trialviews as tv
    from ctatlas.web.errors import NotFound

    lang = page_language(request)[0]
    state, store = trials_store(request)
    trial = None
    if store is not None:
        try:
            trial = store.find(trial_id)
        except sa.exc.SQLAlchemyError:
            state = "unavailable"
        if state == "ok" and trial is None:
            raise NotFound(
                f"no trial '{trial_id}' in the trials store",
                [{"loc": ["path", "trial_id"], "msg": f"no record lists the id '{trial_id}'"}],
            )
    return render_page(
        request,
        contexts.TrialContext(
            state=state,
            asked=trial_id,
            trial=trial,
            registry=tv.REGISTRY_NAMES.get(trial["registry"], trial["registry"]) if trial else "",
            countries=[tv.country_name(c, lang) for c in (trial or {}).get("countries") or []],
            products=_trial_products(snap, (trial or {}).get("product_slugs") or [], lang),
            programs=_trial_programs(snap, trial, lang) if trial else [],
            evidence=tv.evidence_words((trial or {}).get("evidence") or [], lang),
        ),
        status=503 if state != "ok" else 200,
    )
