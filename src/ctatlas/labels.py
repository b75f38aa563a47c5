"""Words, not codes: every vocabulary value's label in English, Japanese and Korean.

Pages, charts, the report, the CLI's tables and the classifier's readable answers show these
labels; JSON keeps the codes. One table per vocabulary, each value ``(en, ja, ko)``:

    >>> label("origin", "autologous", "ja")
    '自家'
    >>> label("modality", "cell_therapy")
    'Cell therapy'
    >>> category_label("JP", "human_somatic_stem_cell_processed", "ja")
    'ヒト体性幹細胞加工製品'

Legal categories take their English and local-language names from the jurisdiction files
(``label`` / ``local_label`` in ``data/jurisdictions/*.yaml``); :data:`CATEGORY_LABELS` adds
the other two languages and the classifier's own categories. A value with no label falls back
to the English label, then to the code with spaces (never an error on a page); the tests
require a label in all three languages for every member of every vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum
from typing import Any

from ctatlas.label_tables import (  # the tables, re-exported
    CATEGORY_LABELS,
    CELL_WORDS,
    COLUMN_VOCABS,
    ENUM_VOCABS,
    EXTRA_VOCABS,
    FIELDS,
    JURISDICTION_NAMES,
    LABEL_COLUMNS,
    VOCABS,
    L,
)

__all__ = [
    "CATEGORY_LABELS",
    "COLUMN_VOCABS",
    "ENUM_VOCABS",
    "JURISDICTION_NAMES",
    "LANGS",
    "LANG_NAMES",
    "LOCAL_LANG",
    "VOCABS",
    "category_label",
    "cell_label",
    "extra_label",
    "field_label",
    "jurisdiction_name",
    "label",
    "lang_of",
    "script_lang",
]

LANGS = ("en", "ja", "ko")
#: Each language's name in itself (the language switch).
LANG_NAMES = {"en": "English", "ja": "日本語", "ko": "한국어"}
#: The language (BCP 47) of a jurisdiction's local names, for ``lang`` attributes.
LOCAL_LANG = {
    "JP": "ja",
    "KR": "ko",
    "CN": "zh-Hans",
    "TW": "zh-Hant",
    "IN": "hi",
    "IR": "fa",
    "SA": "ar",
    "AE": "ar",
    "BH": "ar",
    "MY": "ms",
}
_IDX = {lang: i for i, lang in enumerate(LANGS)}


#: A status cell of a conditional and time-limited approval: "authorized (conditional until
#: 2031-07)".
_CONDITIONAL_UNTIL = re.compile(r"^(?P<code>\w+) \(conditional until (?P<day>[^)]+)\)$")
_UNTIL: L = ("conditional until %s", "%sまでの条件付き", "%s까지 조건부")
#: The programs' completeness table (the report's Pipeline chapter): "complete as of D".
_COMPLETE_AS_OF = re.compile(r"^complete as of (?P<day>\d{4}-\d{2}-\d{2})$")
_COMPLETE: L = ("complete as of %s", "%s 時点で網羅", "%s 기준 완전")
#: Columns listing names per jurisdiction, "JP: TEMCELL HS Inj.; US: RYONCIL": codes named.
_PER_JURISDICTION_COLUMNS = frozenset({"products"})
_CODE_PREFIX = re.compile(r"(?:^|(?<=; ))(?P<code>[A-Z]{2}): ")


def _pick(entry: L, lang: str) -> str:
    return entry[_IDX.get(lang, 0)] or entry[0]


def _plain(code: Any) -> str:
    return str(code).replace("_", " ")


def _code(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def label(vocabulary: str, value: Any, lang: str = "en") -> str:
    """The label of ``value`` (a code or an enum member) in ``vocabulary``, in ``lang``;
    ``None`` is "unknown"; an unlabelled code is shown with spaces for underscores."""
    if value is None:
        return _pick(VOCABS["yes_no"]["unknown"], lang)
    code = _code(value)
    entry = VOCABS.get(vocabulary, {}).get(code)
    return _pick(entry, lang) if entry else _plain(code)


def field_label(name: str, lang: str = "en") -> str:
    """The label of an attribute, filter or column name."""
    entry = FIELDS.get(name)
    return _pick(entry, lang) if entry else _plain(name).capitalize()


def jurisdiction_name(code: str, lang: str = "en") -> str:
    """The jurisdiction's name in ``lang`` (the code itself when unknown)."""
    entry = JURISDICTION_NAMES.get(code)
    return _pick(entry, lang) if entry else code


def lang_of(jurisdiction: str | None) -> str | None:
    """The BCP 47 language of ``jurisdiction``'s local names (``None``: not known)."""
    return LOCAL_LANG.get(jurisdiction or "")


_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def script_lang(text: str | None) -> str | None:
    """The language a name is written in, when its script says so (Hangul: ko; kana: ja;
    Chinese characters alone: zh), for ``lang`` attributes on names of unknown origin."""
    if not text:
        return None
    if _HANGUL.search(text):
        return "ko"
    if _KANA.search(text):
        return "ja"
    if _HAN.search(text):
        return "zh"
    return None


def category_label(
    jurisdiction: str,
    category: str | None,
    lang: str = "en",
    document: Mapping[str, Any] | None = None,
) -> str:
    """A legal category's label in ``lang``. ``document``: the jurisdiction's data (its
    ``categories``), whose ``label`` and ``local_label`` win for English and for the
    jurisdiction's own language."""
    if category is None:
        return label("yes_no", None, lang)
    item = None
    if document is not None:
        item = next((c for c in document.get("categories", []) if c.get("id") == category), None)
    if item is not None:
        if lang == "en" and item.get("label"):
            return str(item["label"])
        if item.get("local_label") and lang_of(jurisdiction) == lang:
            return str(item["local_label"])
    entry = CATEGORY_LABELS.get((jurisdiction, category))
    if entry:
        return _pick(entry, lang)
    if item is not None and item.get("label"):
        return str(item["label"])
    return _plain(category)


def cell_label(column: str, value: Any, lang: str = "en") -> Any:
    """An analysis table cell as people read it: codes of :data:`COLUMN_VOCABS` columns become
    labels (a comma-separated list of codes, each); anything else is returned unchanged."""
    if not isinstance(value, str) or not value:
        return value
    if value in CELL_WORDS:
        return _pick(CELL_WORDS[value], lang)
    complete = _COMPLETE_AS_OF.match(value) if column == "completeness" else None
    if complete is not None:
        return _pick(_COMPLETE, lang) % complete["day"]
    if column in LABEL_COLUMNS:
        return _relabel(LABEL_COLUMNS[column], value, lang)
    if column in _PER_JURISDICTION_COLUMNS:
        return _CODE_PREFIX.sub(lambda m: f"{jurisdiction_name(m['code'], lang)}: ", value)
    vocabulary = COLUMN_VOCABS.get(column)
    if vocabulary is None:
        return value
    until = _CONDITIONAL_UNTIL.match(value) if vocabulary == "status" else None
    if until is not None:
        return f"{label('status', until['code'], lang)} ({_pick(_UNTIL, lang) % until['day']})"
    parts = [p.strip() for p in value.split(",")]
    if vocabulary == "jurisdiction":
        return ", ".join(jurisdiction_name(p, lang) for p in parts)
    return ", ".join(label(vocabulary, p, lang) for p in parts)


def _relabel(vocabulary: str, english: str, lang: str) -> str:
    """A vocabulary's English label (or "Unknown") in ``lang`` (unchanged when unknown)."""
    for entry in (*VOCABS.get(vocabulary, {}).values(), VOCABS["yes_no"]["unknown"]):
        if entry[0] == english:
            return _pick(entry, lang)
    return english


def extra_label(key: str, value: Any, lang: str = "en") -> str:
    """A classifier extra's value (JP product class, ASRM risk class, KR research risk)."""
    return label(EXTRA_VOCABS.get(key, key), value, lang)
