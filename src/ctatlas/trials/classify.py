"""Is a trial's investigational product living cells? The engine that applies the rules.

The rule tables (patterns, literal stems) are in :mod:`ctatlas.trials.rules`; this module
applies them. What the atlas knows (the names and codes of its cell therapies) comes in as a
:class:`~ctatlas.trials.atlas_terms.CellTerms`, built once per atlas.

Every call returns the label and the evidence that decided it: which field, which words, which
rule. The rules were written after the labelled set in ``tests/fixtures/trials`` was frozen.

Labels: ``cell_therapy`` (an investigational product is living cells), ``hsct_procedure`` (a
standard haematopoietic transplant whose regimen or conduct is studied),
``acellular_cell_derived`` (exosomes, secretome, conditioned medium, lysates, PRP) and
``not_cell``.

How it decides, in order:

1. Text is gathered per field: each intervention (name, other names, description), the title,
   the arm descriptions, the summary. Disease names that contain "cell" ("NK-cell leukaemia",
   "small cell lung cancer", "sickle cell"…) are masked first.
2. A cell-product mention ("CAR-T cells", "mesenchymal stem cells", "…-leucel", "NK cells",
   "SVF"…) counts only when it is not the population or the context ("patients treated with
   CAR-T", "after stem cell transplant", "bridging before CAR-T", "cytokine release syndrome
   after…") and not an in vivo CAR (a vector or LNP that makes CAR cells inside the body).
3. A mention in an intervention or the title decides; one in the summary or an arm decides
   when no intervention is an ordinary drug/device/behaviour or when it names the
   intervention. A name or code of one of the atlas's cell therapies in an intervention or the
   title is such a mention too ("EN001", "CS20AT04"): the atlas says what it is.
4. Without a living-cell product: a transplant that is itself the studied intervention ->
   ``hsct_procedure``; an exosome/secretome/PRP product -> ``acellular_cell_derived``.

Work is linear in the record's size and bounded per field: each field's text is examined up
to :data:`MAX_FIELD_CHARS` (four times the longest brief summary ClinicalTrials.gov accepts;
the rest of a longer field is not read), and every check around a mention looks at most
:data:`SENTENCE_REACH` characters to each side of it (a "sentence" ends at a full stop or
there), so a summary without full stops costs no more than one with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from . import prefilter
from .atlas_terms import CellTerms, Term
from .record import Trial
from .rules import (
    ACELL_ANCHORS,
    ACELL_SOURCE_AFTER,
    ACELL_SOURCE_BEFORE,
    ACELLULAR,
    ANCHORS,
    ASSESSMENT_STUDY,
    BRIDGING,
    CELL_THERAPY_NAMED,
    CODE,
    DRUGLIKE_TYPES,
    EFFECT_BEFORE,
    EX_VIVO,
    FAMILY_ANCHORS,
    FAMILY_ORDER,
    FAMILY_PATTERNS,
    FAMILY_RE,
    FOLLOW_UP,
    GENERIC_AFTER_AGENT,
    GENERIC_FAMILIES,
    GIVEN_AFTER,
    HSCT,
    HSCT_ANCHORS,
    HSCT_COMPLICATION,
    HSCT_REGIMEN,
    HSCT_STUDY,
    IN_VIVO_CAR,
    INN_CEL,
    INTERVENTION_CELLS,
    LAB_CONTEXT,
    LD_ANCHORS,
    LYMPHODEPLETION,
    MASK,
    MASK_ANCHORS,
    MASK_REACH,
    NEG_AFTER,
    NEG_BEFORE,
    NO_INTERVENTION,
    NOT_INN,
    ORIGIN_ALLO,
    ORIGIN_AUTO,
    OTHER_AGENT,
    PRODUCT_CONTEXT,
    ROUTINE_WORDS,
    SEQUENCE_BEFORE,
    SETTING_STUDY,
    STANDARD_CARE,
    STEM_FAMILIES,
    STUDY_PURPOSE,
    VIVO_ANCHORS,
    WINDOW,
)

__all__ = ["MAX_FIELD_CHARS", "Classification", "apply", "classify"]

#: The most text examined per field (ClinicalTrials.gov caps a brief summary at 5,000).
MAX_FIELD_CHARS = 20_000
#: The most text a mention's "sentence" reaches to each side of it.
SENTENCE_REACH = 300


@dataclass
class Classification:
    label: str = "not_cell"
    cell_class: str | None = None
    cell_family: str | None = None
    stem_type: str | None = None
    origin: str | None = None
    evidence: list[dict[str, str]] = field(default_factory=list)


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
# between two mentions that are one name: "chimeric antigen receptor T-cell therapy"
_ADJACENT_GAP = re.compile(r"^[\s-]{0,2}$")


def _acellular_source(masked: str, start: int, end: int) -> bool:
    """Whether the mention at ``start:end`` names the source of an acellular product
    ("MSC-derived exosomes", "secretome of mesenchymal stem cells")."""
    return bool(
        ACELL_SOURCE_AFTER.search(masked[end : end + 80])
        or ACELL_SOURCE_BEFORE.search(masked[max(0, start - 80) : start])
    )


def _family_of(text: str) -> str:
    for fam in FAMILY_ORDER:
        if FAMILY_RE[fam].search(text):
            return fam
    return "other"


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
_ANY_PRODUCT = ANCHORS | ACELL_ANCHORS  # a record without these is not cell-derived


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
    """Every occurrence of every stem in ``low``, in order of its end."""
    return [(end - n, end + 1, stem) for end, (n, stem) in _AC.iter(low)]


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


def _bounded(low: str, hits: list[Hit], stems: frozenset[str]) -> bool:
    """Whether a stem of ``stems`` occurs as a whole [0-9a-z] token."""
    n = len(low)
    for s, e, stem in hits:
        if (
            stem in stems
            and (s == 0 or not _isalnum(low[s - 1]))
            and (e == n or not _isalnum(low[e]))
        ):
            return True
    return False


def _isalnum(ch: str) -> bool:
    return "0" <= ch <= "9" or "a" <= ch <= "z"


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
        out.append(
            (
                low_all[off:end],
                [(s - off, e - off, stem) for s, e, stem in hits_all if s >= off and e <= end],
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
    out = []
    for fname, text in fields:
        if fname.startswith("interventions") or fname == "title":
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


def classify(
    trial: Trial, known_products: bool = True, terms: CellTerms | None = None
) -> Classification:
    """Label one trial; the evidence says which field, which words and which rule.

    ``terms``: the atlas's cell-therapy names and codes (:func:`~ctatlas.trials.atlas_terms.
    cell_terms`, built once per atlas); a trial naming one in an intervention or its title
    names a cell product. Without them (or with ``known_products=False``) the text rules
    decide alone.
    """
    known_family: str | None = None
    fields = _fields(trial)
    alltext = " ".join(t for _, t in fields)
    low_all = alltext.lower()
    hits_all = _scan(low_all)
    present_all = {h[2] for h in hits_all}
    atlas = _atlas_mentions(terms if known_products else None, fields)
    has_known = bool(atlas)
    if not has_known and present_all.isdisjoint(_ANY_PRODUCT):
        return Classification()
    field_hits = _field_hits(fields, alltext, low_all, hits_all)
    windows = _masked_windows(fields, field_hits)
    if not has_known and prefilter.active() and not any(
        _may_mention(masked, present) for _, wins in windows for _, _, present, masked in wins
    ):
        # no window can hold a cell-product mention (a stem inside another word: "system",
        # "barcelona"): the loop over mentions below would find none. Only it is skipped;
        # everything after it runs as ever, so no rule is copied here to drift from the rules
        windows = []

    evidence: list[dict[str, str]] = []
    positives: list[tuple[str, str, str]] = []  # (field, snippet, matched text)
    negated: list[tuple[str, str]] = []
    in_vivo: list[tuple[str, str]] = []
    iv_names = [
        (iv.get("name") or "").strip().lower()
        for iv in trial.interventions
        if len((iv.get("name") or "").strip()) >= 3
    ]
    # a sentence names an intervention by its whole name or by its first word when that word
    # is distinctive ("ThisCART7" for "ThisCART7 cells")
    iv_keys = iv_names + [
        w for w in (n.split()[0] for n in iv_names if " " in n) if len(w) >= 4 and any(
            ch.isdigit() for ch in w)
    ]
    druglike_only = bool(trial.interventions) and all(
        (iv.get("type") or "").upper() in DRUGLIKE_TYPES for iv in trial.interventions
    )
    observational = (trial.study_type or "").startswith("observ")
    has_cell_intervention = False
    title_positive = False
    title_first: int | None = None  # where the title's first cell mention starts
    negated_ivs: set[str] = set()  # interventions whose cell mention is the population
    title_silent: bool | None = None  # the title names no cell therapy (asked when needed)
    title_setting: list[tuple[str, str]] = []  # title mentions that are the population/setting
    laboratory: list[tuple[str, str]] = []  # title mentions of cells studied in the laboratory

    for fname, field_windows in windows:
        for wa, text, present, masked in field_windows:
            for start, end, neg in _mentions(masked, present):
                if fname == "title" and title_first is None:
                    title_first = wa + start
                snippet = _snippet(text, start, end)
                matched = text[start:end]
                # in vivo CAR: judge on the sentence around the mention (bounded: see above)
                floor = max(0, start - SENTENCE_REACH)
                sent_a = max(masked.rfind(".", floor, start), masked.rfind("|", floor, start))
                sent_a = sent_a + 1 if sent_a != -1 else floor
                ceiling = min(len(masked), end + SENTENCE_REACH)
                sent_b = masked.find(".", end, ceiling)
                sentence = masked[sent_a : sent_b if sent_b != -1 else ceiling]
                if IN_VIVO_CAR.search(sentence) and not EX_VIVO.search(sentence):
                    in_vivo.append((fname, snippet))
                    continue
                if neg:
                    negated.append((fname, snippet))
                    if fname.startswith("interventions"):
                        negated_ivs.add(fname)
                    if fname == "title":
                        title_setting.append((fname, snippet))
                    continue
                if _acellular_source(masked, start, end):
                    # "exosomes derived from MSCs": the cells are the source, not the product
                    negated.append((fname, snippet))
                    continue
                if fname.startswith("interventions"):
                    has_cell_intervention = True
                    positives.append((fname, snippet, matched))
                elif fname == "title":
                    near = masked[max(0, start - 60) : end + 60]
                    if _family_of(matched) == "other" and not PRODUCT_CONTEXT.search(near):
                        continue  # "cardiomyocyte energy metabolism": biology, not a product
                    if not has_cell_intervention and (
                        LAB_CONTEXT.search(sentence)
                        or (observational and not PRODUCT_CONTEXT.search(near))
                    ):
                        # "isolation of MSC-like cells from discs", an observational study of
                        # "MSCs and osteoarthritis": cells studied, none given
                        laboratory.append((fname, snippet))
                        continue
                    if LYMPHODEPLETION.search(matched):
                        continue  # the regimen studied ("optimizing lymphodepletion"), not cells
                    title_positive = True
                    positives.append((fname, snippet, matched))
                else:
                    sentence_low = sentence.lower()
                    names_it = any(n and n in sentence_low for n in iv_keys)
                    if not names_it and title_silent is None:
                        title_silent = _title_silent(fields, atlas)  # once per record
                    if not names_it and title_silent and not STUDY_PURPOSE.search(sentence):
                        # the title names no cell therapy at all: a summary's mention that
                        # names no intervention is background ("patients scheduled to receive
                        # CAR T-cell therapy" in an imaging study)
                        continue
                    if _family_of(matched) in GENERIC_FAMILIES and not PRODUCT_CONTEXT.search(
                        masked[max(0, start - 60) : end + 60]
                    ):
                        continue
                    if not druglike_only or names_it:
                        positives.append((fname, snippet, matched))

    # an intervention named "<a few words> cells" is a cell product
    if not has_cell_intervention:
        for i, iv in enumerate(trial.interventions):
            name = (iv.get("name") or "").strip()
            if f"interventions[{i}]" in negated_ivs:
                continue  # "sampling mesenchymal stem cells": cells taken, not given
            if INTERVENTION_CELLS.match(name) and _masked(name) == name:
                positives.append((f"interventions[{i}]", name, name))
                has_cell_intervention = True
                break

    # The title names the cell therapy only as the setting ("anakinra to prevent CAR-T
    # neurotoxicity", "radiotherapy before CAR T-cell infusion") and never as the product: the
    # cell products among the interventions and in the summary are the background of a study
    # of something else. A follow-up of treated patients keeps the product as its object.
    title_text = next((t for f, t in fields if f == "title"), "")
    named = CELL_THERAPY_NAMED.search(title_text) if not title_setting else None
    if named:  # masked as a population ("CAR-T cell mediated neurotoxicity")
        title_setting = [("title", _snippet(title_text, named.start(), named.end()))]
    setting_only = (
        bool(title_setting)
        and not title_positive
        and bool(SETTING_STUDY.search(title_text))
        and not FOLLOW_UP.search(title_text)
    )
    # The record calls the cell therapy standard of care, commercial or approved: with no
    # positive title mention, the study is of what is given around it.
    if (
        not title_positive
        and _may_search(STANDARD_CARE, alltext, low_all)
        and STANDARD_CARE.search(alltext)
    ):
        setting_only = True
        if not title_setting:
            title_setting = [("record", _snippet(alltext, *STANDARD_CARE.search(alltext).span()))]
    # ... but only where something else is studied: an intervention that is not the cell
    # product, or an assessment of its recipients (cognition, costs, samples, monitoring)
    assessment = bool(title_setting) and not title_positive and bool(
        ASSESSMENT_STUDY.search(title_text)
    )
    setting_only = (setting_only and any(
        not any(p[0] == f"interventions[{i}]" for p in positives)
        for i in range(len(trial.interventions))
    )) or (assessment and not FOLLOW_UP.search(title_text))
    if (
        not setting_only
        and title_positive
        and not has_cell_intervention
        and trial.interventions
        and title_first is not None
        and OTHER_AGENT.search(title_text[:title_first])
        and GENERIC_AFTER_AGENT.search(title_text[:title_first])
        and not SEQUENCE_BEFORE.search(title_text[:title_first])
    ):
        # no intervention gives cells, and the title names what is given around the cell
        # therapy before it ("radiotherapy priming for CAR-T")
        setting_only = True
        title_setting = [("title", _snippet(title_text, 0, min(len(title_text), 60)))]
    if not setting_only and _given_with_approved(
        trial, atlas, positives, title_text, bool(title_setting) and not title_positive
    ):
        # "NKTR-255 in combination with CAR-T", "dasatinib and quercetin with CAR-T": the cells
        # given are only authorized products, and the title studies another intervention
        setting_only = True
        title_setting = [("title", _snippet(title_text, 0, min(len(title_text), 60)))]
    if (
        not setting_only
        and title_setting
        and not title_positive
        and not has_cell_intervention
        and not laboratory
        and not SETTING_STUDY.search(title_text)
        and not LAB_CONTEXT.search(title_text)
        and (
            FOLLOW_UP.search(title_text)
            or all(NO_INTERVENTION.match(iv.get("name") or "") for iv in trial.interventions)
        )
    ):
        # "long-term follow-up of participants who received azer-cel", an observational study
        # of "people treated with CD19-directed CAR T cells" that gives nothing itself: the
        # cell product the title names is what the study follows
        fname, snip = title_setting[0]
        positives.insert(0, (fname, snip, snip))
        title_positive = True
    if (
        not setting_only
        and not has_cell_intervention
        and trial.interventions
        and not FOLLOW_UP.search(title_text)
        and not any(f.startswith("interventions") for f, _, _, _ in atlas)
    ):
        # The title names an authorized product (axi-cel, brexu-cel) but the interventions,
        # which the registry lists, give something else (dasatinib, questionnaires): the
        # product is the standard care around which the study gives its own intervention
        in_title = [t for f, _, _, t in atlas if f == "title"]
        if in_title and all(t.authorized for t in in_title):
            setting_only = True
            title_setting = title_setting or [
                ("title", _snippet(title_text, 0, min(len(title_text), 60)))
            ]
    if setting_only:
        positives = []
        has_cell_intervention = False
        has_known = False
    elif not has_cell_intervention and not title_positive and (
        laboratory
        or (HSCT.search(title_text) and HSCT_REGIMEN.search(title_text))
        or (title_setting and trial.interventions and not FOLLOW_UP.search(title_text))
    ):
        # A laboratory study, a study of a transplant's regimen ("BFC vs BuCy conditioning for
        # allo-PBSCT"), or a title that names the cell therapy only as what came before
        # ("pembrolizumab after anti-BCMA CAR-T") with no intervention giving cells: cells
        # named in the summary are background
        positives = [p for p in positives if p[0].startswith("interventions")]

    # the atlas's cell therapies (names and codes) count as an intervention mention
    if has_known and not has_cell_intervention:
        fname, snip, words, term = atlas[0]
        positives.insert(0, (fname, snip, words))
        known_family = term.cell_family or "other"
        has_cell_intervention = True
    head = " ".join(t for f, t in fields if f == "title" or f.startswith("interventions"))
    record_in_vivo = not VIVO_ANCHORS.isdisjoint(present_all) and (
        bool(IN_VIVO_CAR.search(head))
        or (bool(IN_VIVO_CAR.search(alltext)) and not EX_VIVO.search(alltext))
    )
    # lymphodepletion (fludarabine + cyclophosphamide) given with a coded product
    if not has_cell_intervention and not positives and not record_in_vivo and not setting_only:
        names = " ".join(iv_names)
        coded = [n for n in iv_names if CODE.search(n)]
        ld = (
            LYMPHODEPLETION.search(alltext) if not LD_ANCHORS.isdisjoint(present_all) else None
        )
        if coded and (("fludarabine" in names and "cyclophosphamide" in names) or ld):
            text = ld.group(0) if ld else "fludarabine + cyclophosphamide"
            positives.append(("interventions", f"{coded[0]} with {text}", "lymphodepletion"))
            has_cell_intervention = True

    # a whole-record in vivo CAR statement overrides summary-level and title CAR mentions
    strong = has_cell_intervention or title_positive
    if record_in_vivo and not has_cell_intervention:
        positives = []
        strong = False
    elif record_in_vivo:
        positives = [p for p in positives if p[0].startswith("interventions")]
    if in_vivo and not positives:
        for fname, snip in in_vivo[:2]:
            evidence.append({"field": fname, "text": snip, "rule": "negative.in_vivo_car"})

    acellular = [
        (fname, _snippet(text, m.start(), m.end()))
        for fname, text in fields
        if (fname.startswith("interventions") or fname == "title")
        and _any(text.lower(), ACELL_ANCHORS)
        for m in [ACELLULAR.search(text)]
        if m
    ]
    acellular_given = any(f.startswith("interventions") for f, _ in acellular)
    if acellular and not has_cell_intervention and (not title_positive or acellular_given):
        # "MSC-derived exosomes": the cell words describe the source, not the product; and
        # when the interventions give only an acellular product, a title naming the cells
        # ("hypoxic conditioned MSCs and conditioned medium") names its source
        positives = []
        strong = False

    if positives and (strong or len(positives) >= 1):
        # the interventions name the product most precisely; a summary may compare it with others
        decisive = [p for p in positives if p[0].startswith("interventions")] or positives
        fam_text = " ".join(p[2] for p in decisive)
        family = known_family or _family_of(fam_text)
        if family in GENERIC_FAMILIES or family == "other":
            # a generic mention ("cells suspension"): let the rest of the record be specific
            # the summary only for a wholly generic mention ("MT027 cells suspension"): beside a
            # T-cell, NK or dendritic product a summary may compare it with others ("… without
            # the side effects seen in CAR-T trials")
            # the title and interventions first: a summary may name another family only to
            # compare ("unlike CAR T cell therapy")
            context = " ".join(
                _masked(t) for f, t in fields if f.startswith(("title", "interventions"))
            )
            better = _family_of(fam_text + " " + context)
            if better == "other" and family == "other" and trial.summary:
                better = _family_of(fam_text + " " + context + " " + _masked(_cut(trial.summary)))
            if better != "other" and FAMILY_ORDER.index(better) < FAMILY_ORDER.index(family):
                family = better
        # prefer the most specific family seen in the decisive fields
        origin = _origin(trial, positives)
        origin_field = "record"
        if origin == "unknown":
            # the record does not say; a therapy of the atlas named among the interventions
            # does (never one named only in the title: it may be a prior therapy)
            named = {(f, t.origin) for f, _, _, t in atlas if f.startswith("interventions")}
            origins = {o for _, o in named}
            if len(origins) == 1 and None not in origins:
                origin = origins.pop()
                origin_field = min(f for f, _ in named)
        seen: set[str] = set()
        for fname, snip, _ in positives[:4]:
            if snip in seen:
                continue
            seen.add(snip)
            if known_family and fname == positives[0][0]:  # the atlas says what the name is
                rule = f"cell.known_product.{known_family}"
            else:
                rule = f"cell.{_family_of(snip)}"
            evidence.append({"field": fname, "text": snip, "rule": rule})
        if origin != "unknown":
            evidence.append({"field": origin_field, "text": origin, "rule": f"origin.{origin}"})
        stem_type = STEM_FAMILIES.get(family)
        if family == "keratinocyte_or_epithelial" and re.search(r"limbal|stem", fam_text, re.I):
            stem_type = "tissue_stem"
        return Classification(
            label="cell_therapy",
            cell_class="stem" if stem_type else "somatic",
            cell_family=family,
            stem_type=stem_type or "not_applicable",
            origin=origin,
            evidence=evidence,
        )

    # no living-cell product
    if acellular:
        fname, snip = acellular[0]
        return Classification(
            label="acellular_cell_derived",
            evidence=[{"field": fname, "text": snip, "rule": "acellular.cell_derived"}],
        )
    hsct = _hsct(trial, fields) if not HSCT_ANCHORS.isdisjoint(present_all) else None
    if hsct:
        return Classification(label="hsct_procedure", evidence=[hsct])
    for fname, snip in laboratory[:1]:
        evidence.append({"field": fname, "text": snip, "rule": "negative.laboratory"})
    if setting_only:
        for fname, snip in title_setting[:1]:
            evidence.append({"field": fname, "text": snip, "rule": "negative.setting"})
    for fname, snip in negated[:2]:
        evidence.append({"field": fname, "text": snip, "rule": "negative.context"})
    return Classification(evidence=evidence)


def _title_silent(fields: list[tuple[str, str]], atlas: list[tuple[str, str, str, Term]]) -> bool:
    """Whether the title names no cell therapy at all, not even as the setting."""
    if any(f == "title" for f, _, _, _ in atlas):
        return False
    title = next((t for f, t in fields if f == "title"), "")
    if FOLLOW_UP.search(title):
        return False  # "long-term follow-up of subjects treated with bb2121"
    low = title.lower()
    hits = _scan(low)
    if not any(h[2] in ANCHORS for h in hits):
        return True
    return not _mentions(_masked(title, hits), {h[2] for h in hits}) and not (
        CELL_THERAPY_NAMED.search(title)
    )


_WORD = re.compile(r"[^\W\d_]{4,}")


def _given_with_approved(
    trial: Trial,
    atlas: list[tuple[str, str, str, Term]],
    positives: list[tuple[str, str, str]],
    title: str,
    title_is_setting: bool,
) -> bool:
    """Whether the only cells the record gives are authorized atlas products and its title
    is about another of its interventions (named before the cell therapy, if it names one)
    or names the cell therapy only as the setting ("drug treatments after CAR T-cell
    therapy")."""
    cell_ivs = {p[0] for p in positives if p[0].startswith("interventions")}
    cell_ivs |= {f for f, _, _, _ in atlas if f.startswith("interventions")}
    if not cell_ivs or BRIDGING.search(title):
        return False
    approved = {f for f, _, _, t in atlas if f.startswith("interventions") and t.authorized}
    if not cell_ivs <= approved:
        return False
    others = [
        set(_WORD.findall((iv.get("name") or "").lower())) - ROUTINE_WORDS
        for i, iv in enumerate(trial.interventions)
        if f"interventions[{i}]" not in cell_ivs
    ]
    others = [w for w in others if w]
    if not others or FOLLOW_UP.search(title):
        return False  # nothing else is given, or the product's own follow-up
    starts = [m.start() for m in [CELL_THERAPY_NAMED.search(title)] if m]
    starts += [title.find(w) for f, _, w, _ in atlas if f == "title"]
    first = min((s for s in starts if s >= 0), default=len(title))
    head = title[:first].lower()
    if SEQUENCE_BEFORE.search(head):
        return False  # "VRd followed by cilta-cel": one regimen, the cells in it
    if title_is_setting:
        return True
    head_words = set(_WORD.findall(head))
    return any(words & head_words for words in others)


def _hsct(trial: Trial, fields: list[tuple[str, str]]) -> dict[str, str] | None:
    title = next((t for f, t in fields if f == "title"), "")
    if HSCT_COMPLICATION.search(title):
        return None
    for fname, text in fields:
        if not (fname.startswith("interventions") or fname == "title"):
            continue
        for m in HSCT.finditer(text):
            before = text[max(0, m.start() - 60) : m.start()]
            after = text[m.end() : m.end() + 40]
            population = re.search(
                r"^\W*(?:patients?|recipients?|survivors?|candidates?|setting)", after, re.I
            )
            if fname.startswith("interventions") and not population:
                return {
                    "field": fname,
                    "text": _snippet(text, m.start(), m.end()),
                    "rule": "hsct.intervention",
                }
            if fname == "title" and not population:
                negated = NEG_BEFORE.search(before)
                if (negated and HSCT_REGIMEN.search(text)) or (
                    not negated and (HSCT_REGIMEN.search(text) or HSCT_STUDY.search(text))
                ):
                    return {
                        "field": fname,
                        "text": _snippet(text, m.start(), m.end()),
                        "rule": "hsct.title",
                    }
    return None


def _origin(trial: Trial, positives: list[tuple[str, str, str]]) -> str:
    texts = [snip for _, snip, _ in positives]
    # the intervention and title texts carry the product's description
    for iv in trial.interventions:
        texts.append(_cut(" ".join([iv.get("name") or "", iv.get("description") or ""])))
    texts.append(_cut(trial.title))
    if trial.official_title:
        texts.append(_cut(trial.official_title))
    joined = " ".join(texts)
    auto = bool(ORIGIN_AUTO.search(joined))
    allo = bool(ORIGIN_ALLO.search(joined))
    if not auto and not allo and trial.summary:
        summary = _cut(trial.summary)
        auto = bool(ORIGIN_AUTO.search(summary))
        allo = bool(ORIGIN_ALLO.search(summary))
    if auto and allo:
        return "mixed"
    if auto:
        return "autologous"
    if allo:
        return "allogeneic"
    return "unknown"


def apply(trial: Trial, terms: CellTerms | None = None) -> Trial:
    """Classify (with the atlas's ``terms``, when given) and write the result onto the trial
    (returns the same object)."""
    c = classify(trial, terms=terms)
    trial.label = c.label
    trial.cell_class = c.cell_class
    trial.cell_family = c.cell_family
    trial.stem_type = c.stem_type
    trial.origin = c.origin
    trial.evidence = c.evidence
    return trial
