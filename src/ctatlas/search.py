"""Search that finds: whole words, prefixes, abbreviations and synonyms, CJK substrings, ranking.

Each product has a search text (kept in the store, so both backends search the same text): one
line per searchable value, ``field<TAB>value``, NFKC-normalised and case-folded. A query is
split into clauses, and a product matches when every clause matches one of its values:

* a Latin-script term of four letters or more matches a word that starts with it (``mesench``
  finds mesenchymal); a shorter one (``ALS``, ``MSC``, ``NK``) matches a whole word only, or
  stands for what it abbreviates (:data:`SYNONYMS`);
* a term with Chinese, Japanese or Korean characters matches anywhere in a value (テムセル in
  テムセルHS注);
* known abbreviations and synonyms are one clause: ``CAR T``, ``CAR-T``, ``CART`` and
  "chimeric antigen receptor"; ``GvHD`` and "graft versus host" (and its Japanese and Korean
  names); ``MSC`` and "mesenchymal stem/stromal cell"; ``ALS`` and "amyotrophic lateral
  sclerosis"...; ``tisa-cel`` is the INN that starts with ``tisa`` and ends in ``cel``; an INN
  stem (``cabtagene``, ``leucel``, ``temcel``...) matches inside a word; British and American
  spellings are one (haematopoietic, hematopoietic).

With a query and no explicit sort, results are ranked: a value equal to the whole query first
(an exact brand, local name, code or slug), then one starting with it, then by the weight of the
fields each clause matched in (names before holders before indications before cell type).

    >>> text = search_text({"slug": "kymriah-x", "name": "tisagenlecleucel", "authorizations": [
    ...     {"brand_name": "Kymriah", "indications": [{"text": "B-cell ALL"}]}]})
    >>> matches("tisa-cel", text), matches("ALL", text), matches("kym", text)
    (True, True, False)
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

__all__ = [
    "FIELD_WEIGHTS",
    "SYNONYMS",
    "matches",
    "normalise",
    "rank",
    "score",
    "search_text",
]

#: How much a clause matched in each field counts for ranking.
FIELD_WEIGHTS = {
    "brand": 10,
    "local": 10,
    "code": 9,
    "slug": 9,
    "name": 8,
    "alias": 7,
    "holder": 5,
    "developer": 5,
    "disease": 3,
    "indication": 3,
    "cell": 2,
}
#: Fields whose whole value equal to the query puts a product first.
NAME_FIELDS = frozenset({"brand", "local", "code", "slug", "name", "alias"})

#: Groups of terms people type for the same thing (written as they are typed; normalised when
#: loaded). A query naming any member finds every other.
SYNONYMS: list[tuple[str, ...]] = [
    ("car t", "car-t", "cart", "chimeric antigen receptor", "cabtagene"),
    ("car nk", "car-nk"),
    (
        "msc",
        "mscs",
        "mesenchymal stem cell",
        "mesenchymal stromal cell",
        "mesenchymal",
        "間葉系幹細胞",
        "중간엽줄기세포",
        "중간엽 줄기세포",
    ),
    (
        "gvhd",
        "graft versus host",
        "graft-versus-host",
        "移植片対宿主病",
        "이식편대숙주병",
        "이식편대숙주질환",
    ),
    (
        "als",
        "amyotrophic lateral sclerosis",
        "lou gehrig",
        "筋萎縮性側索硬化症",
        "근위축성 측삭경화증",
        "루게릭",
    ),
    ("hsc", "hscs", "hematopoietic stem", "hematopoietic progenitor"),
    ("ips", "ipsc", "ipscs", "induced pluripotent", "ips細胞", "유도만능줄기세포"),
    ("esc", "escs", "embryonic stem"),
    ("til", "tils", "tumor infiltrating lymphocyte"),
    ("nk", "natural killer"),
    ("dlbcl", "diffuse large b cell lymphoma"),
    ("all", "acute lymphoblastic leukemia"),
    ("mm", "multiple myeloma"),
    ("sma", "spinal muscular atrophy"),
    ("cli", "critical limb ischemia", "chronic limb threatening ischemia"),
    ("ami", "acute myocardial infarction"),
    ("oa", "osteoarthritis"),
    ("sci", "spinal cord injury"),
    ("svf", "stromal vascular fraction"),
]

#: INN stems of cell and gene therapies: a query equal to one matches it inside a word.
INN_STEMS = frozenset({"cabtagene", "leucel", "temcel", "strocel", "fibcel", "parvovec", "repvec"})

#: British spellings -> American, applied to words on both sides.
_SPELLINGS = (
    ("haem", "hem"),
    ("leukaem", "leukem"),
    ("anaem", "anem"),
    ("ischaem", "ischem"),
    ("oedem", "edem"),
    ("oesophag", "esophag"),
    ("tumour", "tumor"),
    ("paediatr", "pediatr"),
    ("orthopaed", "orthoped"),
)

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"[^\W_]+")
_INN_SHORT = re.compile(r"^([a-z]{3,})-?cel$")


def normalise(text: str) -> str:
    """NFKC-normalise and case-fold, so ｔｅｍｃｅｌｌ, TEMCELL and temcell compare equal."""
    return unicodedata.normalize("NFKC", text).casefold()


def _spell(word: str) -> str:
    for british, american in _SPELLINGS:
        if british in word:
            word = word.replace(british, american)
    return word


def _words(text: str) -> tuple[str, ...]:
    return tuple(_spell(w) for w in _WORD.findall(text))


# --------------------------------------------------------------------------- the search text


def search_text(doc: dict[str, Any], disease_names: dict[str, list[str]] | None = None) -> str:
    """Everything a search finds a product by, one ``field<TAB>value`` line per value: slug,
    brands and local names in every script, common name, aliases, codes, holders (in the local
    script too), developer, indications and the indicated diseases' names in every language the
    data has, cell type and tissue source. NFKC-normalised and case-folded; the store keeps it
    per product."""
    names = disease_names or {}
    lines: list[tuple[str, str | None]] = [("slug", doc["slug"]), ("name", doc["name"])]
    lines += [("alias", a) for a in doc.get("aliases", [])]
    lines += [("code", c) for c in doc.get("codes", [])]
    lines += [("developer", doc.get("developer")), ("cell", doc.get("cell_type"))]
    lines.append(("cell", doc.get("tissue_source")))
    for auth in doc["authorizations"]:
        lines += [("brand", auth["brand_name"]), ("local", auth.get("local_name"))]
        lines += [("holder", auth.get("holder")), ("holder", auth.get("holder_local"))]
        for ind in auth.get("indications", []):
            lines.append(("indication", ind["text"]))
            for disease in ind.get("disease_ids", []):
                lines += [("disease", n) for n in names.get(disease, [])]
    seen: dict[tuple[str, str], None] = {}
    for field, value in lines:
        if value:
            clean = " ".join(normalise(value).split())
            seen.setdefault((field, clean), None)
    return "\n".join(f"{field}\t{value}" for field, value in seen)


#: Between values in a field's joined text: no phrase or prefix runs across it.
_SEP = "\x00"


@dataclasses.dataclass(frozen=True)
class _Field:
    weight: int
    words: str  # " w1 w2 \x00 w1 w2 ": every value's words, spaced, values apart
    text: str  # the values' normalised text, values apart (CJK substrings)


@dataclasses.dataclass(frozen=True)
class _Parsed:
    fields: tuple[_Field, ...]  # heaviest first
    names: frozenset[str]  # the name values (an exact match ranks first)


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> _Parsed:
    by_field: dict[str, list[str]] = {}
    names: set[str] = set()
    for line in text.split("\n"):
        field, sep, value = line.partition("\t")
        if not sep:  # a store built before fields were tagged: one untagged value
            field, value = "indication", line
        by_field.setdefault(field, []).append(value)
        if field in NAME_FIELDS:
            names.add(value)
    fields = [
        _Field(
            FIELD_WEIGHTS.get(field, 1),
            " " + f" {_SEP} ".join(" ".join(_words(v)) for v in values) + " ",
            _SEP.join(values),
        )
        for field, values in by_field.items()
    ]
    fields.sort(key=lambda f: -f.weight)
    return _Parsed(tuple(fields), frozenset(names))


# --------------------------------------------------------------------------- the query


@dataclasses.dataclass(frozen=True)
class _Term:
    kind: str  # word | prefix | inn | stem | cjk
    value: str


#: A clause: alternatives, each a sequence of terms to find as consecutive words (or one CJK
#: term to find as a substring).
_Clause = tuple[tuple[_Term, ...], ...]


def _term(word: str, last: bool = True) -> _Term:
    if _CJK.search(word):
        return _Term("cjk", word)
    if word in INN_STEMS:
        return _Term("stem", word)
    if last and len(word) >= 4:
        return _Term("prefix", word)
    return _Term("word", word)


def _phrase(text: str) -> tuple[_Term, ...]:
    """A synonym as terms: one word is matched whole (an abbreviation: ``cart`` is not
    ``carticel``); the last word of several may be a prefix (stem cell -> stem cells)."""
    if _CJK.search(text):
        return (_Term("cjk", " ".join(text.split())),)
    words = _words(text)
    if len(words) == 1:
        return (_Term("stem", words[0]) if words[0] in INN_STEMS else _Term("word", words[0]),)
    return tuple(_term(w, last=i == len(words) - 1) for i, w in enumerate(words))


@functools.lru_cache(maxsize=1)
def _synonym_index() -> dict[tuple[str, ...], tuple[str, ...]]:
    index: dict[tuple[str, ...], tuple[str, ...]] = {}
    for group in SYNONYMS:
        members = tuple(normalise(m) for m in group)
        for member in members:
            if not _CJK.search(member):
                index[_words(member)] = members
    return index


@functools.lru_cache(maxsize=1024)
def _clauses(query: str) -> tuple[_Clause, ...]:
    q = normalise(query).strip()
    clauses: list[_Clause] = []
    for chunk in q.split():
        m = _INN_SHORT.match(chunk)
        if m and "-" in chunk:  # tisa-cel
            clauses.append(((_Term("inn", m.group(1)),),))
            continue
        if _CJK.search(chunk):
            group = next((g for g in _synonym_index().values() if chunk in g), None)
            alternatives = [(_Term("cjk", chunk),)]
            alternatives += [_phrase(g) for g in group or () if g != chunk]
            clauses.append(tuple(alternatives))
            continue
        words = list(_words(chunk))
        clauses += [((_term(w),),) for w in words]
    # known multi-word abbreviations and synonyms become one clause (longest first)
    merged: list[_Clause] = []
    i = 0
    plain = [c[0][0].value if len(c) == 1 and len(c[0]) == 1 else None for c in clauses]
    while i < len(clauses):
        for n in range(min(5, len(clauses) - i), 0, -1):
            key = tuple(plain[i : i + n])
            if None in key:
                continue
            group = _synonym_index().get(tuple(_spell(w) for w in key))  # type: ignore[arg-type]
            if group:
                merged.append(tuple(_phrase(g) for g in group))
                i += n
                break
        else:
            merged.append(clauses[i])
            i += 1
    return tuple(merged)


_W = f"[^ {_SEP}]"  # a character of a word


def _term_pattern(term: _Term) -> str:
    value = re.escape(term.value)
    if term.kind == "word":
        return value
    if term.kind == "prefix":
        return f"{value}{_W}*"
    if term.kind == "stem":  # an INN stem ends a word: axi|cabtagene, auto|temcel
        return f"{_W}*{value}"
    # inn (tisa-cel): a word starting tisa, and the INN's last word ending in cel
    return f"{value}(?:{_W}*cel|{_W}*(?: {_W}+)*? {_W}*cel)"


@functools.lru_cache(maxsize=4096)
def _matcher(terms: tuple[_Term, ...]) -> tuple[str, re.Pattern[str] | None]:
    """A CJK substring, or a regex over a field's spaced words (whole words, in order)."""
    if terms[0].kind == "cjk":
        return terms[0].value, None
    body = " ".join(_term_pattern(t) for t in terms)
    return "", re.compile(f"(?<= ){body}(?= )")


def _clause_weight(clause: _Clause, parsed: _Parsed) -> int:
    matchers = [_matcher(alt) for alt in clause]
    for field in parsed.fields:  # heaviest first: the first field that matches decides
        for needle, regex in matchers:
            if regex.search(field.words) if regex is not None else needle in field.text:
                return field.weight
    return 0


@functools.lru_cache(maxsize=16384)
def score(query: str, text: str) -> int:
    """How well a product's search text answers ``query`` (0: it does not match)."""
    clauses = _clauses(query)
    if not clauses:
        return 0
    parsed = _parse(text)
    total = 0
    for clause in clauses:
        weight = _clause_weight(clause, parsed)
        if not weight:
            return 0
        total += weight
    whole = " ".join(normalise(query).split())
    if whole in parsed.names:
        total += 1000
    elif any(n.startswith(whole) for n in parsed.names):
        total += 500
    return total


def matches(query: str, text: str) -> bool:
    """Whether a product with this search text answers ``query``."""
    return score(query, text) > 0


def rank(
    products: Sequence[dict[str, Any]], query: str, texts: dict[str, str]
) -> list[dict[str, Any]]:
    """``products`` (which match ``query``), best first; ties by brand name, then slug."""

    def key(doc: dict[str, Any]) -> tuple[int, str, str]:
        brand = doc["authorizations"][0]["brand_name"] if doc["authorizations"] else doc["name"]
        return (-score(query, texts.get(doc["slug"], "")), normalise(brand), doc["slug"])

    return sorted(products, key=key)


# --------------------------------------------------------------------------- one product by name


def _names(doc: dict[str, Any]) -> list[str]:
    out = [doc["slug"], doc["name"], *doc.get("aliases", []), *doc.get("codes", [])]
    for auth in doc["authorizations"]:
        out += [auth["brand_name"], auth.get("local_name") or ""]
    return [normalise(n) for n in out if n]


def find_product(
    key: str, therapies: Sequence[dict[str, Any]], texts: dict[str, str]
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The therapy ``key`` names: its slug (any case), or a name a search finds exactly —
    one product whose brand, local name, common name, alias or code is ``key``, or the only
    product a search for ``key`` finds. Returns ``(doc, [])``, or ``(None, candidates)``:
    several products share the name (candidates, best first), or none (``[]``)."""
    needle = normalise(key.strip())
    for doc in therapies:
        if normalise(doc["slug"]) == needle:
            return doc, []
    exact = [doc for doc in therapies if needle in _names(doc)]
    if len(exact) == 1:
        return exact[0], []
    if exact:
        return None, rank(exact, key, texts)
    found = [doc for doc in therapies if doc["slug"] in texts and matches(key, texts[doc["slug"]])]
    if len(found) == 1:
        return found[0], []
    return None, rank(found, key, texts)


def similar_names(key: str, therapies: Sequence[dict[str, Any]], n: int = 5) -> list[str]:
    """Slugs of the therapies whose names are most like ``key`` (for "did you mean")."""
    from rapidfuzz import fuzz, process

    choices: dict[str, str] = {}
    for doc in therapies:
        for name in _names(doc):
            choices.setdefault(name, doc["slug"])
    hits = process.extract(
        normalise(key), list(choices), scorer=fuzz.WRatio, limit=n * 4, score_cutoff=70
    )
    out: list[str] = []
    for name, _score, _index in hits:
        if choices[name] not in out:
            out.append(choices[name])
    return out[:n]


def brand_of(doc: dict[str, Any]) -> str:
    """A product's first brand name (its common name when it has no authorization)."""
    return str(doc["authorizations"][0]["brand_name"] if doc["authorizations"] else doc["name"])
