"""What the trials pages show (``/trials`` and ``/trials/{id}``), built from the trials store.

The listing takes the API's query parameters (:class:`ctatlas.web.api.trials.TrialQuery`); a
parameter that is not valid is ignored and said so, as on ``/products``. The charts are drawn
over every trial the filters select (the best record of each real trial), with the report's
Altair/Vega-Lite pattern (:mod:`ctatlas.analysis.charts`). The evidence behind a trial's label
is put in words: which part of the record, which words, and what the rule made of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError

from ctatlas import labels
from ctatlas.analysis.registries import FACET_COLUMNS
from ctatlas.i18n import translations
from ctatlas.trials.names import REGISTRY_NAMES
from ctatlas.trials.record import CELL_FAMILIES

__all__ = [
    "FACET_COLUMNS",
    "REGISTRY_NAMES",
    "country_choices",
    "country_name",
    "evidence_words",
    "parse_trial_query",
    "store_filters",
    "trial_charts",
]


def N_(message: str) -> str:
    """Marks a string for the message catalogues (translated where it is shown)."""
    return message


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
    # the wording model's overrides (trials/wording_rule.py): its reason, in words, is quoted
    "wording.to_cell": N_(
        "reads like the cell-therapy studies the wording model learned from, so the model "
        "overrides the rules and counts it as a cell therapy"
    ),
    "wording.away": N_(
        "does not read like the cell-therapy studies the wording model learned from, so the "
        "model overrides the rules and does not count it as a cell therapy"
    ),
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


def country_choices(codes: Iterable[str], selected: str | None, lang: str) -> list[tuple[str, str]]:
    """(code, name in ``lang``) of the listing's country choice: the stored trials' countries
    (and the one asked for, even without trials), by name."""
    wanted = set(codes) | ({selected.upper()} if selected else set())
    return sorted(((c, country_name(c, lang)) for c in wanted), key=lambda cn: cn[1].casefold())


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


def trial_charts(facets: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The listing's charts over ``facets`` (rows of FACET_COLUMNS), as the report draws
    them (:func:`ctatlas.analysis.registries.trial_charts`), in ``lang``: ``{id, title,
    spec}`` each."""
    from ctatlas.analysis.registries import trial_charts as charts

    _ = translations(lang).gettext
    names = {
        "JP": country_name("JP", lang),
        "KR": country_name("KR", lang),
        "world": _("All countries"),
    }
    return [
        {"id": c.id, "title": c.title, "spec": c.spec}
        for c in charts(facets, _, lang, region_names=names, width="container")
    ]
