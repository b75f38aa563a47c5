"""The names and codes of the atlas's cell therapies, as the trial classifier reads them.

A trial that names only a development code ("EN001", "CS20AT04") says nothing about cells in
its own words; the atlas knows what the code is. :func:`cell_terms` reads, once per atlas,
every therapy whose modality is a cell one (``cell_therapy``, ``gene_modified_cell``,
``tissue_engineered``: products with authorizations and therapies only in development with
programs alike) and keeps its codes, names (INN or common name, brand and local names) and
curated aliases. A gene therapy's names and codes are never read: they are no evidence of
cells, and a name a gene therapy shares with a cell therapy is dropped.

Which names count follows the linker's precision rules (:mod:`ctatlas.trials.link`): a name
with a descriptive word ("autologous cultured chondrocytes") or longer than six words is not a
name; a one-word alias of four letters or fewer ("eASC", "SHED") is an abbreviation with other
meanings and is skipped; codes and brand names that short ("MACI", "JACE", "TG-C") count only
as written (upper case included). Everything is matched on whole words: "EN001" never inside
"GEN0012", "JACE" never inside "JACEMIN".

:class:`CellTerms` matches in one pass over a text's words (a set look-up per word; words are
joined only while they spell the beginning of a term), and carries a ``fingerprint`` of what it
holds, which is part of the classifier's rule version (:func:`rule_version`): a store labelled
before the atlas's codes changed knows to relabel.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import ahocorasick

from . import prefilter
from .link import _entry, _variants
from .rules import RULES_VERSION

__all__ = ["CELL_MODALITIES", "CellTerms", "Term", "cell_terms", "rule_version"]

#: The modalities whose names and codes are evidence of living cells.
CELL_MODALITIES = frozenset({"cell_therapy", "gene_modified_cell", "tissue_engineered"})

_ASCII_WORD = re.compile(r"[0-9a-z]+")
_WORD = re.compile(r"[^\W_]+")
#: what may stand between the words of one term: "EN 001", "KTE-X19", "ALLO_ASC"
_JOIN = re.compile(r"[\s\-_./]{0,2}")
#: every character :data:`_JOIN` allows between the words of a term
_SEPARATORS = re.compile(r"[\s\-_./]+")
#: the same, for ASCII text: a deletion table (``str.translate`` is twice as fast as ``sub``)
_ASCII_SEPARATORS = {c: None for c in range(128) if _SEPARATORS.fullmatch(chr(c))}
_ASCII_SEPARATOR_BYTES = bytes(sorted(_ASCII_SEPARATORS))
MAX_WORDS = 8


@dataclass(frozen=True)
class Term:
    """One atlas therapy a term names."""

    slug: str
    name: str
    cell_family: str | None
    origin: str | None  # autologous | allogeneic | None (the atlas's origin, when it is one)
    kind: str  # code | name | alias
    authorized: bool = False  # authorized somewhere (a product a study may give as standard)


class CellTerms:
    """The atlas's cell-therapy terms. Build once per atlas (``cell_terms(atlas)``), then ask
    :meth:`find` for every text; picklable, so ingest workers can be given one."""

    def __init__(self, entries: Iterable[tuple[str, str, Term]]) -> None:
        """``entries``: (kind, value as curated, term) triples; see :func:`cell_terms`."""
        entries = list(entries)
        #: the development codes of the atlas's cell therapies, as curated (what a registry
        #: search asks for: ``trials fetch --preset jp-kr-cell``)
        self.codes: tuple[str, ...] = tuple(
            sorted({v for k, v, t in entries if k == "code" and t.slug is not None})
        )
        owners: dict[tuple[str, str], list[tuple[Term, Any]]] = {}
        for kind, value, term in entries:
            variants = [value] if kind == "code" else _variants(value, kind == "name")
            for v in variants:
                entry = _entry(kind, v)
                if entry is None:
                    continue
                key_kind, key, extra = entry
                owners.setdefault((key_kind, key), []).append((term, extra))
        #: compact key -> term, matched on words
        self.keys: dict[str, Term] = {}
        #: compact key -> where a text may split it into words (its own word boundaries and
        #: its letter/digit changes: "EN 001", "Cellgram ED"; never "joint stem" for JointStem)
        self.splits: dict[str, frozenset[int]] = {}
        #: compact key -> case-sensitive pattern of a short name as written
        self.short: dict[str, re.Pattern[str]] = {}
        #: names in scripts written without spaces, matched as substrings
        self.unspaced: dict[str, Term] = {}
        for (key_kind, key), found in sorted(owners.items()):
            terms = {t for t, _ in found}
            slugs = {t.slug for t in terms}
            if None in slugs:  # shared with a therapy that is not cells: no evidence
                continue
            term = min(terms, key=lambda t: (t.slug, t.kind))
            if len(slugs) > 1:  # several cell therapies: cells, but no one product's facts
                term = Term("", term.name, None, None, term.kind,
                            all(t.authorized for t in terms))
            if key_kind == "unspaced":
                self.unspaced[key] = term
                continue
            self.keys[key] = term
            self.splits[key] = _splits(key, [x for _, x in found], key_kind)
            if key_kind == "short":
                self.short[key] = re.compile(found[0][1][1])
        self.prefixes = frozenset(k[:i] for k in self.keys for i in range(1, len(k)))
        self._keys_auto: Any = None  # built on first use (see :meth:`_may_hold`)
        self.firsts = frozenset(
            w for k in self.keys for w in _firsts(k) if w in self.prefixes or w in self.keys
        )
        self.fingerprint = hashlib.sha256(
            "\n".join(
                f"{k}\t{t.slug}\t{t.cell_family}\t{t.origin}\t{t.authorized}"
                for k, t in sorted({**self.keys, **self.unspaced}.items())
            ).encode()
        ).hexdigest()[:12]

    def __len__(self) -> int:
        return len(self.keys) + len(self.unspaced)

    def words(self) -> frozenset[str]:
        """Every term as a compact lower-case key ("en001", "kymriah", "tgc"; native-script
        names as written): a prefilter that lets every record naming one of them through
        must keep records where one of these appears with its words joined."""
        return frozenset(self.keys) | frozenset(self.unspaced)

    def find(self, text: str) -> list[tuple[int, int, Term]]:
        """(start, end, term) of every atlas term in ``text``, longest first where two
        overlap, in text order."""
        low = text.lower()
        if len(low) != len(text):  # a letter whose lower case is longer: no spans to trust
            low = "".join(ch.lower()[0] for ch in text)
        ascii_text = low.isascii()
        words = (
            list((_ASCII_WORD if ascii_text else _WORD).finditer(low)) if self._may_hold(low)
            else []
        )
        out: list[tuple[int, int, Term]] = []
        firsts, prefixes, keys = self.firsts, self.prefixes, self.keys
        n = len(words)
        i = 0
        while i < n:
            w = words[i].group()
            if w not in firsts:
                i += 1
                continue
            s, j, best, cuts = w, i, None, [len(w)]
            while True:
                term = keys.get(s)
                if (
                    term is not None
                    and self.splits[s].issuperset(cuts[:-1])
                    and self._as_written(s, text, words[i].start(), words[j].end())
                ):
                    best = (j, term)
                if s not in prefixes or j + 1 >= n or j + 1 - i >= MAX_WORDS:
                    break
                gap = low[words[j].end() : words[j + 1].start()]
                if not _JOIN.fullmatch(gap):
                    break
                j += 1
                s += words[j].group()
                cuts.append(len(s))
            if best is None:
                i += 1
                continue
            j, term = best
            out.append((words[i].start(), words[j].end(), term))
            i = j + 1
        if self.unspaced and not ascii_text:
            for key, term in self.unspaced.items():
                at = low.find(key)
                if at != -1:
                    out.append((at, at + len(key), term))
            out.sort(key=lambda m: (m[0], -m[1]))
        return out

    def may_hold_any(self, texts: list[str]) -> bool:
        """False when :meth:`find` finds no term in any of ``texts``: the quick test of
        :meth:`_may_hold` once over them joined (each text's compact form is a piece of the
        joined text's, so a term in one of them is in the joined one), and the names written
        without spaces looked for in it as :meth:`find` looks for them."""
        joined = " ".join(texts)
        low = joined.lower()
        if len(low) != len(joined):  # find() lowercases such a text its own way
            return True
        if self._may_hold(low):
            return True
        return bool(self.unspaced) and not low.isascii() and any(
            key in low for key in self.unspaced
        )

    def _may_hold(self, low: str) -> bool:
        """False when no term can be found in ``low``: a term found is the words ``i..j`` of
        the text joined, with only :data:`_JOIN`'s characters between them, so with every
        such character removed it is a substring of the text. One Aho-Corasick pass over that
        compact text says whether any term is one (in C, stopping at the first): almost no
        title or intervention of an ordinary study holds one, and the word loop is skipped."""
        if not prefilter.active():
            return True
        auto = self._keys_auto
        if auto is None:
            auto = ahocorasick.Automaton()
            for key in self.keys:
                auto.add_word(key, key)
            auto.make_automaton()
            self._keys_auto = auto
        if not self.keys:
            return False
        if low.isascii():  # bytes.translate deletes in C, ~2.5x faster than str.translate
            compact = low.encode("ascii").translate(None, _ASCII_SEPARATOR_BYTES).decode("ascii")
        else:
            compact = _SEPARATORS.sub("", low)
        return next(auto.iter(compact), None) is not None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_keys_auto"] = None  # rebuilt on first use in the process that unpickles
        return state

    def _as_written(self, key: str, text: str, start: int, end: int) -> bool:
        pattern = self.short.get(key)
        return pattern is None or pattern.fullmatch(text[start:end]) is not None


def _splits(key: str, extras: list[Any], key_kind: str) -> frozenset[int]:
    """The offsets in ``key`` where a text may end one word and begin the next."""
    out = {m.start() for m in _LETTER_DIGIT.finditer(key)}
    for extra in extras:
        if key_kind == "word":
            at = 0
            for w in extra[0][:-1]:
                at += len(w)
                out.add(at)
        else:  # a short name: any split its pattern allows
            out.update(range(1, len(key)))
    return frozenset(out)


_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def _firsts(key: str) -> set[str]:
    """The words a key can begin with in a text: any of its prefixes ("en" of "en001", written
    "EN 001"; "kte" of "ktex19", written "KTE-X19")."""
    return {key[:i] for i in range(1, len(key) + 1)}


def _origin(doc: Mapping[str, Any]) -> str | None:
    origin = doc.get("origin")
    return origin if origin in ("autologous", "allogeneic") else None


def cell_terms(source: Any) -> CellTerms:
    """The cell-therapy terms of an atlas: an atlas :class:`~ctatlas.store.Store`, a loaded
    :class:`~ctatlas.dataset.Dataset`, or an iterable of therapy documents / models (the
    sources :func:`ctatlas.trials.link.product_specs` takes). Every therapy is read, those
    only in development included."""
    from ctatlas.pipeline import cell_family

    therapies = getattr(source, "therapies", None) or getattr(source, "products", source)
    docs = therapies() if callable(therapies) else therapies
    entries: list[tuple[str, str, Term]] = []
    for doc in docs:
        if not isinstance(doc, Mapping):
            doc = doc.model_dump(mode="json")
        is_cell = doc.get("modality") in CELL_MODALITIES
        authorized = bool(doc.get("authorizations"))
        term = (
            Term(doc["slug"], doc["name"], cell_family(dict(doc)), _origin(doc), "name",
                 authorized)
            if is_cell
            else Term(None, doc["name"], None, None, "name")  # type: ignore[arg-type]
        )
        values = [("name", doc["name"])]
        for auth in doc.get("authorizations") or ():
            values.append(("name", auth["brand_name"]))
            if auth.get("local_name"):
                values.append(("name", auth["local_name"]))
        values += [("code", c) for c in doc.get("codes") or ()]
        values += [("alias", a) for a in doc.get("aliases") or ()]
        for kind, value in dict.fromkeys(values):
            entries.append((kind, value, Term(term.slug, term.name, term.cell_family,
                                              term.origin, kind, term.authorized)))
    return CellTerms(entries)


def rule_version(terms: CellTerms | None) -> str:
    """The classifier's rule version with these atlas terms: changes when the rules or the
    atlas's cell-therapy names and codes change (a store labelled otherwise should relabel)."""
    return f"{RULES_VERSION}+{terms.fingerprint if terms is not None else 'no-atlas'}"
