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
from starlette.responses import HTMLResponse, Response
from starlette.templating import Jinja2Templates

from ctatlas import __version__
from ctatlas.query import SORT_FIELDS
from ctatlas.vocab import CellClass, Modality, Origin, Pathway, Status
from ctatlas.web import contexts, service
from ctatlas.web.deps import SnapshotDep
from ctatlas.web.params import ProductQuery, parse_page_query
from ctatlas.web.state import Snapshot

__all__ = ["render_error", "router"]

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("ctatlas.web", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
templates = Jinja2Templates(env=_env)

router = APIRouter(include_in_schema=False)
TEMPLATES = {cls: name for name, cls in contexts.PAGE_CONTEXTS.items()}

NAV = [
    ("/", "Home"),
    ("/products", "Products"),
    ("/definitions", "Definitions"),
    ("/classify", "Classifier"),
    ("/analysis", "Analysis"),
    ("/api/docs", "API"),
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


def _label(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("_", " ")


_env.filters["label"] = _label


def _page(request: Request, context: Any, status: int = 200) -> Response:
    """Render the template of ``context``'s class (:data:`contexts.PAGE_CONTEXTS`)."""
    name = TEMPLATES[type(context)]
    base = {"request": request, "nav": NAV, "version": __version__, "path": request.url.path}
    values = {**base, **contexts.as_dict(context)}
    return templates.TemplateResponse(request, name, values, status_code=status)


def render_error(
    request: Request, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response:
    """An error as a page (the same fields as the JSON envelope)."""
    response = _page(request, contexts.ErrorContext(err=body), status=body["status"])
    if headers:
        response.headers.update(headers)
    return response


def _chart_views(snap: Snapshot, only: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    views = []
    for chart in service.charts(snap):
        if only is not None and chart.id not in only:
            continue
        spec = json.dumps(chart.spec, ensure_ascii=False).replace("</", "<\\/")
        views.append({"id": chart.id, "title": chart.title, "spec": spec})
    return views


# --------------------------------------------------------------------------- home


@router.get("/", response_class=HTMLResponse)
def home(request: Request, snap: SnapshotDep) -> Response:
    """Key figures and the report's charts."""
    stats = service.stats(snap)
    return _page(
        request,
        contexts.HomeContext(
            stats=stats,
            jurisdictions=service.jurisdiction_summaries(snap),
            findings=stats["findings"],
            charts=_chart_views(snap, ("approvals_over_time", "autologous_share")),
        ),
    )


# --------------------------------------------------------------------------- products


def _query_string(query: ProductQuery, **changes: Any) -> str:
    data = query.model_dump(mode="json", exclude_defaults=True)
    data.update(changes)
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        if value is None or value == [] or value == "":
            continue
        if key == "limit" and value == 50 or key == "offset" and value == 0:
            continue
        if isinstance(value, list):
            pairs += [(key, str(v)) for v in value]
        else:
            pairs.append((key, str(value)))
    return urlencode(pairs)


@router.get("/products", response_class=HTMLResponse)
def products_page(request: Request, snap: SnapshotDep) -> Response:
    """The product table: every filter, search and sort is in the URL."""
    from ctatlas.web.errors import ApiError

    query, problems = parse_page_query(request.query_params.multi_items())
    try:
        found = service.matching_products(snap, query)
    except ApiError as exc:
        problems += exc.errors
        query = query.model_copy(update={"jurisdiction": []})
        found = service.matching_products(snap, query)
    shown = found[query.offset : query.offset + query.limit]
    rows = []
    for doc in shown:
        auths = doc["authorizations"]
        dates = sorted(a["approval_date"] for a in auths if a.get("approval_date"))
        rows.append(
            {
                "doc": doc,
                "brands": list(dict.fromkeys(a["brand_name"] for a in auths)),
                "local_names": list(
                    dict.fromkeys(a["local_name"] for a in auths if a.get("local_name"))
                ),
                "jurisdictions": list(dict.fromkeys(a["jurisdiction"] for a in auths)),
                "first_approval": dates[0] if dates else None,
                "statuses": list(dict.fromkeys(a["status"] for a in auths)),
            }
        )
    current_sort = query.sort or ""
    sort_links = {}
    for field in SORT_FIELDS:
        target = f"-{field}" if current_sort == field else field
        sort_links[field] = "/products?" + _query_string(query, sort=target, offset=0)
    prev_link = next_link = None
    if query.offset > 0:
        prev_link = "/products?" + _query_string(query, offset=max(0, query.offset - query.limit))
    if query.offset + query.limit < len(found):
        next_link = "/products?" + _query_string(query, offset=query.offset + query.limit)
    export_query = _query_string(query.model_copy(update={"limit": 50, "offset": 0}))
    return _page(
        request,
        contexts.ProductsContext(
            query=query,
            problems=problems,
            rows=rows,
            count=len(found),
            jurisdictions=snap.jurisdictions(),
            vocabs={k: [m.value for m in v] for k, v in FILTER_VOCABS.items()},
            sort_links=sort_links,
            current_sort=current_sort,
            prev_link=prev_link,
            next_link=next_link,
            export_query=export_query,
            formats=EXPORT_FORMATS,
            api_link="/api/v1/products?" + _query_string(query),
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


@router.get("/products/{slug}", response_class=HTMLResponse)
def product_page(
    request: Request, snap: SnapshotDep, slug: Annotated[str, Path(max_length=200)]
) -> Response:
    """One product: attributes, timeline across jurisdictions, indications, every source,
    and the clinical trials linked to it (from the trials store, when there is one)."""
    doc = snap.by_slug().get(slug)
    if doc is None:
        snap.store.product(slug)  # RecordNotFound with suggestions -> the error page
    assert doc is not None
    diseases = {d["id"]: d for d in snap.diseases()}
    attributes = [
        (label, doc.get(key))
        for label, key in (
            ("Common name", "name"),
            ("Developer", "developer"),
            ("Modality", "modality"),
            ("Cell class", "cell_class"),
            ("Stem cell type", "stem_type"),
            ("Origin", "origin"),
            ("Tissue source", "tissue_source"),
            ("Cell type", "cell_type"),
            ("Manipulation", "manipulation"),
            ("Genetically modified", "genetically_modified"),
        )
    ]
    return _page(
        request,
        contexts.ProductContext(
            doc=doc,
            attributes=attributes,
            timeline=_timeline(doc, snap.jurisdictions()),
            jurisdictions=snap.jurisdictions(),
            diseases=diseases,
            trials=service.product_trials(request.app.state.trials, slug),
        ),
    )


# --------------------------------------------------------------------------- definitions


@router.get("/definitions", response_class=HTMLResponse)
def definitions_page(request: Request, snap: SnapshotDep) -> Response:
    """The jurisdictions' comparison entries side by side, each cell cited."""
    table = service.analysis(snap).table("definitions")
    codes = [c.key for c in table.columns if c.type == "cited"]
    names = {c.key: c.label for c in table.columns}
    return _page(request, contexts.DefinitionsContext(table=table, codes=codes, names=names))


# --------------------------------------------------------------------------- classify


def _profile_fields() -> list[dict[str, Any]]:
    from ctatlas.model import RegulatoryProfile

    fields = []
    for name, info in RegulatoryProfile.model_fields.items():
        args = [a for a in typing.get_args(info.annotation) if a is not type(None)]
        inner = args[0] if args else info.annotation
        kind, options = "bool", ["true", "false"]
        if typing.get_origin(inner) is list:
            kind = "multi"
            options = [m.value for m in typing.get_args(inner)[0]]
        elif isinstance(inner, type) and issubclass(inner, Enum):
            kind, options = "enum", [m.value for m in inner]
        fields.append(
            {"name": name, "kind": kind, "options": options, "help": info.description or ""}
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
    result = service.analysis(snap)
    return _page(
        request,
        contexts.AnalysisContext(
            analysis=result,
            charts=_chart_views(snap),
            formats=EXPORT_FORMATS,
            report_formats=list(REPORT_MEDIA),
        ),
    )


@router.get("/analysis/report.{fmt}")
def report_download(
    snap: SnapshotDep, fmt: Annotated[str, Path(pattern="^(html|pdf|xlsx)$")]
) -> Response:
    """The report as ``ctatlas report`` writes it (HTML, PDF or XLSX), made once per data
    version (the response cache keeps it)."""
    import tempfile
    from pathlib import Path as FilePath

    from ctatlas.report import build_report, render

    def compute() -> Any:
        from ctatlas.analysis import landscape_from_store

        return build_report(landscape_from_store(snap.store))

    report = snap.derived("report", compute)
    with tempfile.TemporaryDirectory(prefix="ctatlas-report-") as folder:
        out = FilePath(folder) / f"ctatlas-report.{fmt}"
        render(report, fmt, out)
        content = out.read_bytes()
    return Response(
        content,
        media_type=REPORT_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="ctatlas-report.{fmt}"'},
    )
