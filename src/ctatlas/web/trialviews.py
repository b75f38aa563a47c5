"""What the trials pages show (``/trials`` and ``/trials/{id}``), built from the trials store.

The listing takes the API's query parameters (:class:`ctatlas.web.api.trials.TrialQuery`); a
parameter that is not valid is ignored and said so, as on ``/products``. The charts are drawn
over every trial the filters select (the best record of each real trial), with the report's
Altair/Vega-Lite pattern (:mod:`ctatlas.analysis.charts`). The evidence behind a trial's label
is put in words: which part of the record, which words, and what the rule made of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError

from ctatlas import labels
from ctatlas.i18n import translations
from ctatlas.trials.record import CELL_FAMILIES, PHASES
from ctatlas.trials.stats import pipeline_stats

__all__ = [
    "REGISTRY_NAMES",
    "country_name",
    "evidence_words",
    "parse_trial_query",
    "store_filters",
    "trial_charts",
]


def N_(message: str) -> str:
    """Marks a string for the message catalogues (translated where it is shown)."""
    return message


#: Registry codes of the trials store -> the registry's own name (proper nouns: not translated).
REGISTRY_NAMES = {
    "ctgov": "ClinicalTrials.gov",
    "cris": "CRIS (Korea)",
    "jprn": "Japan Primary Registries Network (jRCT, UMIN-CTR, JapicCTI)",
    "ctri": "CTRI (India)",
    "chictr": "ChiCTR (China)",
    "euctr": "EU Clinical Trials Register",
    "irct": "IRCT (Iran)",
    "isrctn": "ISRCTN",
    "anzctr": "ANZCTR",
    "drks": "DRKS (Germany)",
    "ntr": "Netherlands Trial Register",
    "pactr": "PACTR",
    "tctr": "TCTR (Thailand)",
    "rebec": "ReBEC (Brazil)",
    "slctr": "SLCTR (Sri Lanka)",
    "lbctr": "LBCTR (Lebanon)",
    "repec": "REPEC (Peru)",
    "rpcec": "RPCEC (Cuba)",
    "itmctr": "ITMCTR",
}

#: The filters of the listing, in the form's order (all of TrialQuery but limit and offset).
FILTERS = (
    "label",
    "country",
    "phase",
    "status",
    "cell_class",
    "family",
    "origin",
    "start_year_from",
    "start_year_to",
    "sponsor_class",
    "condition",
    "product",
)
#: Filter -> the label vocabulary of its values (the selects of the form).
FILTER_VOCABS = {
    "label": "trial_label",
    "phase": "trial_phase",
    "status": "trial_status",
    "cell_class": "cell_class",
    "family": "cell_family",
    "origin": "trial_origin",
    "sponsor_class": "sponsor_class",
}
DEFAULT_LIMIT = 50

# rule prefix -> what it means, in words (the classifier's evidence, trials/classify.py)
_RULE_WORDS = {
    "cell.known_product": N_("names a cell product the atlas knows"),
    "cell": N_("names cells given to people as the treatment"),
    "origin": N_("says where the cells come from"),
    "negative.in_vivo_car": N_(
        "describes CAR cells made inside the body from a medicine, not cells given"
    ),
    "negative.laboratory": N_("describes cells studied in the laboratory, not given to anyone"),
    "negative.setting": N_(
        "names cells as the patients' setting (such as a past transplant), not as the treatment"
    ),
    "negative.context": N_(
        "uses cell words in another sense (negated, or a medicine or factor named after cells)"
    ),
    "acellular.cell_derived": N_(
        "describes a product made from cells that contains no living cells (such as exosomes)"
    ),
    "hsct.intervention": N_("gives a haematopoietic stem cell transplant as a procedure"),
    "hsct.title": N_("names a haematopoietic stem cell transplant as a procedure"),
}
_FIELD_WORDS = {
    "title": N_("The title"),
    "summary": N_("The summary"),
    "interventions": N_("The interventions"),
    "record": N_("The record as a whole"),
    "conditions": N_("The conditions"),
    "keywords": N_("The keywords"),
}


def parse_trial_query(items: Iterable[tuple[str, str]]) -> tuple[Any, list[dict[str, str]]]:
    """The listing's query from the URL's parameters (``lang`` aside): empty values are
    absent, unknown or invalid ones ignored and reported (``{"param", "msg"}``)."""
    from ctatlas.web.api.trials import TrialQuery

    data: dict[str, str] = {}
    problems: list[dict[str, str]] = []
    for key, value in items:
        value = value.strip()
        if key == "lang" or not value:
            continue
        if key not in TrialQuery.model_fields:
            problems.append({"param": key, "msg": f"unknown parameter '{key}'"})
            continue
        data[key] = value
    while True:
        try:
            return TrialQuery(**data), problems
        except ValidationError as exc:
            for err in exc.errors():
                key = str(err["loc"][0]) if err["loc"] else ""
                problems.append({"param": key, "msg": f"{key}: {err['msg']}"})
                if key not in data:  # a check on the whole model: drop every filter
                    data = {}
                data.pop(key, None)


def store_filters(query: Any) -> dict[str, Any]:
    """The trials store's filters for a TrialQuery (as the API applies them)."""
    out = {name: getattr(query, name) for name in FILTERS}
    out["label"] = None if query.label == "all" else query.label
    out["country"] = query.country.upper() if query.country else None
    return out


def query_string(query: Any, lang: str | None = None, **changes: Any) -> str:
    """The URL query of ``query`` with ``changes``: defaults left out, so URLs stay short."""
    data = query.model_dump(mode="json", exclude_defaults=True)
    data.update(changes)
    pairs = [
        (k, str(v))
        for k, v in data.items()
        if v not in (None, "")
        and not (k == "limit" and v == DEFAULT_LIMIT)
        and not (k == "offset" and v == 0)
    ]
    if lang:
        pairs.append(("lang", lang))
    return urlencode(pairs)


def country_name(code: str, lang: str) -> str:
    """A country's name in ``lang`` from its ISO alpha-2 code (CLDR, through Babel)."""
    from babel import Locale

    try:
        return str(Locale.parse(lang).territories.get(code.upper()) or code)
    except (ValueError, TypeError):
        return code


def _field_words(field: str, _: Callable[[str], str]) -> str:
    if field.startswith("interventions["):
        try:
            n = int(field[len("interventions[") : -1]) + 1
        except ValueError:
            return _(_FIELD_WORDS["interventions"])
        return _("Intervention %(n)d") % {"n": n}
    if field in _FIELD_WORDS:
        return _(_FIELD_WORDS[field])
    return _("Another part of the record")


def evidence_words(evidence: Iterable[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The classifier's evidence as sentences: ``{where, what, quote, quote_lang}`` where
    ``where`` is the part of the record, ``what`` what the rule made of it (with the cell
    family or origin it points to, in words) and ``quote`` the words it read."""
    _ = translations(lang).gettext
    out = []
    for item in evidence:
        rule = str(item.get("rule") or "")
        text = str(item.get("text") or "")
        head, _dot, tail = rule.rpartition(".")
        what = None
        for prefix in (rule, head):
            if prefix in _RULE_WORDS:
                what = _(_RULE_WORDS[prefix])
                break
        detail = ""
        if head in ("cell", "cell.known_product") and tail in CELL_FAMILIES:
            detail = labels.label("cell_family", tail, lang)
        elif head == "origin":
            detail = labels.label("trial_origin", tail, lang)
        if what is None:
            what = _("matched another of the classifier's rules")
        quote = "" if head == "origin" else text
        out.append(
            {
                "where": _field_words(str(item.get("field") or ""), _),
                "what": what,
                "detail": detail,
                "quote": quote,
                "quote_lang": labels.script_lang(quote) or "",
            }
        )
    return out


# --------------------------------------------------------------------------- charts

FACET_COLUMNS = ("start_date", "cell_family", "countries", "phases")


def trial_charts(facets: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The listing's charts over ``facets`` (rows of FACET_COLUMNS): starts per year by cell
    family, starts per year in Japan, Korea and the world, the phase mix. Each is
    ``{id, title, spec}`` (spec a Vega-Lite dict, data inline); none without dated trials."""
    import altair as alt

    from ctatlas.analysis.charts import _spec

    _ = translations(lang).gettext
    charts: list[dict[str, Any]] = []
    if not facets:
        return charts
    by_family = [
        r for r in pipeline_stats(facets, by=("family", "year")) if r["year"] != "unknown"
    ]
    if by_family:
        fam_order = [labels.label("cell_family", f, lang) for f in CELL_FAMILIES]
        values = [
            {
                "year": r["year"],
                "family": labels.label("cell_family", r["family"], lang)
                if r["family"] != "unknown"
                else labels.label("yes_no", None, lang),
                "trials": r["trials"],
            }
            for r in by_family
        ]
        chart = (
            alt.Chart(alt.Data(values=values))
            .mark_bar()
            .encode(
                x=alt.X("year:O", title=_("Year the trial started")),
                y=alt.Y("sum(trials):Q", title=_("Trials")),
                color=alt.Color("family:N", title=_("Cell family"), sort=fam_order),
                tooltip=[
                    alt.Tooltip("year:O", title=_("Year")),
                    alt.Tooltip("family:N", title=_("Cell family")),
                    alt.Tooltip("trials:Q", title=_("Trials")),
                ],
            )
            .properties(width="container", height=260)
        )
        title = _("Trial starts per year by cell family")
        charts.append({"id": "trial_starts_by_family", "title": title, "spec": _spec(chart)})
    by_region = [
        r for r in pipeline_stats(facets, by=("region", "year")) if r["year"] != "unknown"
    ]
    if by_region:
        names = {
            "JP": country_name("JP", lang),
            "KR": country_name("KR", lang),
            "world": _("All countries"),
        }
        values = [
            {"year": r["year"], "region": names[r["region"]], "trials": r["trials"]}
            for r in by_region
        ]
        chart = (
            alt.Chart(alt.Data(values=values))
            .mark_line(point=True)
            .encode(
                x=alt.X("year:O", title=_("Year the trial started")),
                y=alt.Y("trials:Q", title=_("Trials")),
                color=alt.Color(
                    "region:N", title=_("Where"), sort=[names["JP"], names["KR"], names["world"]]
                ),
                tooltip=[
                    alt.Tooltip("year:O", title=_("Year")),
                    alt.Tooltip("region:N", title=_("Where")),
                    alt.Tooltip("trials:Q", title=_("Trials")),
                ],
            )
            .properties(width="container", height=260)
        )
        title = _("Trial starts per year: Japan, Korea and all countries")
        charts.append({"id": "trial_starts_by_region", "title": title, "spec": _spec(chart)})
    phases: Counter[str] = Counter()
    for row in facets:
        for p in row.get("phases") or ["unknown"]:
            phases[p] += 1
    order = [p for p in (*PHASES, "unknown") if phases.get(p)]
    values = [
        {
            "phase": labels.label("trial_phase", p, lang)
            if p != "unknown"
            else _("Phase not given"),
            "trials": phases[p],
        }
        for p in order
    ]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("phase:N", title=None, sort=[v["phase"] for v in values]),
            x=alt.X("trials:Q", title=_("Trials")),
            tooltip=[
                alt.Tooltip("phase:N", title=_("Phase")),
                alt.Tooltip("trials:Q", title=_("Trials")),
            ],
        )
        .properties(width="container", height=max(60, 28 * len(values)))
    )
    charts.append({"id": "trial_phase_mix", "title": _("Phase mix"), "spec": _spec(chart)})
    return charts
