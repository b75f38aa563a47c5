"""How a page is drawn: the Jinja2 environment with its filters and translation callables,
the navigation, the page's language and language switch, and :func:`render_page` (the
template of a context class, :data:`contexts.PAGE_CONTEXTS`) and :func:`render_error`.

Kept apart from the routes (:mod:`ctatlas.web.pages`, :mod:`ctatlas.web.trial_pages`): one
concern, shared by every page and by the error handlers.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from ctatlas import __version__, labels
from ctatlas.i18n import LANGS, negotiate, translations
from ctatlas.report import texts
from ctatlas.web import contexts
from ctatlas.web.assets import package_assets
from ctatlas.web.state import Snapshot

__all__ = [
    "NAV",
    "N_",
    "page_language",
    "product_names",
    "render_error",
    "render_page",
    "templates",
]

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("ctatlas.web", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
    extensions=["jinja2.ext.i18n"],
)
templates = Jinja2Templates(env=_env)
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


def product_names(
    doc: dict[str, Any], lang: str
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
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


def render_page(request: Request, context: Any, status: int = 200) -> Response:
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




def render_error(
    request: Request, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response:
    """An error as a page (the same fields as the JSON envelope)."""
    response = render_page(request, contexts.ErrorContext(err=body), status=body["status"])
    if headers:
        response.headers.update(headers)
    return response
