"""The interface in English, Japanese and Korean: message catalogues and language negotiation.

Interface strings are written in English in the templates (``{{ _("Products") }}``,
``{% trans %}``) and translated in standard gettext catalogues,
``ctatlas/locale/{ja,ko}/LC_MESSAGES/messages.po``. The ``.po`` files are the only copy: they
are compiled in memory with Babel the first time a language is used (a few milliseconds), so a
plain ``pip install -e .`` on a fresh clone works and no compiled ``.mo`` can go stale.

    >>> negotiate("ja", None)
    'ja'
    >>> negotiate(None, "ko-KR,ko;q=0.9,en;q=0.8")
    'ko'
    >>> negotiate("fr", "de, ja;q=0.5")
    'ja'

Refresh the catalogues after changing templates with ``scripts/i18n`` (extract with
``pybabel extract``, then :func:`merge_catalogue` into each language; see the README).
"""

from __future__ import annotations

import functools
import gettext
import io
from importlib import resources
from pathlib import Path

from ctatlas.labels import LANGS

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "catalogue_path",
    "merge_catalogue",
    "negotiate",
    "translations",
]

DEFAULT_LANG = "en"
DOMAIN = "messages"


def catalogue_path(lang: str) -> Path:
    """The ``.po`` file of ``lang``."""
    root = Path(str(resources.files("ctatlas") / "locale"))
    return root / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.lru_cache(maxsize=len(LANGS))
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (English: the strings as written)."""
    if lang not in LANGS or lang == DEFAULT_LANG:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalogue_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def merge_catalogue(template: Path, po: Path) -> None:
    """Bring the catalogue ``po`` up to the messages of ``template`` (a ``.pot`` written with
    ``--omit-header``), as ``pybabel update --no-fuzzy-matching --ignore-obsolete`` does: new
    messages get an empty translation, messages no longer extracted are dropped, translations
    are kept. Unlike ``pybabel update``, the catalogue's header (its comment and the
    ``msgid ""`` entry) is kept as written: babel either drops it (``--omit-header``) or
    rewrites it (the creation date, and the comment wrapped at 76 columns)."""
    from babel.messages.pofile import read_po, write_po

    text = po.read_text(encoding="utf-8")
    lang = po.parent.parent.name
    with template.open("rb") as fh:
        messages = read_po(fh)
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    catalog.update(messages, no_fuzzy_matching=True, update_creation_date=False)
    body = io.BytesIO()
    write_po(body, catalog, omit_header=True, ignore_obsolete=True)
    first, blank, _rest = text.partition("\n\n")
    header = first + blank if blank and '\nmsgid ""\n' in f"\n{first}\n" else ""
    po.write_text(header + body.getvalue().decode("utf-8"), encoding="utf-8")


def _accepted(header: str) -> list[str]:
    """The primary language tags of an Accept-Language header, most preferred first."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        weighted.append((-quality, index, tag.strip().split("-")[0].lower()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(query_lang: str | None, accept_language: str | None) -> str:
    """The language to answer in: ``lang`` from the query when it is one of :data:`LANGS`,
    else the first of the browser's Accept-Language we have, else English."""
    if query_lang and query_lang.strip().lower() in LANGS:
        return query_lang.strip().lower()
    for tag in _accepted(accept_language or ""):
        if tag in LANGS:
            return tag
    return DEFAULT_LANG
