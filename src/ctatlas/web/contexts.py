"""The pages' template contexts: one typed, documented contract per page.

Every page view builds one of these from the same data layer as the API
(:mod:`ctatlas.web.service`); a test checks that every name a template uses is a field here (or
a base field) and that every field is described.
"""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = [
    "AnalysisContext",
    "ApiIndexContext",
    "BASE_FIELDS",
    "ClassifyContext",
    "DefinitionsContext",
    "ErrorContext",
    "HomeContext",
    "JurisdictionContext",
    "JurisdictionsContext",
    "ConditionalContext",
    "PAGE_CONTEXTS",
    "PipelineContext",
    "ProductContext",
    "ProductsContext",
    "TrialContext",
    "TrialsContext",
    "as_dict",
]


def described(text: str, default: Any = dataclasses.MISSING) -> Any:
    """A field with its description (the contract test requires one)."""
    if default is dataclasses.MISSING:
        return dataclasses.field(metadata={"doc": text})
    return dataclasses.field(default=default, metadata={"doc": text})


#: What every page gets from ``_page`` besides its context.
BASE_FIELDS = {
    "request": "The Starlette request.",
    "nav": "(href, label) of the site navigation.",
    "version": "ctatlas version.",
    "path": "The request's path (marks the current navigation entry).",
    "lang": "The page's language (en, ja or ko), negotiated from ?lang= or Accept-Language.",
    "lang_query": "Whether ?lang= chose the language (links then carry it).",
    "langs": "(code, name, URL, current) of the language switch.",
    "jurisdiction_docs": "Jurisdiction documents by code (category labels).",
}


@dataclasses.dataclass
class HomeContext:
    """``/``: key figures and charts."""

    stats: dict[str, Any] = described("The counts of GET /api/v1/stats.")
    jurisdictions: list[dict[str, Any]] = described("Jurisdiction summaries with counts.")
    findings: list[Any] = described(
        "The report's findings in the page's language (ctatlas.report.texts.LocalFinding)."
    )
    charts: list[dict[str, Any]] = described("Charts to draw: id, title, Vega-Lite spec as JSON.")


@dataclasses.dataclass
class ProductsContext:
    """``/products``: the filterable, sortable table."""

    query: Any = described("The parsed filters (ProductQuery).")
    problems: list[dict[str, Any]] = described("Parameters that were ignored, and why.")
    rows: list[dict[str, Any]] = described(
        "One row per product shown: doc, first/then (names as {text, lang}, the reader's "
        "local names first), authorizations (the matching ones: jurisdiction, holder, pathway, "
        "status, conditional term), first_approval."
    )
    count: int = described("Products matching the filters (all pages).")
    jurisdictions: dict[str, dict[str, Any]] = described("Jurisdiction documents by code.")
    vocabs: dict[str, list[str]] = described("Filter name -> allowed values.")
    facets: dict[str, dict[str, int]] = described(
        "Filter name -> value -> products listed if that value were ticked too."
    )
    sort_links: dict[str, str] = described("Sort field -> URL sorting by it (toggles direction).")
    current_sort: str = described("The sort the URL names ('' for the default).")
    default_sort: str = described("The order without a sort ('' for relevance, with a search).")
    prev_link: str | None = described("URL of the previous page, if any.")
    next_link: str | None = described("URL of the next page, if any.")
    pages: list[dict[str, Any] | None] = described(
        "Numbered page links (number, link, current; None for a gap); empty for one page."
    )
    export_query: str = described("The filters as a query string for the export links.")
    formats: tuple[str, ...] = described("Export formats.")
    api_link: str = described("The same selection in the JSON API.")


@dataclasses.dataclass
class ProductContext:
    """``/products/{slug}``: one product."""

    doc: dict[str, Any] = described("The product document (as GET /api/v1/products/{slug}).")
    title: str = described("The page title: the names of the heading, joined.")
    heading: list[dict[str, str]] = described(
        "Names for the heading, {text, lang}: local names in the reader's language, else brands."
    )
    subheading: list[dict[str, str]] = described("The other names, {text, lang}.")
    attributes: list[tuple[str, str | None, Any]] = described(
        "(field, vocabulary or None for free text, value) of the product's attributes."
    )
    timeline: list[dict[str, Any]] = described("Status events of every authorization, by date.")
    disease_names: dict[str, list[dict[str, str]]] = described(
        "Disease id -> its name as {text, lang}, in the reader's language where the data has it."
    )
    trials: dict[str, Any] = described(
        "Linked clinical trials: store (whether a trials store exists), count, shown "
        "(trial_id, registry, url, title, phases, status, countries, start_year, label), "
        "api_link (all of them in the JSON API)."
    )
    program_trials: dict[int, list[dict[str, Any]]] = described(
        "Program index -> the stored trials linked to that program (trials/program_links.py): "
        "trial_id, title, start_year, label; newest first."
    )


@dataclasses.dataclass
class JurisdictionsContext:
    """``/jurisdictions``: every jurisdiction, linked to its page."""

    rows: list[dict[str, Any]] = described(
        "Jurisdiction summaries (code, name, local_name, complete_as_of, regulators, products, "
        "authorizations), each with doc (its document) and tiers (risk tiers and tier routes)."
    )


@dataclasses.dataclass
class JurisdictionContext:
    """``/jurisdictions/{code}``: one jurisdiction's framework."""

    j: dict[str, Any] = described(
        "ctatlas.web.jurisdiction_view.jurisdiction_view: the document (as GET "
        "/api/v1/jurisdictions/{code}) with citations as {text, law, url, host, accessed, "
        "read_via}, comparison as (aspect, entry) pairs, route_labels, tier_labels, law_names "
        "and sections ((anchor, heading) of what the data holds)."
    )


@dataclasses.dataclass
class DefinitionsContext:
    """``/definitions``: every jurisdiction's definitions, and the comparison side by side."""

    table: Any = described("The analysis's definitions table (ctatlas.analysis.Table).")
    codes: list[str] = described("Jurisdiction codes, in column order.")
    names: dict[str, str] = described("Column key -> heading.")
    jurisdictions: list[dict[str, Any]] = described(
        "Every jurisdiction's definitions: code, local_name, definitions (as in the jurisdiction "
        "file, citations as {text, law, url, host, accessed, read_via})."
    )


@dataclasses.dataclass
class ClassifyContext:
    """``/classify``: the profile form and the decision."""

    fields: list[dict[str, Any]] = described(
        "Profile attributes: name, kind, options, vocab (of the option labels), help."
    )
    values: dict[str, Any] = described("The values given in the URL, for the form.")
    result: dict[str, Any] | None = described("The classification (as POST /api/v1/classify).")
    error: str | None = described("Why the profile could not be classified.")


@dataclasses.dataclass
class AnalysisContext:
    """``/analysis``: the report's tables, findings and charts, with downloads."""

    analysis: Any = described("The analysis (ctatlas.analysis.Analysis).")
    layout: dict[str, Any] = described(
        "The page's arrangement: findings and tables, each with its charts "
        "(ctatlas.web.analysis_view.arrange)."
    )
    formats: tuple[str, ...] = described("Export formats of the data.")
    report_formats: list[str] = described("Formats of the report document.")
    local_names: dict[str, dict[str, str]] = described(
        "A disease area's or founding topic's English name -> its names by language (sourced "
        "in diseases.yaml), for the tables' area and topic cells."
    )


@dataclasses.dataclass
class PipelineContext:
    """``/pipeline``: development programs, filtered, with the funnel and the lists."""

    view: dict[str, Any] = described(
        "ctatlas.web.pipeline_view.pipeline_view: query, problems, rows, count, in_pipeline, "
        "therapies, codes, topics, filed, completeness, discontinued, query_string, api_link, "
        "export_link, jurisdictions, areas, vocabs."
    )
    charts: list[dict[str, Any]] = described("The funnel and family charts: id, title, spec.")


@dataclasses.dataclass
class TrialsContext:
    """``/trials``: the trials store's trials, filtered as ``ctatlas trials list`` filters."""

    state: str = described(
        "'ok'; 'none' while no trials store is loaded; 'unavailable' when it cannot be read."
    )
    query: Any = described("The parsed filters (ctatlas.web.api.trials.TrialQuery).")
    problems: list[dict[str, str]] = described("Parameters that were ignored, and why.")
    rows: list[dict[str, Any]] = described(
        "One row per trial shown: trial_id, url, registry (its name), title, phases, status, "
        "countries (names in the page's language), start_year, label, family, origin, "
        "sponsor, products ({slug, name}), "
        "programs (as on /trials/{id}), page (this atlas's page of the trial)."
    )
    count: int = described("Trials matching the filters (all pages).")
    countries: list[tuple[str, str]] = described(
        "(code, name in the page's language) of the country choice: the stored trials' "
        "countries, by name."
    )
    vocabs: dict[str, tuple[str, str, list[str]]] = described(
        "Select filter -> (its name, to translate; label vocabulary; allowed values)."
    )
    prev_link: str | None = described("URL of the previous page, if any.")
    next_link: str | None = described("URL of the next page, if any.")
    api_link: str = described("The same selection in the JSON API.")
    charts: list[dict[str, Any]] = described(
        "Charts over every matching trial: id, title, Vega-Lite spec as JSON."
    )


@dataclasses.dataclass
class TrialContext:
    """``/trials/{id}``: one trial, found by any of its registry ids."""

    state: str = described(
        "'ok'; 'none' while no trials store is loaded; 'unavailable' when it cannot be read."
    )
    asked: str = described("The id in the URL.")
    trial: dict[str, Any] | None = described(
        "The normalised record (as GET /api/v1/trials/{id}), or None."
    )
    registry: str = described("The registry's name.")
    countries: list[str] = described("The trial's countries, by name in the page's language.")
    products: list[dict[str, str]] = described("Atlas products the trial names: {slug, name}.")
    programs: list[dict[str, Any]] = described(
        "Development programs the trial belongs to (trials/program_links.py): {slug, program "
        "(its index on the therapy's page), name, jurisdiction, stage, status}."
    )
    evidence: list[dict[str, Any]] = described(
        "The evidence behind the label in words: where, what, detail, quote, quote_lang."
    )


@dataclasses.dataclass
class ConditionalContext:
    """``/conditional``: every conditional approval, its deadline and outcome on a day."""

    rows: list[dict[str, Any]] = described("Tracker rows (ctatlas.conditional.tracker_rows).")
    conversion: list[dict[str, Any]] = described("Outcome counts and conversion rate per code.")
    as_of: str = described("The day the outcomes are computed for (YYYY-MM-DD).")
    codes: list[str] = described("Every jurisdiction code, for the filter.")
    selected: list[str] = described("The jurisdictions chosen (empty: all).")


@dataclasses.dataclass
class ApiIndexContext:
    """``/api``: every endpoint of the REST API, from the app's OpenAPI document."""

    endpoints: list[dict[str, str]] = described(
        "ctatlas.web.api_index.api_endpoints: method, path, summary, description (first "
        "sentence) and example (a URL that answers, with real values)."
    )


@dataclasses.dataclass
class ErrorContext:
    """Any error, as a page."""

    err: dict[str, Any] = described("The error envelope (ok, status, error, errors, suggestions).")


#: template -> its context class.
PAGE_CONTEXTS: dict[str, type] = {
    "home.html": HomeContext,
    "products.html": ProductsContext,
    "product.html": ProductContext,
    "definitions.html": DefinitionsContext,
    "jurisdictions.html": JurisdictionsContext,
    "jurisdiction.html": JurisdictionContext,
    "classify.html": ClassifyContext,
    "analysis.html": AnalysisContext,
    "pipeline.html": PipelineContext,
    "trials.html": TrialsContext,
    "trial.html": TrialContext,
    "conditional.html": ConditionalContext,
    "api.html": ApiIndexContext,
    "error.html": ErrorContext,
}


def as_dict(context: Any) -> dict[str, Any]:
    """The context's fields (shallow: no copies of the data)."""
    return {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
