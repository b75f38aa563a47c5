"""Link trials to atlas products by development codes, names and reviewed aliases.

A :class:`Linker` is built once from the atlas's products and then asked, for every trial,
which products the trial names: ``Linker(product_specs(store)).link(trial) -> [slug, …]``.
It is cheap enough to run on every study of a bulk ingest (about 10-20 microseconds for a
typical registry record: one tokenisation, set look-ups, and the fuzzy pass only when a word
begins like a long name), and it is picklable, so worker processes can be given one.

What a trial is matched on: its title and its interventions' names (and their ``other_names``
when the record has them). Those are the fields the trials store keeps, so re-linking stored
trials (``ctatlas trials link``) sees what the ingest saw.

What a product is matched by (``ProductSpec = (slug, names, codes, aliases)``):

- its development codes, exactly after normalisation: "JNJ-68284528" = "JNJ 68284528" =
  "jnj68284528";
- its names (INN or common name, brand names, local names) and reviewed aliases, exactly on
  word boundaries (so "JACE" never fires inside "JACEMIN", "MACI" never inside "pharmacists",
  "TEMCELL" never in "stem cell"), and fuzzily (rapidfuzz) for long single-concept names such
  as INNs, which catches misspellings ("tisagenlecleucell"). The fuzzy pass runs only for
  names whose first four letters begin a word of the text, and compares whole words only.

Precision rules (a name that cannot tell one product from others is not used):

- descriptions are not names: a name or alias with a descriptive word in it ("HPC, Cord
  Blood", "autologous cultured chondrocytes", "HGF plasmid": :data:`GENERIC_WORDS`) or longer
  than six words is skipped; a name's parenthesised part ("… (APCEDEN)") and the parts of
  "A / B" count on their own, and a brand's dosage-form tail is dropped ("TEMCELL HS Inj."
  -> "TEMCELL HS", "STEMIRAC for Injection" -> "STEMIRAC");
- a name or alias that two products share is skipped for both;
- an alias that is one word of four letters or fewer ("CEA", "eASC") is an abbreviation with
  other meanings and is skipped; brand names and codes that short ("MACI", "JACE", "NKM",
  "RP1", "TG-C") must appear as written, upper case included, as a whole word;
- names in scripts written without spaces (Japanese, Korean, Chinese) match as substrings,
  four characters or more, and not when they are descriptions ("…세포", "…細胞").

A trial that names a product is linked to it whatever role the product plays: the studied
product, a comparator, or a prior therapy ("CAR-T after Kymriah failure"). A title or an
intervention list does not say the role reliably, and trials after or against a product belong
on its page too; so the link means "this trial names the product", and the record says in
what role. A product named only in the summary or eligibility criteria is not linked (those
are not read, nor stored).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

__all__ = [
    "Linker",
    "ProductSpec",
    "link_products",
    "product_specs",
    "relink",
]

ProductSpec = tuple[str, Sequence[str], Sequence[str], Sequence[str]]

#: words of the text (any script; "_" is not part of a word); the ASCII form is faster
_TOKEN = re.compile(r"[^\W_]+")
_ASCII_TOKEN = re.compile(r"[0-9a-z]+")
#: scripts written without spaces between words: matched as substrings
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
#: descriptions in those scripts ("cells", "derived", "stem")
_UNSPACED_GENERIC = ("세포", "유래", "줄기", "細胞", "细胞", "由来")
_CD = re.compile(r"cd\d+[a-z]?")

#: words that describe rather than name a product: a name with one of these is skipped
GENERIC_WORDS = frozenset(
    """
    and the of with in on for from to by or as at non
    human autologous autologus allogeneic allogenic allogenous xenogeneic donor
    cell cells cellular cultured culture cultivated expanded activated derived based
    stem stromal mesenchymal progenitor precursor mononuclear msc mscs hsc hscs hspc ipsc
    ips esc
    bone marrow adipose fat tissue umbilical cord blood placenta placental fetal membrane
    amniotic peripheral hpc tumour tumor lysate pulsed loaded antigen antigens
    chondrocyte chondrocytes cartilage costal keratinocyte keratinocytes fibroblast
    fibroblasts dermal skin epidermal epidermis epithelial epithelium corneal cornea limbal
    limbus endothelial oral mucosa mucosal myoblast myoblasts osteoblast osteoblasts
    hepatocyte hepatocytes islet islets neural dopaminergic cardiomyocyte cardiomyocytes
    lymphocyte lymphocytes natural killer dendritic monocyte monocytes macrophage
    regulatory treg tregs til tils car cart immune immunotherapy
    sheet sheets graft grafts autograft autografts construct bilayered living spheroid
    spheroids beads suspension scaffold matrix collagen bovine porcine murine hyaluronic
    acid applied characterized characterised induced implantation
    transplantation
    gene genetically modified transduced engineered encoding vector viral retroviral
    lentiviral plasmid hgf anti therapy therapies product products injection infusion
    """.split()
)

#: a brand's dosage-form tail ("YESCARTA Intravenous Drip Infusion", "TEMCELL HS Inj.")
_FORM_WORDS = frozenset(
    """
    inj injection injections infusion intravenous drip intramuscular subcutaneous
    intracranial intravitreal suspension gel for implantation dispersion emulsion
    """.split()
)

MAX_NAME_WORDS = 6
SHORT = 4  # names with this many letters or fewer must appear as written
FUZZY_MIN = 12  # letters a name needs to be matched fuzzily
FUZZY_HEAD = 4  # the fuzzy pass runs for names whose first letters begin a word of the text
DEFAULT_THRESHOLD = 92.0
_HEAD = itemgetter(slice(0, FUZZY_HEAD))  # a word's first letters


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _variants(name: str, brand: bool) -> list[str]:
    """The forms of a curated name that are worth matching."""
    out = [name]
    if brand:  # "TEMCELL HS Inj." -> "TEMCELL HS"; "STEMIRAC for Injection" -> "STEMIRAC"
        words = name.split()
        for i, w in enumerate(words[1:], 1):
            if not _TOKEN.search(w) or w.lower().strip(".,") in _FORM_WORDS:
                out.append(" ".join(words[:i]))
                break
    for part in list(out):  # "… (APCEDEN)": the parenthesised part and the rest
        out += re.findall(r"\(([^()]+)\)", part)
        out.append(re.sub(r"\([^()]*\)", " ", part))
    for part in list(out):  # "dorocubicel / allogeneic …"
        out += re.split(r"\s*/\s*", part)
    # a letter suffix: "sipuleucel-T" -> also "sipuleucel"; a brand's "Invossa-K" -> "Invossa"
    stem = r"([A-Za-z]{6,})" if brand else r"([a-z]{6,})"
    for part in list(out):
        m = re.fullmatch(stem + r"-[A-Za-z]", part.strip())
        if m:
            out.append(m.group(1))
    return list(dict.fromkeys(v.strip(" ,;-") for v in out if v.strip(" ,;-")))


def _descriptive(words: Sequence[str]) -> bool:
    return any(w in GENERIC_WORDS or _CD.fullmatch(w) for w in words)


def _written(name: str) -> tuple[set[str], str]:
    """(the words that can announce it, a case-sensitive whole-word pattern) of a short name
    as written ("TG-C", also written "TG C" and "TGC")."""
    chunks = _TOKEN.findall(name)
    body = r"[\s\-]?".join(re.escape(c) for c in chunks)
    gates = {max(chunks, key=len).lower(), "".join(chunks).lower()}
    return gates, _BOUNDED.format(body)


def _starts(words: Sequence[str]) -> set[str]:
    """The words of a text a name can begin with: its first word, its first words written
    together ("ktec19" for "KTE-C19"), and their letters before a digit ("ctl" for "CTL019",
    written "CTL-019")."""
    out: set[str] = set()
    acc = ""
    for w in words:
        acc += w
        out.add(acc)
    for s in list(out):
        for m in _LETTER_DIGIT.finditer(s):
            if m.start():
                out.add(s[: m.start()])
    return out


_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_BOUNDED = r"(?<![^\W_])(?:{})(?![^\W_])"


class Linker:
    """Which atlas products a trial names. Build once (``Linker(specs)``), call ``link``
    for every trial; ``link`` takes a :class:`~ctatlas.trials.record.Trial` or a dict with
    ``title`` and ``interventions`` (a ``trials list`` row or a stored row).

    The exact pass walks the text's words: from a word that can begin a name, words are
    joined while they still spell the beginning of a name, and the longest name spelt wins
    ("KeraHeal-Allo" is KeraHeal-Allo, not KeraHeal). Short names are one case-sensitive
    regular expression; the fuzzy pass runs only when a word begins like a long name.
    """

    def __init__(
        self, products: Iterable[ProductSpec], threshold: float = DEFAULT_THRESHOLD
    ) -> None:
        self.threshold = threshold
        owners: dict[tuple[str, str], set[str]] = {}  # (kind, key) -> slugs
        extras: dict[tuple[str, str], Any] = {}
        for slug, names, codes, aliases in products:
            for kind, values in (("code", codes), ("name", names), ("alias", aliases)):
                for value in values:
                    variants = [value] if kind == "code" else _variants(value, kind == "name")
                    for v in variants:
                        entry = _entry(kind, v)
                        if entry is not None:
                            key_kind, key, extra = entry
                            owners.setdefault((key_kind, key), set()).add(slug)
                            extras.setdefault((key_kind, key), extra)
        #: compact key -> slug, for names matched on the text's words
        self.keys: dict[str, str] = {}
        #: a word of a short name -> (its case-sensitive pattern, slug)
        self.short: dict[str, list[tuple[re.Pattern[str], str]]] = {}
        self.unspaced: list[tuple[str, str]] = []
        starts: set[str] = set()
        heads: dict[str, list[tuple[str, int, str]]] = {}
        for (key_kind, key), slugs in sorted(owners.items()):
            if len(slugs) != 1:
                continue  # shared by two products: tells neither apart
            slug = next(iter(slugs))
            extra = extras[(key_kind, key)]
            if key_kind == "unspaced":
                self.unspaced.append((key, slug))
            elif key_kind == "short":
                gates, pattern = extra
                for gate in gates:
                    self.short.setdefault(gate, []).append((re.compile(pattern), slug))
            else:
                words, fuzzy = extra
                self.keys[key] = slug
                starts |= _starts(words)
                if fuzzy:
                    heads.setdefault(_HEAD(words[0]), []).append((key, len(words), slug))
        self.prefixes = frozenset(k[:i] for k in self.keys for i in range(1, len(k)))
        self.starts = frozenset(s for s in starts if s in self.prefixes or s in self.keys)
        self.heads = heads
        self.head_set = frozenset(heads)
        self.short_set = frozenset(self.short)
        self.max_join = MAX_NAME_WORDS + 2  # words of the text one name may span
        self._ratio: Any = None

    # ------------------------------------------------------------------ matching

    def link(self, trial: Any) -> list[str]:
        """The slugs of the products ``trial`` names, sorted."""
        if isinstance(trial, Mapping):
            title = trial.get("title")
            interventions = trial.get("interventions") or ()
        else:
            title = trial.title
            interventions = trial.interventions
        parts = [title] if title else []
        for iv in interventions:
            name = iv.get("name")
            if name:
                parts.append(name)
            others = iv.get("other_names")
            if others:
                parts += others
        if not parts:
            return []
        text = "\n".join(parts)
        found: set[str] = set()
        self._scan(text, found)
        return sorted(found)

    __call__ = link

    def _scan(self, text: str, found: set[str]) -> None:
        low = text.lower()
        ascii_text = low.isascii()
        words = (_ASCII_TOKEN if ascii_text else _TOKEN).findall(low)
        keys = self.keys
        hits = self.starts.intersection(words)
        if hits:
            prefixes, n, max_join = self.prefixes, len(words), self.max_join
            for i, word in enumerate(words):
                if word not in hits:
                    continue
                s, j, best = word, i, None
                while True:
                    slug = keys.get(s)
                    if slug is not None:
                        best = slug
                    j += 1
                    if j >= n or j - i >= max_join or s not in prefixes:
                        break
                    s += words[j]
                if best is not None:
                    found.add(best)
        for gate in self.short_set.intersection(words):
            for pattern, slug in self.short[gate]:
                if slug not in found and pattern.search(text):
                    found.add(slug)
        if self.head_set and not self.head_set.isdisjoint(map(_HEAD, words)):
            self._fuzzy(words, found)
        if self.unspaced and not ascii_text:
            compact = "".join(words)
            for key, slug in self.unspaced:
                if key in compact:
                    found.add(slug)

    def _fuzzy(self, words: list[str], found: set[str]) -> None:
        heads = self.heads
        ratio = self._ratio
        if ratio is None:
            from rapidfuzz.fuzz import ratio

            self._ratio = ratio
        threshold, n = self.threshold, len(words)
        for i, w in enumerate(words):
            cands = heads.get(_HEAD(w))
            if cands is None:
                continue
            for key, k0, slug in cands:
                if slug in found:
                    continue
                for k in (k0, k0 + 1, k0 - 1):
                    if (
                        1 <= k
                        and i + k <= n
                        and ratio(key, "".join(words[i : i + k]), score_cutoff=threshold)
                    ):
                        found.add(slug)
                        break

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_ratio"] = None
        return state


def _entry(kind: str, value: str) -> tuple[str, str, Any] | None:
    """How a curated value is matched: ("word", compact, (words, fuzzy?)), ("short", compact,
    pattern as written), ("unspaced", compact, None), or None when it is not used."""
    words = _words(value)
    compact = "".join(words)
    if not compact:
        return None
    if _UNSPACED.search(value):
        if len(compact) < 4 or any(g in compact for g in _UNSPACED_GENERIC):
            return None
        return "unspaced", compact, None
    if kind != "code":
        if len(words) > MAX_NAME_WORDS or _descriptive(words):
            return None
        if kind == "alias" and len(compact) <= SHORT and len(words) == 1:
            return None  # "CEA", "eASC": abbreviations with other meanings
    if len(compact) <= SHORT:
        return ("short", compact, _written(value)) if len(compact) >= 2 else None
    return "word", compact, (words, kind != "code" and len(compact) >= FUZZY_MIN)


def link_products(
    trials: Iterable[Any], products: Iterable[ProductSpec], threshold: float = DEFAULT_THRESHOLD
) -> dict[str, list[str]]:
    """``{trial_id: [product slug, …]}`` for every trial that names an atlas product."""
    linker = Linker(products, threshold)
    out: dict[str, list[str]] = {}
    for trial in trials:
        slugs = linker.link(trial)
        if slugs:
            out[trial["trial_id"] if isinstance(trial, Mapping) else trial.trial_id] = slugs
    return out


def relink(
    store: Any, products: Linker | Iterable[ProductSpec], batch_size: int = 2000
) -> dict[str, int]:
    """Link every record of a trials store again (after the atlas changed), in batches: read
    ``batch_size`` records, write back only those whose links changed (links that no longer
    hold are removed). Recorded as a run of the store (so caches keyed on its state move).
    Returns ``{"records", "linked", "changed", "products"}``."""
    linker = products if isinstance(products, Linker) else Linker(products)
    run = store.start_run(["link"])
    summary = {"records": 0, "linked": 0, "changed": 0, "products": 0}
    seen: set[str] = set()
    for batch in store.iter_batches(batch_size, ["title", "interventions", "product_slugs"]):
        changes: dict[tuple[str, str], list[str]] = {}
        for row in batch:
            slugs = linker.link(row)
            if slugs:
                summary["linked"] += 1
                seen.update(slugs)
            if slugs != row["product_slugs"]:
                changes[(row["source"], row["source_id"])] = slugs
        summary["records"] += len(batch)
        summary["changed"] += len(changes)
        if changes:
            store.set_product_links(changes)
    summary["products"] = len(seen)
    store.finish_run(run, summary)
    return summary


# --------------------------------------------------------------------------- the atlas side


def product_specs(source: Any) -> list[ProductSpec]:
    """``(slug, names, codes, aliases)`` of every atlas product, from an atlas
    :class:`~ctatlas.store.Store` (cheap: one read of the product documents), a loaded
    :class:`~ctatlas.dataset.Dataset`, or an iterable of product documents / models.

    ``names`` holds the INN or common name, then every authorization's brand name and local
    (native-script) name; ``aliases`` the curated other names; ``codes`` the development codes.
    In slug order.
    """
    # every therapy, those only in development included: a trial may name just their code
    products = getattr(source, "therapies", None) or getattr(source, "products", source)
    docs = products() if callable(products) else products
    if not isinstance(docs, list):
        docs = list(docs)
    specs: list[ProductSpec] = []
    for doc in docs:
        if not isinstance(doc, Mapping):
            doc = doc.model_dump(mode="json")
        names = [doc["name"]]
        for auth in doc.get("authorizations") or ():
            names.append(auth["brand_name"])
            if auth.get("local_name"):
                names.append(auth["local_name"])
        specs.append(
            (
                doc["slug"],
                list(dict.fromkeys(names)),
                list(doc.get("codes") or ()),
                list(doc.get("aliases") or ()),
            )
        )
    return sorted(specs, key=lambda spec: spec[0])
