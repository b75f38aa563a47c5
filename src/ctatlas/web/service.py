"""What the API routes and the pages both ask for: one data layer, computed once per data version.

Filtering, searching and sorting are :mod:`ctatlas.query` (the CLI's semantics); the report's
numbers are :mod:`ctatlas.analysis`; classification is :mod:`ctatlas.classify`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from ctatlas.query import authorization_rows, filter_products, sort_products
from ctatlas.web.params import ProductFilters, ProductQuery, product_filter
from ctatlas.web.state import Snapshot

__all__ = [
    "analysis",
    "conditional_tracker",
    "charts",
    "classification",
    "disease_list",
    "jurisdiction_detail",
    "jurisdiction_summaries",
    "matching_products",
    "product_trials",
    "stats",
]


def matching_products(snap: Snapshot, query: ProductFilters) -> list[dict[str, Any]]:
    """The products the query selects, sorted (each with only its matching authorizations)."""
    flt = product_filter(query, snap.jurisdictions())
    texts = snap.search_texts() if flt.search else None
    found = filter_products(snap.products(), flt, texts)
    if texts is not None and flt.search and not query.sort:  # an explicit sort wins
        from ctatlas.search import rank

        return rank(found, flt.search, texts)
    return sort_products(found, query.sort)


def matching_authorizations(snap: Snapshot, query: ProductQuery) -> list[dict[str, Any]]:
    """One flat row per matching authorization."""
    return authorization_rows(matching_products(snap, query))


def _counts(snap: Snapshot) -> dict[str, tuple[int, int]]:
    def compute() -> dict[str, tuple[int, int]]:
        products: Counter[str] = Counter()
        auths: Counter[str] = Counter()
        for doc in snap.products():
            codes = [a["jurisdiction"] for a in doc["authorizations"]]
            auths.update(codes)
            products.update(set(codes))
        return {code: (products[code], auths[code]) for code in snap.jurisdictions()}

    return snap.derived("jurisdiction_counts", compute)  # type: ignore[no-any-return]


def jurisdiction_summaries(snap: Snapshot) -> list[dict[str, Any]]:
    """Every jurisdiction, with its product and authorization counts."""
    counts = _counts(snap)
    return [
        {
            "code": code,
            "name": doc["name"],
            "local_name": doc.get("local_name"),
            "complete_as_of": doc.get("complete_as_of"),
            "regulators": [r["id"] for r in doc.get("regulators", [])],
            "products": counts[code][0],
            "authorizations": counts[code][1],
            "url": f"/api/v1/jurisdictions/{code}",
        }
        for code, doc in snap.jurisdictions().items()
    ]


def jurisdiction_detail(snap: Snapshot, code: str) -> dict[str, Any]:
    """One jurisdiction's document with counts; :class:`NotFound` with close codes."""
    from ctatlas.web.errors import NotFound

    jurs = snap.jurisdictions()
    wanted = code.upper()
    if wanted not in jurs:
        import difflib

        close = difflib.get_close_matches(wanted, list(jurs), n=3, cutoff=0.4)
        message = f"no jurisdiction '{code}'" + (
            f". Did you mean: {', '.join(close)}?" if close else f"; known: {', '.join(jurs)}"
        )
        raise NotFound(message, [{"loc": ["path", "code"], "msg": message}], close)
    products, auths = _counts(snap)[wanted]
    return {**jurs[wanted], "products": products, "authorizations": auths}


def disease_list(snap: Snapshot) -> list[dict[str, Any]]:
    """Every disease with its area's name and the products indicated for it."""

    def compute() -> list[dict[str, Any]]:
        by_disease: dict[str, set[str]] = {}
        for doc in snap.products():
            for auth in doc["authorizations"]:
                for ind in auth["indications"]:
                    for disease in ind["disease_ids"]:
                        by_disease.setdefault(disease, set()).add(doc["slug"])
        areas = {a["id"]: a["name"] for a in snap.areas()}
        return [
            {
                **d,
                "area_name": areas.get(d["area"]),
                "products": sorted(by_disease.get(d["id"], ())),
            }
            for d in snap.diseases()
        ]

    return snap.derived("diseases", compute)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- the report


def analysis(snap: Snapshot) -> Any:
    """The report's analysis of the whole landscape (:class:`ctatlas.analysis.Analysis`)."""

    def compute() -> Any:
        from ctatlas.analysis import analyse, landscape_from_store

        return analyse(landscape_from_store(snap.store))

    return snap.derived("analysis", compute)


def charts(snap: Snapshot, lang: str = "en") -> list[Any]:
    """The report's charts (Vega-Lite specs), drawn in ``lang``."""

    def compute() -> list[Any]:
        from ctatlas.analysis.charts import all_charts

        result = analysis(snap)
        area_names = {
            a["name"]: (a.get("names") or {}).get(lang) or a["name"] for a in snap.areas()
        }
        return all_charts(
            {t.id: t for t in result.tables},
            {f.id: f for f in result.findings},
            list(result.jurisdictions),
            lang,
            area_names,
        )

    key = "charts" if lang == "en" else f"charts:{lang}"
    return snap.derived(key, compute)  # type: ignore[no-any-return]


def _count_rows(counter: Mapping[str | None, int], order: list[str] | None = None) -> list[Any]:
    keys = order if order is not None else sorted(counter, key=lambda k: (-counter[k], k or ""))
    return [{"key": k, "count": counter[k]} for k in keys if counter.get(k)]


def stats(snap: Snapshot) -> dict[str, Any]:
    """The counts behind the report's findings (and the findings themselves)."""

    def compute() -> dict[str, Any]:
        products = snap.products()
        auths = [(doc, a) for doc in products for a in doc["authorizations"]]
        result = analysis(snap)
        years: Counter[str | None] = Counter(
            (a.get("approval_date") or "")[:4] or None for _, a in auths
        )
        return {
            "data_hash": snap.data_hash,
            "built_at": snap.built_at.isoformat(),
            "products": len(products),
            "authorizations": len(auths),
            "by_jurisdiction": _count_rows(
                Counter(a["jurisdiction"] for _, a in auths), list(snap.jurisdictions())
            ),
            "by_modality": _count_rows(Counter(d["modality"] for d in products)),
            "by_cell_class": _count_rows(Counter(d["cell_class"] for d in products)),
            "by_origin": _count_rows(Counter(d["origin"] for d in products)),
            "by_status": _count_rows(Counter(a["status"] for _, a in auths)),
            "by_pathway": _count_rows(Counter(a["pathway"] for _, a in auths)),
            "by_approval_year": _count_rows(
                years, sorted((y for y in years if y), key=str) + ([None] if None in years else [])
            ),
            "findings": [
                f.as_dict() for f in result.findings
            ],
            "complete_as_of": {
                k: v.isoformat() if v else None for k, v in result.complete_as_of.items()
            },
        }

    return snap.derived("stats", compute)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- classify


def classify_jurisdictions(snap: Snapshot) -> dict[str, Any]:
    """The classifier's jurisdictions that the store has files for, as curated models."""

    def compute() -> dict[str, Any]:
        from ctatlas.classify import JURISDICTIONS
        from ctatlas.model import Jurisdiction

        jurs = snap.jurisdictions()
        return {c: Jurisdiction.model_validate(jurs[c]) for c in JURISDICTIONS if c in jurs}

    return snap.derived("classify_jurisdictions", compute)  # type: ignore[no-any-return]


def classification(
    snap: Snapshot, profile: Mapping[str, Any], jurisdictions: list[str] | None = None
) -> dict[str, Any]:
    """The classifier's decision for ``profile`` in each jurisdiction, API-shaped.

    :class:`ctatlas.classify.ProfileError` (a :class:`BadInput`) for a bad profile or code.
    """
    from ctatlas.classify import classify, parse_jurisdictions
    from ctatlas.classify.base import ProfileError

    files = classify_jurisdictions(snap)
    codes = parse_jurisdictions(jurisdictions) if jurisdictions else list(files)
    missing = [c for c in codes if c not in files]
    if missing:
        raise ProfileError(f"no jurisdiction file for {', '.join(missing)} in this store")
    result = classify(profile, codes, data=files)
    decisions = []
    for code, decision in result.decisions.items():
        d = decision.as_dict()
        decisions.append(
            {
                "jurisdiction": code,
                "jurisdiction_name": files[code].name,
                "category": decision.category,
                "extra": dict(decision.extra),
                "rules": d["rules"],
                "pathways": d["pathways"],
                "alternatives": d["alternatives"],
                "missing": d["missing"],
                "notes": d.get("notes", []),
                "routes": d["routes"],
                "regulated_as": d["regulated_as"],
            }
        )
    return {"profile": result.profile.model_dump(mode="json"), "decisions": decisions}


# --------------------------------------------------------------------------- trials


#: Trials listed on a product page (the API link gives all of them).
PRODUCT_TRIALS_SHOWN = 100


def product_trials(trials: Any, slug: str, limit: int = PRODUCT_TRIALS_SHOWN) -> dict[str, Any]:
    """The trials linked to product ``slug`` (every label), newest start first, for its page:
    ``{"store": bool, "count", "shown": [trial rows], "api_link"}``. Reads only the linked
    records (the store's index of them); never creates the trials store."""
    from urllib.parse import urlencode

    api_link = "/api/v1/trials?" + urlencode({"product": slug, "label": "all", "limit": 500})
    import sqlalchemy as sa

    try:
        return _product_trials(trials, slug, limit, api_link)
    except sa.exc.SQLAlchemyError:  # not a database, damaged, gone: the page still renders
        return {"store": True, "unavailable": True, "count": 0, "shown": [], "api_link": api_link}


def _product_trials(trials: Any, slug: str, limit: int, api_link: str) -> dict[str, Any]:
    store = trials.store()
    if store is None:
        return {
            "store": False,
            "unavailable": False,
            "count": 0,
            "shown": [],
            "api_link": api_link,
        }
    shown: list[dict[str, Any]] = []
    for row in store.query(product=slug, limit=limit):
        start = row.get("start_date") or ""
        shown.append(
            {
                "trial_id": row["trial_id"],
                "registry": row["registry"],
                "url": row.get("url"),
                "title": row.get("title") or "",
                "phases": row.get("phases") or [],
                "status": row.get("status") or "unknown",
                "countries": row.get("countries") or [],
                "start_year": start[:4] if start[:4].isdigit() else None,
                "label": row.get("label"),
            }
        )
    count = len(shown) if len(shown) < limit else store.count_trials(product=slug)
    return {
        "store": True,
        "unavailable": False,
        "count": count,
        "shown": shown,
        "api_link": api_link,
    }


def program_trials(
    trials: Any, doc: dict[str, Any], linker: Any, limit: int = 200
) -> dict[int, Any]:
    """The stored trials of each of ``doc``'s programs (``linker``: a
    :class:`~ctatlas.trials.program_links.ProgramLinker` of the atlas): program index ->
    [{trial_id, title, start_year, label}], newest start first. The trials that name the
    therapy (at most ``limit``) and those its programs list by id are read; {} without a
    store, or when it cannot be read (the page still renders)."""
    import sqlalchemy as sa

    if not doc.get("programs"):
        return {}
    try:
        store = trials.store()
        if store is None:
            return {}
        rows = {r["trial_id"]: r for r in store.query(product=doc["slug"], limit=limit)}
        for program in doc["programs"]:
            for tid in program.get("trial_ids") or ():
                if tid not in rows:
                    found = store.find(tid)
                    if found is not None:
                        rows.setdefault(found["trial_id"], found)
    except sa.exc.SQLAlchemyError:
        return {}
    out: dict[int, list[dict[str, Any]]] = {}
    for row in sorted(rows.values(), key=lambda r: r.get("start_date") or "", reverse=True):
        for link in linker.links(row):
            if link["slug"] != doc["slug"]:
                continue
            start = row.get("start_date") or ""
            out.setdefault(link["program"], []).append(
                {
                    "trial_id": row["trial_id"],
                    "title": row.get("title") or "",
                    "start_year": start[:4] if start[:4].isdigit() else None,
                    "label": row.get("label"),
                }
            )
    return out


def _known_codes(snap: Snapshot, jurisdictions: list[str]) -> list[str]:
    """The jurisdiction codes, upper case; a code the atlas does not know is a 422."""
    from ctatlas.web.errors import Unprocessable

    codes = [c.upper() for c in jurisdictions]
    known = snap.jurisdictions()
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise Unprocessable(
            f"unknown jurisdiction {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return codes


def designations(
    snap: Snapshot, jurisdictions: list[str], limit: int, offset: int
) -> dict[str, Any]:
    """Designated therapies and their outcome, a list envelope with the counts per route."""
    from ctatlas.designations import designation_rows, designation_stats, published_totals

    codes = _known_codes(snap, jurisdictions)
    rows = snap.derived(
        f"designations:{','.join(sorted(codes))}",
        lambda: designation_rows(snap.therapies(), codes or None),
    )
    return {
        "data": rows[offset : offset + limit],
        "count": len(rows),
        "limit": limit,
        "offset": offset,
        "stats": (stats := designation_stats(rows)),
        "published": published_totals(snap.jurisdictions(), stats, codes or None),
    }


def conditional_tracker(
    snap: Snapshot, jurisdictions: list[str], as_of: str | None, limit: int, offset: int
) -> dict[str, Any]:
    """The conditional-approval tracker for a day (today by default): a list envelope with
    ``as_of`` and the conversion rate per jurisdiction."""
    import datetime as dt

    from ctatlas.conditional import conversion_rates, today, tracker_rows
    from ctatlas.web.errors import Unprocessable

    try:
        day = dt.date.fromisoformat(as_of) if as_of else today()
    except ValueError:
        raise Unprocessable(f"as_of '{as_of}' is not a date written YYYY-MM-DD") from None
    codes = _known_codes(snap, jurisdictions)
    rows = snap.derived(
        f"conditional:{day.isoformat()}:{','.join(sorted(codes))}",
        lambda: tracker_rows(snap.products(), day, codes or None),
    )
    return {
        "data": rows[offset : offset + limit],
        "count": len(rows),
        "limit": limit,
        "offset": offset,
        "as_of": day.isoformat(),
        "conversion": conversion_rates(rows),
    }
