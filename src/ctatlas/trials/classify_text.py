"""Evidence building for the trial classifier: the record's fields, the stem scan, the
windows around stems, masking of disease and population phrases, and the cell-product
mentions in each field.

The engine that decides the label is :mod:`ctatlas.trials.classify`; the rule tables it and
this module apply are in :mod:`ctatlas.trials.rules`. Work here is linear in the record's size:
each field's text is examined up to :data:`MAX_FIELD_CHARS` (the rest is not read).
"""

from __future__ import annotations

import re
from typing import Any

import ahocorasick

from . import prefilter
from .atlas_terms import CellTerms, Term
from .record import Trial
from .rules import (
    ACELL_ANCHORS,
    ACELL_GLUED,
    ACELL_SOURCE_AFTER,
    ACELL_SOURCE_BEFORE,
    ANCHORS,
    EFFECT_BEFORE,
    FAMILY_ANCHORS,
    FAMILY_PATTERNS,
    FAMILY_RE,
    GIVEN_AFTER,
    GIVEN_BACK,
    HSCT,
    HSCT_ANCHORS,
    INN_CEL,
    LD_ANCHORS,
    MASK,
    MASK_ANCHORS,
    MASK_REACH,
    NEG_AFTER,
    NEG_BEFORE,
    NOT_INN,
    OWN_BEFORE,
    VIVO_ANCHORS,
    WINDOW,
)

#: The most text examined per field (ClinicalTrials.gov caps a brief summary at 5,000).
MAX_FIELD_CHARS = 20_000


def _snippet(text: str, start: int, end: int, pad: int = 40) -> str:
    a = max(0, start - pad)
    b = min(len(text), end + pad)
    return (
        ("…" if a else "") + text[a:b].replace("\n", " ").strip() + ("…" if b < len(text) else "")
    )


def _masked(text: str, hits: list[Hit] | None = None) -> str:
    """Mask disease/population phrases and transplants. ``hits``: the stems found in ``text``
    (by :func:`_scan`), when the caller already has them."""
    if hits is None:
        hits = _scan(text.lower())
    present = {h[2] for h in hits}
    if not MASK_ANCHORS.isdisjoint(present):
        # every disease/population phrase contains a mask stem ("cell", "mobili"…)
        near = [(h[0], h[1]) for h in hits if h[2] in MASK_ANCHORS]
        text = MASK.mask(text, "#", near=near, reach=MASK_REACH)
    # a haematopoietic transplant is judged by the hsct rule, never as a cell product
    if not HSCT_ANCHORS.isdisjoint(present):
        text = HSCT.mask(text, "~")
    return text


# between a mention and its abbreviation: "chimeric antigen receptor T cell (CAR-T)"
_ABBREVIATION_GAP = re.compile(r"^[\s\w-]{0,12}\($")
# a mention listed with "+" after other things given ("bridging therapy + chemotherapy + CD19
# CAR-T cells"): one of the things given, not the setting a word before the "+" names; a "+"
# glued to a marker ("α/β+ T-lymphocyte Depleted Grafts", "CD3+ T cells") is not a list's
_PLUS_BEFORE = re.compile(r"(?:^|\s)\+\s*(?:[\w-]+\s+){0,2}$")
# between two mentions that are one name: "chimeric antigen receptor T-cell therapy",
# "chimeric antigen receptor modified T cell therapy"
_ADJACENT_GAP = re.compile(
    r"^[\s-]{0,2}(?:(?:modified|engineered|transduced|redirected|expressing|armed)[\s-]{1,2})?$",
    re.I,
)


def _acellular_source(masked: str, start: int, end: int) -> bool:
    """Whether the mention at ``start:end`` names the source of an acellular product
    ("MSC-derived exosomes", "secretome of mesenchymal stem cells")."""
    return bool(
        ACELL_GLUED.match(masked[start:end].lower())
        or ACELL_SOURCE_AFTER.search(masked[end : end + 80])
        or ACELL_SOURCE_BEFORE.search(masked[max(0, start - 200) : start])
    )


def _mentions(text: str, present: frozenset[str] | set[str]) -> list[tuple[int, int, bool]]:
    """(start, end, negated) for every cell-product mention in already-masked text.

    Each family's pattern only runs when one of its literal stems is ``present`` (the anchors
    found in the text before masking, a superset of those left after it): one big alternation
    over every family is ten times slower in Python's ``re``.
    """
    low = text.lower()
    spans: set[tuple[int, int]] = set()
    for fam, rx in FAMILY_RE.items():
        if fam == "other" and spans:
            continue  # the generic words only matter where nothing specific was found
        if not _FAMILY_SETS[fam].isdisjoint(present):
            spans.update(m.span() for m in rx.finditer(text))
    if "cel " in low or "cel|" in low or low.endswith("cel") or "cel," in low or "cel)" in low:
        for m in INN_CEL.finditer(text):
            if m.group(0).lower() not in NOT_INN:
                spans.add(m.span())
    ordered = sorted(spans, key=lambda sp: (sp[0], -sp[1]))
    out = []
    last_end = -1
    for start, end in ordered:
        if end <= last_end:  # inside a longer mention already kept
            continue
        gap = text[last_end:start] if last_end >= 0 else None
        last_end = end
        if out and gap is not None and (
            _ABBREVIATION_GAP.match(gap) or (out[-1][2] and _ADJACENT_GAP.match(gap))
        ):
            # "chimeric antigen receptor T cells (CAR-T)": the abbreviation is the same mention
            out.append((start, end, out[-1][2]))
            continue
        before = text[max(0, start - 90) : start]
        after = text[end : end + 40]
        neg = bool(NEG_BEFORE.search(before) or NEG_AFTER.search(after))
        if (
            neg
            and GIVEN_AFTER.search(after)
            and EFFECT_BEFORE.search(text[max(0, start - 160) : start])
        ):
            neg = False  # "regeneration after JOINTSTEM administration": the product studied
        elif neg and _PLUS_BEFORE.search(before):
            neg = False  # "bridging therapy + fludarabine-based chemotherapy + CD19 CAR-T cells"
        elif neg and OWN_BEFORE.search(before) and GIVEN_BACK.search(text[end : end + 120]):
            neg = False  # "have their own T cells modified ... and given back": the product
        out.append((start, end, neg))
    return out


def _fields(trial: Trial) -> list[tuple[str, str]]:
    return [(name, _cut(text)) for name, text in _all_fields(trial)]


def _cut(text: str) -> str:
    """At most :data:`MAX_FIELD_CHARS` of ``text``, ended at a space when there is one."""
    if len(text) <= MAX_FIELD_CHARS:
        return text
    space = text.rfind(" ", MAX_FIELD_CHARS - 200, MAX_FIELD_CHARS)
    return text[: space if space != -1 else MAX_FIELD_CHARS]


def _all_fields(trial: Trial) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, iv in enumerate(trial.interventions):
        parts = [iv.get("name") or ""] + list(iv.get("other_names") or [])
        if iv.get("description"):
            parts.append(iv["description"])
        text = " | ".join(p for p in parts if p)
        if text:
            out.append((f"interventions[{i}]", text))
    title = trial.title
    if trial.official_title and trial.official_title != trial.title:
        title = f"{trial.title} | {trial.official_title}"
    out.append(("title", title))
    for i, a in enumerate(trial.arm_descriptions):
        out.append((f"arms[{i}]", a))
    if trial.summary:
        out.append(("summary", trial.summary))
    if trial.keywords:
        out.append(("keywords", " | ".join(trial.keywords)))
    return out


def _any(low: str, anchors: frozenset[str]) -> bool:
    return any(a in low for a in anchors)


# One Aho-Corasick automaton finds every occurrence of every literal stem (overlapping ones
# included) in a single pass; the rules below only ever ask which stems occur where. This is
# what ``any(a in low for a in anchors)`` and ``low.find(a)`` loops computed, stem by stem.
_FAMILY_SETS = {fam: frozenset(a) for fam, a in FAMILY_ANCHORS.items()}
# a record without these is not cell-derived; a lymphodepletion regimen ("two different LD
# regimens" beside a coded product, fludarabine and cyclophosphamide) prepares for cells
_ANY_PRODUCT = ANCHORS | ACELL_ANCHORS | LD_ANCHORS


def _automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    stems = ANCHORS | ACELL_ANCHORS | HSCT_ANCHORS | VIVO_ANCHORS | LD_ANCHORS | MASK_ANCHORS
    for stem in stems:
        auto.add_word(stem, (len(stem) - 1, stem))
    auto.make_automaton()
    return auto


_AC = _automaton()

Hit = tuple[int, int, str]  # (start, end, stem) in lowercased text


def _scan(low: str) -> list[Hit]:
    """Every occurrence of every stem in ``low``, in order of its end. The text is read with
    a space on each side, as a field is between others in a record: a stem written with the
    space a pattern's word boundary implies (" til", "nk ") is found at the text's edges too
    (an intervention named "TIL"); such a hit is cut to the text."""
    last = len(low)
    return [
        (max(end - n - 1, 0), min(end, last), stem)
        for end, (n, stem) in _AC.iter(f" {low} ")
    ]


def _windows(low: str, hits: list[Hit] | None = None) -> list[tuple[int, int]]:
    """Merged [start, end) windows around every anchor hit in lowercased text."""
    if hits is None:
        hits = _scan(low)
    if len(low) <= 2 * WINDOW:
        return [(0, len(low))] if any(h[2] in ANCHORS for h in hits) else []
    starts = sorted(h[0] for h in hits if h[2] in ANCHORS)
    if not starts:
        return []
    out: list[tuple[int, int]] = []
    n = len(low)
    for h in starts:
        a = max(0, h - WINDOW)
        if a:
            sp = low.rfind(" ", 0, a)
            a = sp + 1 if sp != -1 else 0
        b = min(n, h + WINDOW)
        if b < n:
            sp = low.find(" ", b)
            b = sp if sp != -1 else n
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _field_hits(
    fields: list[tuple[str, str]], alltext: str, low_all: str, hits_all: list[Hit]
) -> list[tuple[str, list[Hit]]]:
    """(lowercased text, stem hits) per field, cut from the scan of the joined text."""
    if len(low_all) != len(alltext):  # lowercasing changed a length: scan field by field
        return [(low, _scan(low)) for low in (t.lower() for _, t in fields)]
    out = []
    off = 0
    for _, text in fields:
        end = off + len(text)
        # a stem that takes in the space joining two fields (" til", "nk ") belongs to the
        # field whose words it holds, cut to it, as a scan of the field alone finds it
        out.append(
            (
                low_all[off:end],
                [
                    (max(s - off, 0), min(e, end) - off, stem)
                    for s, e, stem in hits_all
                    if s >= off - 1 and e <= end + 1 and s < end and e > off
                ],
            )
        )
        off = end + 1
    return out


def _atlas_mentions(
    terms: CellTerms | None, fields: list[tuple[str, str]]
) -> list[tuple[str, str, str, Term]]:
    """(field, snippet, words, term) of every atlas cell-therapy name or code in the
    interventions and the title, in that order; a title's mention only when it is not the
    setting ("nivolumab after idecabtagene vicleucel", "patients receiving … Kymriah")."""
    if terms is None:
        return []
    named = [(f, t) for f, t in fields if f.startswith("interventions") or f == "title"]
    if not terms.may_hold_any([t for _, t in named]):
        return []  # one quick test for them all: almost no ordinary study names a term
    out = []
    for fname, text in named:
        for start, end, term in terms.find(text):
            if fname == "title" and NEG_BEFORE.search(text[max(0, start - 90) : start]):
                continue
            out.append((fname, _snippet(text, start, end), text[start:end], term))
    return out




def _masked_windows(
    fields: list[tuple[str, str]], field_hits: list[tuple[str, list[Hit]]]
) -> list[tuple[str, list[tuple[int, str, set[str], str]]]]:
    """Per field, (window start, window text, stems in it, masked text) of every window."""
    out = []
    for (fname, full), (low, hits) in zip(fields, field_hits, strict=True):
        wins = []
        for wa, wb in _windows(low, hits):
            text = full[wa:wb]
            whits = [(s - wa, e - wa, stem) for s, e, stem in hits if s >= wa and e <= wb]
            wins.append((wa, text, {h[2] for h in whits}, _masked(text, whits)))
        out.append((fname, wins))
    return out


def _gate() -> prefilter.Gate:
    """The positional gate over every pattern :func:`_mentions` runs (built on first use)."""
    global _GATE
    if _GATE is None:
        _GATE = prefilter.Gate({**FAMILY_PATTERNS, _INN: INN_CEL.pattern})
    return _GATE


_GATE: prefilter.Gate | None = None
_INN = "-cel INN"


def _may_mention(masked: str, present: set[str]) -> bool:
    """False when :func:`_mentions` finds nothing in this masked window: no pattern it would
    run there can match (:class:`~ctatlas.trials.prefilter.Gate`: each pattern's literals
    tested where the pattern puts them, on the same lowercased text the pattern runs on).
    Only asked until one window may: the gate spares whole records, never a pattern's run
    in a record that has a mention (there it costs more than it saves)."""
    low = masked.lower()
    if len(low) != len(masked):  # the patterns run case-insensitively on the text itself
        return True
    names = [fam for fam in FAMILY_RE if not _FAMILY_SETS[fam].isdisjoint(present)]
    if "cel " in low or "cel|" in low or low.endswith("cel") or "cel," in low or "cel)" in low:
        names.append(_INN)
    return bool(_gate().live(low, names))


def _may_search(rx: Any, text: str, low: str) -> bool:
    """False when the folded pattern ``rx`` cannot match ``text`` (``low``: its lower case),
    by its own positional gate (:class:`~ctatlas.trials.prefilter.Gate`); a pattern run over
    the whole record is worth one."""
    if len(low) != len(text) or not prefilter.active():
        return True
    gate = _ONE_GATES.get(rx.pattern)
    if gate is None:
        gate = _ONE_GATES[rx.pattern] = prefilter.Gate({"": rx.pattern})
    return bool(gate.live(low, [""]))


_ONE_GATES: dict[str, prefilter.Gate] = {}
