"""Server-rendered pages (Jinja2): the same data layer as the API, every asset vendored.

``/`` key figures and charts; ``/products`` a filterable, sortable, searchable table whose URL
holds every filter; ``/products/{slug}`` one product with its timeline, sources and linked trials;
``/jurisdictions`` and ``/jurisdictions/{code}`` the frameworks; ``/definitions`` the
side-by-side comparison; ``/classify`` the classifier's form and decision; ``/analysis`` the
report's tables, findings and charts with downloads; ``/conditional`` the conditional
approvals. The trials pages are in :mod:`ctatlas.web.trial_pages` (their routes are part of
:data:`router`); how a page is drawn (templates, filters, language) is in
:mod:`ctatlas.web.rendering`.
"""

from __future__ import annotations

import json
import typing
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ctatlas import labels
from ctatlas.vocab import CellClass, Modality, Origin, Pathway, ProfileOrigin, Status
from ctatlas.web import contexts, service, trial_pages
from ctatlas.web.deps import SnapshotDep
from ctatlas.web.params import parse_page_query
from ctatlas.web.rendering import (
    page_language,
    product_names,
    render_error,
    render_page,
    templates,
)
from ctatlas.web.state import Snapshot
from ctatlas.web.trial_pages import program_linker, trials_store

__all__ = ["page_language", "render_error", "render_page", "router", "templates"]

router = APIRouter(include_in_schema=False)

FILTER_VOCABS: dict[str, type[Enum]] = {
    "modality": Modality,
    "cell_class": CellClass,
    "origin": Origin,
    "status": Status,
    "pathway": Pathway,
}
EXPORT_FORMATS = ("csv", "xlsx", "json", "datapackage")
#: The report's single-file formats (``ctatlas report``), downloadable from /analysis.
REPORT_MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _chart_views(
    snap: Snapshot, lang: str, only: tuple[str, ...] | None = None
) -> list[dict[str, Any]]:
    views = []
    for chart in service.charts(snap, lang):
        if only is not None and chart.id not in only:
            continue
        spec = json.dumps(chart.spec, ensure_ascii=False).replace("</", "<\\/")
        views.append({"id": chart.id, "title": chart.title, "spec": spec})
    return views


# --------------------------------------------------------------------------- home


@router.get("/", response_class=HTMLResponse)
def home(request: Request, snap: SnapshotDep) -> Response:
    """Key figures and the report's charts."""
    from ctatlas.report.texts import local_findings

    stats = service.stats(snap)
    lang = page_language(request)[0]
    return render_page(
        request,
        contexts.HomeContext(
            stats=stats,
            jurisdictions=service.jurisdiction_summaries(snap),
            findings=local_findings(service.analysis(snap).findings, lang),
            charts=_chart_views(snap, lang, ("approvals_over_time", "autologous_share")),
        ),
    )


# --------------------------------------------------------------------------- pipeline


@router.get("/pipeline", response_class=HTMLResponse)
def pipeline_page(request: Request, snap: SnapshotDep) -> Response:
    """Development programs: filters in the URL, the funnel, founding topics, filings,
    discontinuations (:mod:`ctatlas.web.pipeline_view`)."""
    from ctatlas.web.pipeline_view import pipeline_page as render

    return render(request, snap)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- products


@router.get("/products", response_class=HTMLResponse)
def products_page(request: Request, snap: SnapshotDep) -> Response:
    """The product table: every filter, search and sort is in the URL
    (:mod:`ctatlas.web.products_view`)."""
    from ctatlas.web.errors import ApiError
    from ctatlas.web.products_view import ordered, products_view, query_string

    query, problems = parse_page_query(request.query_params.multi_items())
    try:
        found = ordered(snap, query)
    except ApiError as exc:
        problems += exc.errors
        query = query.model_copy(update={"jurisdiction": []})
        found = ordered(snap, query)
    lang, lang_query = page_language(request)
    keep = {"lang": lang} if lang_query else {}
    view = products_view(snap, query, found, lambda doc: product_names(doc, lang), keep)
    export_query = query_string(query.model_copy(update={"limit": 50, "offset": 0}))
    return render_page(
        request,
        contexts.ProductsContext(
            query=query,
            problems=problems,
            count=len(found),
            jurisdictions=snap.jurisdictions(),
            vocabs={k: [m.value for m in v] for k, v in FILTER_VOCABS.items()},
            export_query=export_query,
            formats=EXPORT_FORMATS,
            api_link="/api/v1/products?" + query_string(query),
            **view,
        ),
    )


def _timeline(doc: dict[str, Any], jurisdictions: dict[str, Any]) -> list[dict[str, Any]]:
    events = []
    for auth in doc["authorizations"]:
        for event in auth.get("status_history", []):
            events.append(
                {
                    "date": event.get("date"),
                    "not_after": event.get("not_after"),
                    "jurisdiction": auth["jurisdiction"],
                    "jurisdiction_name": jurisdictions.get(auth["jurisdiction"], {}).get(
                        "name", auth["jurisdiction"]
                    ),
                    "brand_name": auth["brand_name"],
                    "event": event["event"],
                    "note": event.get("note"),
                }
            )
        if not auth.get("status_history") and auth.get("approval_date"):
            events.append(
                {
                    "date": auth["approval_date"],
                    "not_after": None,
                    "jurisdiction": auth["jurisdiction"],
                    "jurisdiction_name": auth["jurisdiction"],
                    "brand_name": auth["brand_name"],
                    "event": "approved",
                    "note": None,
                }
            )
    return sorted(events, key=lambda e: (e["date"] or e["not_after"] or "9999", e["jurisdiction"]))


def _disease_names(disease: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """A disease's name in the reader's language (when the data has it), else in English."""
    local = (disease.get("names") or {}).get(lang)
    if lang != "en" and local:
        return [{"text": local, "lang": lang}]
    return [{"text": disease["name"], "lang": "en" if lang != "en" else ""}]


@router.get("/products/{slug}", response_class=HTMLResponse)
def product_page(
    request: Request, snap: SnapshotDep, slug: Annotated[str, Path(max_length=200)]
) -> Response:
    """One product: attributes, timeline across jurisdictions, indications, every source,
    and the clinical trials linked to it (from the trials store, when there is one)."""
    doc = snap.by_slug().get(slug)
    if doc is None:
        from ctatlas.search import find_product

        found, _candidates = find_product(slug, snap.products(), snap.search_texts())
        if found is not None:  # a name (テムセル, Cartistem) or a slug in another case
            query = request.url.query
            target = f"/products/{found['slug']}" + (f"?{query}" if query else "")
            return RedirectResponse(target, status_code=307)
        # a therapy only in development, or RecordNotFound with suggestions -> the error page
        doc = snap.store.product(slug)
    lang = page_language(request)[0]
    disease_names = {d["id"]: _disease_names(d, lang) for d in snap.diseases()}
    attributes = [
        (key, vocab, doc.get(key))
        for key, vocab in (
            ("name", None),
            ("developer", None),
            ("modality", "modality"),
            ("cell_class", "cell_class"),
            ("stem_type", "stem_type"),
            ("origin", "origin"),
            ("tissue_source", None),
            ("cell_type", None),
            ("manipulation", "manipulation"),
            ("genetically_modified", "yes_no"),
        )
    ]
    heading, subheading = product_names(doc, lang)
    return render_page(
        request,
        contexts.ProductContext(
            doc=doc,
            title=" / ".join(n["text"] for n in heading),
            heading=heading,
            subheading=subheading,
            attributes=attributes,
            timeline=_timeline(doc, snap.jurisdictions()),
            disease_names=disease_names,
            trials=service.product_trials(request.app.state.trials, slug),
            program_trials=service.program_trials(
                request.app.state.trials, doc, program_linker(snap)
            ),
        ),
    )


# --------------------------------------------------------------------------- jurisdictions


@router.get("/jurisdictions", response_class=HTMLResponse)
def jurisdictions_page(request: Request, snap: SnapshotDep) -> Response:
    """Every jurisdiction: its regulators, how many products it has authorized, how much of
    its framework the data holds, each linked to its page."""
    docs = snap.jurisdictions()
    rows = [
        {
            **summary,
            "doc": docs[summary["code"]],
            "tiers": len(docs[summary["code"]].get("risk_tiers", []))
            + len(docs[summary["code"]].get("tier_routes", [])),
        }
        for summary in service.jurisdiction_summaries(snap)
    ]
    return render_page(request, contexts.JurisdictionsContext(rows=rows))


@router.get("/jurisdictions/{code}", response_class=HTMLResponse)
def jurisdiction_page(
    request: Request, snap: SnapshotDep, code: Annotated[str, Path(max_length=8)]
) -> Response:
    """One jurisdiction's framework, every statement with its citation visible
    (:mod:`ctatlas.web.jurisdiction_view`); a code in another case redirects."""
    from ctatlas.analysis.tables import COMPARISON_ASPECTS
    from ctatlas.web.jurisdiction_view import designation_figures, jurisdiction_view

    doc = service.jurisdiction_detail(snap, code)  # NotFound with close codes
    if code != doc["code"]:
        query = request.url.query
        target = f"/jurisdictions/{doc['code']}" + (f"?{query}" if query else "")
        return RedirectResponse(target, status_code=307)
    found = service.designations(snap, [doc["code"]], limit=0, offset=0)
    figures = designation_figures(doc, found["stats"], found["published"])
    return render_page(
        request,
        contexts.JurisdictionContext(j=jurisdiction_view(doc, COMPARISON_ASPECTS, figures)),
    )


# --------------------------------------------------------------------------- definitions


@router.get("/definitions", response_class=HTMLResponse)
def definitions_page(request: Request, snap: SnapshotDep) -> Response:
    """The jurisdictions' comparison entries side by side, each cell cited."""
    from ctatlas.web.jurisdiction_view import cited

    table = service.analysis(snap).table("definitions")
    codes = [c.key for c in table.columns if c.type == "cited"]
    names = {c.key: c.label for c in table.columns}
    every = []
    for code, doc in snap.jurisdictions().items():
        laws = {law["id"]: law for law in doc.get("laws", [])}
        definitions = [
            {**d, "citations": [cited(c, laws) for c in d.get("citations", [])]}
            for d in doc.get("definitions", [])
        ]
        every.append(
            {"code": code, "local_name": doc.get("local_name"), "definitions": definitions}
        )
    return render_page(
        request,
        contexts.DefinitionsContext(table=table, codes=codes, names=names, jurisdictions=every),
    )


# --------------------------------------------------------------------------- classify


_ENUM_VOCAB = {enum: name for name, enum in labels.ENUM_VOCABS.items()}
_ENUM_VOCAB[ProfileOrigin] = "profile_origin"


def _profile_fields() -> list[dict[str, Any]]:
    from ctatlas.model import RegulatoryProfile

    fields = []
    for name, info in RegulatoryProfile.model_fields.items():
        args = [a for a in typing.get_args(info.annotation) if a is not type(None)]
        inner = args[0] if args else info.annotation
        kind, options, vocab = "bool", ["true", "false"], "yes_no"
        if typing.get_origin(inner) is list:
            kind = "multi"
            options = [m.value for m in typing.get_args(inner)[0]]
            vocab = _ENUM_VOCAB.get(typing.get_args(inner)[0], "")
        elif isinstance(inner, type) and issubclass(inner, Enum):
            kind, options = "enum", [m.value for m in inner]
            vocab = _ENUM_VOCAB.get(inner, "")
        fields.append(
            {
                "name": name,
                "kind": kind,
                "options": options,
                "vocab": vocab,
                "help": info.description or "",
            }
        )
    return fields


@router.get("/classify", response_class=HTMLResponse)
def classify_page(request: Request, snap: SnapshotDep) -> Response:
    """The classifier's form; with a profile in the URL, the decision in each jurisdiction."""
    from ctatlas.errors import BadInput

    fields = _profile_fields()
    names = {f["name"]: f for f in fields}
    values: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        value = value.strip()
        if key not in names or not value:
            continue
        if names[key]["kind"] == "multi":
            values.setdefault(key, []).append(value)
        elif names[key]["kind"] == "bool":
            values[key] = {"true": True, "false": False}.get(value, value)
        else:
            values[key] = value
    result = error = None
    if values or request.query_params.get("classify"):
        try:
            result = service.classification(snap, values)
        except BadInput as exc:
            error = str(exc)
    shown = {
        k: (v if isinstance(v, list) else ("true" if v is True else "false" if v is False else v))
        for k, v in values.items()
    }
    return render_page(
        request, contexts.ClassifyContext(fields=fields, values=shown, result=result, error=error)
    )


# --------------------------------------------------------------------------- analysis


@router.get("/analysis", response_class=HTMLResponse)
def analysis_page(request: Request, snap: SnapshotDep) -> Response:
    """The report's tables, findings and charts, with a download link for every format."""
    from ctatlas.report.texts import local_findings
    from ctatlas.web.analysis_view import arrange

    result = service.analysis(snap)
    lang = page_language(request)[0]
    views = _chart_views(snap, lang)
    return render_page(
        request,
        contexts.AnalysisContext(
            analysis=result,
            layout=arrange(local_findings(result.findings, lang), result.tables, views),
            formats=EXPORT_FORMATS,
            report_formats=list(REPORT_MEDIA),
            local_names=_local_area_names(snap),
        ),
    )


def _local_area_names(snap: Snapshot) -> dict[str, dict[str, str]]:
    """English name -> names by language, of the disease areas and the founding topics."""
    from ctatlas.web.pipeline_view import topic_names

    out = {a["name"]: {k: v for k, v in (a.get("names") or {}).items() if v}
           for a in snap.areas()}
    out.update({topic: names for topic, names in topic_names(snap).items() if names})
    return out


# --------------------------------------------------------------------------- conditional


@router.get("/conditional", response_class=HTMLResponse)
def conditional_page(request: Request, snap: SnapshotDep) -> Response:
    """Every conditional approval with its deadline, days left and outcome, for a day."""
    params = request.query_params
    codes = [c for c in params.getlist("jurisdiction") if c]
    tracker = service.conditional_tracker(snap, codes, params.get("as_of") or None, 10_000, 0)
    return render_page(
        request,
        contexts.ConditionalContext(
            rows=tracker["data"],
            conversion=tracker["conversion"],
            as_of=tracker["as_of"],
            codes=sorted(snap.jurisdictions()),
            selected=[c.upper() for c in codes],
        ),
    )


@router.get("/analysis/report.{fmt}")
def report_download(
    request: Request, snap: SnapshotDep, fmt: Annotated[str, Path(pattern="^(html|pdf|xlsx)$")]
) -> Response:
    """The report as ``ctatlas report`` writes it (HTML, PDF or XLSX): with a trials store
    loaded, its Pipeline chapter has the registries part, as with ``--trials-db``. HTML and
    PDF in the page's language (``ctatlas report --lang``), XLSX in English. Made once per
    data version, trials store state and language (the response cache keeps it)."""
    import tempfile
    from pathlib import Path as FilePath

    import sqlalchemy as sa

    from ctatlas.report import build_report, render

    state, trials = trials_store(request)
    version = request.app.state.trials.version() if trials is not None else state
    lang = page_language(request)[0] if fmt != "xlsx" else "en"
    key = "report" if lang == "en" else f"report:{lang}"

    def compute() -> Any:
        from ctatlas.analysis import landscape_from_store

        land = landscape_from_store(snap.store)
        try:
            return version, build_report(land, trials, lang)
        except sa.exc.SQLAlchemyError:  # the trials store failed: the atlas's report
            return version, build_report(land, lang=lang)

    # one report per data version and language, remade when the trials store changes
    made = snap.derived(key, compute)
    if made[0] != version:
        made = compute()
        snap.replace(key, made)
    report = made[1]
    with tempfile.TemporaryDirectory(prefix="ctatlas-report-") as folder:
        out = FilePath(folder) / f"ctatlas-report.{fmt}"
        render(report, fmt, out)
        content = out.read_bytes()
    return Response(
        content,
        media_type=REPORT_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="ctatlas-report.{fmt}"'},
    )


router.include_router(trial_pages.router)  # /trials and /trials/{trial_id}, registered last
