"""Server-rendered pages (Jinja2): the same data layer as the API, every asset vendored.

``/`` key figures and charts; ``/products`` a filterable, sortable, searchable table whose URL
holds every filter; ``/products/{slug}`` one product with its timeline, sources and linked trials;
``/definitions`` the side-by-side comparison; ``/classify`` the classifier's form and
decision; ``/analysis`` the report's tables, findings and charts with downloads.
"""

from __future__ import annotations

import json
import typing
from enum import Enum
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Path, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from ctatlas import __version__, labels
from ctatlas.i18n import LANGS, negotiate, translations
from ctatlas.report import texts
from ctatlas.vocab import CellClass, Modality, Origin, Pathway, ProfileOrigin, Status
from ctatlas.web import contexts, service
from ctatlas.web.assets import package_assets
from ctatlas.web.deps import SnapshotDep
from ctatlas.web.params import parse_page_query
from ctatlas.web.state import Snapshot

__all__ = ["render_error", "render_page", "router"]

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("ctatlas.web", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
    extensions=["jinja2.ext.i18n"],
)
templates = Jinja2Templates(env=_env)

router = APIRouter(include_in_schema=False)
TEMPLATES = {cls: name for name, cls in contexts.PAGE_CONTEXTS.items()}


def N_(message: str) -> str:
    """Marks a string for the message catalogues (translated where it is shown)."""
    return message


NAV = [
    ("/", N_("Home")),
    ("/products", N_("Products")),
    ("/pipeline", N_("Pipeline")),
    ("/trials", N_("Trials")),
    ("/jurisdictions", N_("Jurisdictions")),
    ("/definitions", N_("Definitions")),
    ("/classify", N_("Classifier")),
    ("/analysis", N_("Analysis")),
    ("/conditional", N_("Conditional approvals")),
    ("/api", N_("API")),
]
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


def _lang(ctx: Any) -> str:
    return str(ctx.get("lang") or "en")


@jinja2.pass_context
def _gettext(ctx: Any, message: str) -> str:
    return translations(_lang(ctx)).gettext(message) if message else message


@jinja2.pass_context
def _ngettext(ctx: Any, singular: str, plural: str, n: int) -> str:
    return translations(_lang(ctx)).ngettext(singular, plural, n)


@jinja2.pass_context
def _href(ctx: Any, path: str, **params: Any) -> str:
    """``path`` with ``params``, and ``lang`` when the page was asked for in a language
    explicitly (``?lang=``): links keep the reader's choice."""
    pairs = [(k, str(v)) for k, v in params.items() if v is not None]
    if ctx.get("lang_query"):
        pairs.append(("lang", _lang(ctx)))
    if not pairs:
        return path
    return path + ("&" if "?" in path else "?") + urlencode(pairs)


_env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
_env.globals["href"] = _href
_env.filters["label"] = jinja2.pass_context(
    lambda ctx, value, vocabulary="yes_no": labels.label(vocabulary, value, _lang(ctx))
)
_env.filters["field_label"] = jinja2.pass_context(
    lambda ctx, name: labels.field_label(name, _lang(ctx))
)
_env.filters["jurisdiction_name"] = jinja2.pass_context(
    lambda ctx, code: labels.jurisdiction_name(code, _lang(ctx))
)
_env.filters["category_label"] = jinja2.pass_context(
    lambda ctx, category, jurisdiction: labels.category_label(
        jurisdiction, category, _lang(ctx), ctx.get("jurisdiction_docs", {}).get(jurisdiction)
    )
)
_env.filters["extra_label"] = jinja2.pass_context(
    lambda ctx, value, key: labels.extra_label(key, value, _lang(ctx))
)
_env.filters["cell_label"] = jinja2.pass_context(
    lambda ctx, value, column: labels.cell_label(column, value, _lang(ctx))
)
_env.filters["table_description"] = jinja2.pass_context(
    lambda ctx, table: texts.table_description(table, _lang(ctx))
)
_env.filters["table_note"] = jinja2.pass_context(
    lambda ctx, note: texts.table_note(note, _lang(ctx))
)
_env.globals["static_url"] = lambda name: package_assets().url(name)
_env.filters["local_lang"] = lambda code: labels.lang_of(code) or ""
_env.filters["script_lang"] = lambda text: labels.script_lang(text) or ""
#: a text in Latin letters only, with words (curated English on a Japanese or Korean page)
_env.filters["curated_english"] = lambda text: (
    isinstance(text, str) and any(c.isascii() and c.isalpha() for c in text)
    and labels.script_lang(text) is None
)


def _jurisdiction_docs(snap: Snapshot) -> dict[str, dict[str, Any]]:
    return snap.derived("jurisdiction_docs", snap.jurisdictions)  # type: ignore[no-any-return]


def _names(doc: dict[str, Any], lang: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """A product's brand names and local names, each ``{text, lang}``: the local names of the
    reader's language first, then the others."""
    brands: list[dict[str, str]] = []
    local: list[dict[str, str]] = []
    for auth in doc["authorizations"]:
        brand = {"text": auth["brand_name"], "lang": ""}
        if brand not in brands:
            brands.append(brand)
        if auth.get("local_name"):
            name = {"text": auth["local_name"], "lang": labels.lang_of(auth["jurisdiction"]) or ""}
            if name not in local:
                local.append(name)
    if not brands:
        brands = [{"text": doc["name"], "lang": ""}]
    mine = [n for n in local if n["lang"] == lang]
    if mine:
        return mine, brands + [n for n in local if n["lang"] != lang]
    return brands, local


def page_language(request: Request) -> tuple[str, bool]:
    """The language of a page (``lang`` in the query, else Accept-Language, else English)
    and whether the query chose it (then links carry it)."""
    asked = request.query_params.get("lang")
    lang = negotiate(asked, request.headers.get("accept-language"))
    return lang, bool(asked) and asked.strip().lower() == lang


def _switch_links(request: Request, lang: str) -> list[tuple[str, str, str, bool]]:
    """(code, name, URL of this page in that language, current) for the language switch."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    out = []
    for code in LANGS:
        query = urlencode([*items, ("lang", code)])
        out.append((code, labels.LANG_NAMES[code], f"{request.url.path}?{query}", code == lang))
    return out


def _page(request: Request, context: Any, status: int = 200) -> Response:
    """Render the template of ``context``'s class (:data:`contexts.PAGE_CONTEXTS`)."""
    name = TEMPLATES[type(context)]
    lang, lang_query = page_language(request)
    base = {
        "request": request,
        "nav": NAV,
        "version": __version__,
        "path": request.url.path,
        "lang": lang,
        "lang_query": lang_query,
        "langs": _switch_links(request, lang),
        "jurisdiction_docs": _jurisdiction_docs(request.app.state.atlas.current()),
    }
    values = {**base, **contexts.as_dict(context)}
    return templates.TemplateResponse(request, name, values, status_code=status)


render_page = _page


def render_error(
    request: Request, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response:
    """An error as a page (the same fields as the JSON envelope)."""
    response = _page(request, contexts.ErrorContext(err=body), status=body["status"])
    if headers:
        response.headers.update(headers)
    return response


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
    return _page(
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
    view = products_view(snap, query, found, lambda doc: _names(doc, lang), keep)
    export_query = query_string(query.model_copy(update={"limit": 50, "offset": 0}))
    return _page(
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
    heading, subheading = _names(doc, lang)
    return _page(
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
                request.app.state.trials, doc, _program_linker(snap)
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
    return _page(request, contexts.JurisdictionsContext(rows=rows))


@router.get("/jurisdictions/{code}", response_class=HTMLResponse)
def jurisdiction_page(
    request: Request, snap: SnapshotDep, code: Annotated[str, Path(max_length=8)]
) -> Response:
    """One jurisdiction's framework, every statement with its citation visible
    (:mod:`ctatlas.web.jurisdiction_view`); a code in another case redirects."""
    from ctatlas.analysis.tables import COMPARISON_ASPECTS
    from ctatlas.web.jurisdiction_view import jurisdiction_view

    doc = service.jurisdiction_detail(snap, code)  # NotFound with close codes
    if code != doc["code"]:
        query = request.url.query
        target = f"/jurisdictions/{doc['code']}" + (f"?{query}" if query else "")
        return RedirectResponse(target, status_code=307)
    return _page(
        request,
        contexts.JurisdictionContext(j=jurisdiction_view(doc, COMPARISON_ASPECTS)),
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
    return _page(
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
    return _page(
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
    return _page(
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
    return _page(
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

    state, trials = _trials_store(request)
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


# --------------------------------------------------------------------------- trials


def _trials_store(request: Request) -> tuple[str, Any]:
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
            first = _names(docs[slug], lang)[0]
            out.append({"slug": slug, "name": " / ".join(n["text"] for n in first)})
    return out


def _program_linker(snap: Snapshot) -> Any:
    """The atlas's programs as a trial sees them (one per data version)."""
    from ctatlas.trials.program_links import ProgramLinker

    return snap.derived("program_linker", lambda: ProgramLinker(snap.store.therapies()))


def _trial_programs(snap: Snapshot, trial: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The development programs ``trial`` belongs to: {slug, program, name, jurisdiction,
    stage}, the therapy named as its page's heading names it."""
    docs = snap.by_slug()
    out = []
    for link in _program_linker(snap).links(trial):
        doc = docs.get(link["slug"])
        name = (
            " / ".join(n["text"] for n in _names(doc, lang)[0]) if doc is not None
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
    state, store = _trials_store(request)
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
    return _page(
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
    state, store = _trials_store(request)
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
    return _page(
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
