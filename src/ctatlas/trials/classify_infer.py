"""Inference for the trial classifier: a mention's cell family, the product's origin, a
standard transplant as the studied procedure, and whether a cell therapy in the record is
only the setting of another study (the title names none, or the cells given are authorized
products around another intervention).

The engine that decides the label is :mod:`ctatlas.trials.classify`; the rule tables are in
:mod:`ctatlas.trials.rules`.
"""

from __future__ import annotations

import re

from . import fastre
from .atlas_terms import Term
from .classify_text import _cut, _masked, _mentions, _scan, _snippet
from .fastre import required_literals
from .record import Trial
from .rules import (
    ANCHORS,
    AROUND_AGENT,
    AROUND_CELLS,
    AROUND_CELLS_END,
    AROUND_PLACE,
    BRIDGING,
    CELL_THERAPY_NAMED,
    CELL_WORD,
    CODE,
    CONDITIONING_AGENT,
    DONOR_LYMPHOCYTES,
    ECONOMIC_OF,
    ENGINEERED_GRAFT,
    FAMILY_ORDER,
    FAMILY_RE,
    FOLLOW_UP,
    GRAFT_ONLY,
    HAEM_OR_IMMUNE,
    HSCT,
    HSCT_COMPLICATION,
    HSCT_REGIMEN,
    HSCT_STUDY,
    INVESTIGATED_OTHER,
    LYMPHODEPLETION,
    NAMED_PRODUCT,
    NEG_BEFORE,
    NO_TREATMENT_GIVEN,
    ORIGIN_ALLO,
    ORIGIN_AUTO,
    OTHER_AGENT,
    REGEN_CELLS,
    REGEN_TARGET,
    ROUTINE_WORDS,
    SEQUENCE_BEFORE,
)


def _family_of(text: str) -> str:
    for fam in FAMILY_ORDER:
        if FAMILY_RE[fam].search(text):
            return fam
    return "other"



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


class _Precheck:
    """A cheap first check in front of a case-insensitive pattern that runs over a whole
    summary: the strings every match holds (read from the pattern's parse:
    :func:`~ctatlas.trials.fastre.required_literals`), then, when given, a shorter pattern
    every match holds a match of. False means the pattern cannot match the text; it is exact,
    so no rule is copied here. Off with fastre's literal tests (the equivalence checks)."""

    def __init__(self, rx: re.Pattern[str], part: str | None = None) -> None:
        self.need = required_literals(rx.pattern, keep=4)
        # run on the lowercased text, only its branches whose literals the text holds
        self.part = fastre.Folded(part) if part else None

    def may(self, text: str) -> bool:
        if not fastre._LITERAL_TESTS[0]:
            return True
        low = text.lower()
        if len(low) != len(text):
            return True  # lowercasing moved the text: the pattern decides
        if not all(any(lit in low for lit in group) for group in self.need):
            return False
        return self.part is None or self.part.search(text) is not None


_AROUND = _Precheck(AROUND_CELLS, AROUND_CELLS_END)
_INVESTIGATED = _Precheck(INVESTIGATED_OTHER)


def _given_with_approved(
    trial: Trial,
    atlas: list[tuple[str, str, str, Term]],
    positives: list[tuple[str, str, str]],
    title: str,
    title_is_setting: bool,
    title_population: bool = False,
) -> bool:
    """Whether the only cells the record gives are authorized atlas products and its title
    is about another of its interventions (named before the cell therapy, if it names one)
    or names the cell therapy only as the setting ("drug treatments after CAR T-cell
    therapy"). ``title_population``: the title's cell mention is who the patients are
    ("in DLBCL receiving CAR T cell therapy"); then generic cells listed (not
    investigational) may be the standard care too, when the title names another listed
    intervention before them."""
    # a lymphodepleting regimen listed on its own ("Lymphodepleting chemotherapy:
    # Bendamustine") is part of the cell therapy, not a cell product of its own
    cell_ivs = {
        p[0] for p in positives
        if p[0].startswith("interventions") and not LYMPHODEPLETION.search(p[2])
    }
    cell_ivs |= {f for f, _, _, _ in atlas if f.startswith("interventions")}
    if not cell_ivs or BRIDGING.search(title):
        return False
    approved = {f for f, _, _, t in atlas if f.startswith("interventions") and t.authorized}
    # cells other than authorized products are listed: they are the study's own, unless the
    # title names the cell therapy only as who the patients are ("itacitinib pre-modulation in
    # DLBCL receiving CAR T cell therapy"), no listed cell product is investigational, and the
    # title names another listed intervention before the cells (checked below)
    generic = not cell_ivs <= approved
    if generic and (not title_population or _investigational_cells(trial, atlas, positives)):
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
    if generic and CELL_WORD.search(head):
        # "fludarabine and cyclophosphamide with or without rituximab before CD19 CAR T
        # cells": a lymphodepleting or bridging regimen is part of the cell therapy
        return False
    if title_is_setting and not generic:
        return True
    head_words = set(_WORD.findall(head))
    return any(words & head_words for words in others)


def _studied_around_cells(
    trial: Trial,
    atlas: list[tuple[str, str, str, Term]],
    positives: list[tuple[str, str, str]],
    title: str,
) -> tuple[str, str] | None:
    """The title's words, when it studies something given around a cell therapy it names only
    generically (rules 16.19; tuning set 6's and held-out set 5's convention: drugs, bridging
    radiotherapy and radioimmunoconjugates for the recipients of a standard CAR-T are
    ``not_cell``, also when the CAR-T is listed beside them):

    - before the cell therapy, the title names an antibody, a bispecific, a
      radioimmunoconjugate or radiotherapy and places it around the cells ("131-I Apamistamab
      Followed by CD19-Targeted CAR T-Cell Therapy", "Odronextamab ... Before and After
      Chimeric Antigen Receptor T-cell Therapy", "Addition of Nivolumab to Anti-CD-19 CAR-T
      Cells", "Adaptive Bridging RT ... (Pre-CAR T)");
    - or it opens with the costs or resource use of the cell therapy ("Real-world Resource Use
      and Costs of CAR-T Therapies").

    Never where the cell therapy is a product of its own (an atlas name or code, "cilta-cel",
    a development code among the listed cells): "Talquetamab Bridging Therapy Followed by
    Ciltacabtagene Autoleucel" studies the product."""
    named = CELL_THERAPY_NAMED.search(title)
    if not named or atlas or NAMED_PRODUCT.search(title):
        return None
    listed = [
        (trial.interventions[int(f[len("interventions["):-1])].get("name") or "")
        for f, _, _ in positives if f.startswith("interventions[")
    ]
    if any(CODE.search(n) and not _NOT_A_CODE.match(n.strip()) for n in listed):
        return None
    head = title[: named.start()]
    if ECONOMIC_OF.search(head) or (AROUND_AGENT.search(head) and AROUND_PLACE.search(head)):
        return ("title", _snippet(title, 0, min(len(title), named.end())))
    return None


def _names_other_intervention(
    trial: Trial, positives: list[tuple[str, str, str]], head: str
) -> bool:
    """Whether ``head`` (the start of a title) names a listed intervention that gives no cells
    (a word of 4+ letters of its name, routine words aside)."""
    words = set(_WORD.findall(head.lower()))
    cell_ivs = {p[0] for p in positives}
    return any(
        (set(_WORD.findall((iv.get("name") or "").lower())) - ROUTINE_WORDS) & words
        for i, iv in enumerate(trial.interventions)
        if f"interventions[{i}]" not in cell_ivs
    )


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
                    not negated and (
                        HSCT_REGIMEN.search(text)
                        or HSCT_STUDY.search(text)
                        or CONDITIONING_AGENT.search(text, 0, m.start())
                    )
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


# a target antigen or a generic prefix at the start of a name is not a development code
_NOT_A_CODE = re.compile(r"^(?:cd|il|her|gd|car|anti)[- ]?\d", re.I)


def _investigational_cells(
    trial: Trial,
    atlas: list[tuple[str, str, str, Term]],
    positives: list[tuple[str, str, str]],
) -> bool:
    """Whether a listed intervention that gives cells is an investigational product: one of
    the atlas's therapies authorized nowhere, or a name that starts with a development code
    ("C-CAR011", "CT103A"). A generic name ("CAR-T", "CD19 CAR-T cells") or an authorized
    product (liso-cel) may be the standard care a study gives something else around."""
    if any(f.startswith("interventions") and not t.authorized for f, _, _, t in atlas):
        return True
    cell_ivs = {p[0] for p in positives if p[0].startswith("interventions")}
    for i, iv in enumerate(trial.interventions):
        if cell_ivs and f"interventions[{i}]" not in cell_ivs:
            continue  # the cells are listed: only their names matter
        # (none listed: a coded intervention may be the cell product the summary describes)
        name = (iv.get("name") or "").strip()
        if CODE.search(name) and not _NOT_A_CODE.match(name):
            return True
    return False


def _cells_around(
    trial: Trial,
    atlas: list[tuple[str, str, str, Term]],
    positives: list[tuple[str, str, str]],
) -> tuple[str, str] | None:
    """(field, snippet) of the summary sentence in which the study gives something else
    around a cell therapy ("to use radiation therapy with vancomycin prior to CAR T-cell
    therapy", "evaluates chidamide ... as maintenance therapy following CAR-T"), or that says
    the study gives no treatment at all; None when there is none, or when a listed cell
    product is investigational (then the study gives the cells itself)."""
    summary = _cut(trial.summary or "")
    if not summary or _investigational_cells(trial, atlas, positives):
        return None
    other_words: set[str] | None = None  # the other interventions' words, read when needed
    # the pattern costs tens of milliseconds on a long summary: asked only where it can match
    for m in AROUND_CELLS.finditer(summary) if _AROUND.may(summary) else ():
        obj = m.group("obj")
        if CELL_WORD.search(obj):
            continue  # the study gives the cells ("to give CAR-T cells after ...")
        if other_words is None:
            other_words = _other_words(trial, atlas, positives)
        if OTHER_AGENT.search(obj) or set(_WORD.findall(obj.lower())) & other_words:
            return ("summary", _snippet(summary, m.start(), m.end(), pad=0))
    for m in INVESTIGATED_OTHER.finditer(summary) if _INVESTIGATED.may(summary) else ():
        sent_a = max(summary.rfind(".", 0, m.start()), summary.rfind("\n", 0, m.start())) + 1
        if not CELL_WORD.search(summary[sent_a : m.start()]):
            return ("summary", _snippet(summary, sent_a, m.end(), pad=0))
    m = NO_TREATMENT_GIVEN.search(summary)
    if m and not any(p[0].startswith("interventions") for p in positives):
        return ("summary", _snippet(summary, m.start(), m.end()))
    return None


def _other_words(
    trial: Trial,
    atlas: list[tuple[str, str, str, Term]],
    positives: list[tuple[str, str, str]],
) -> set[str]:
    """The words (4+ letters, routine words aside) of the listed interventions that give no
    cells (neither a positive mention nor an atlas therapy)."""
    cell_ivs = {p[0] for p in positives} | {f for f, _, _, _ in atlas}
    out: set[str] = set()
    for i, iv in enumerate(trial.interventions):
        if f"interventions[{i}]" not in cell_ivs:
            out |= set(_WORD.findall((iv.get("name") or "").lower())) - ROUTINE_WORDS
    return out


def _prior_cells(
    trial: Trial,
    atlas: list[tuple[str, str, str, Term]],
    positives: list[tuple[str, str, str]],
    negated: list[tuple[str, str]],
    fields: list[tuple[str, str]],
) -> tuple[str, str] | None:
    """(field, snippet) of the summary's population mention of a cell therapy when the only
    cells the record gives are a generic product listed beside another intervention and the
    title names no cell therapy ("A Study of Belantamab Mafodotin and Mezigdomide", "CAR-T
    cells" listed, "patients who relapsed following BCMA-directed CAR-T cells"); else None."""
    in_summary = [n for n in negated if n[0] == "summary"]
    if not in_summary or atlas or not _title_silent(fields, atlas):
        return None
    if _investigational_cells(trial, atlas, positives):
        return None
    cell_ivs = {p[0] for p in positives}
    others = [
        set(_WORD.findall((iv.get("name") or "").lower())) - ROUTINE_WORDS
        for i, iv in enumerate(trial.interventions)
        if f"interventions[{i}]" not in cell_ivs
    ]
    if not any(others):
        return None
    return in_summary[0]


def _regenerative_transplant(
    trial: Trial, fields: list[tuple[str, str]]
) -> tuple[str, str, str] | None:
    """(field, snippet, words) of a marrow or stem-cell transplant the title or an
    intervention names when the record treats a tissue to repair (spinal cord injury,
    osteonecrosis, heart failure ...) and no blood, immune or cancer disease: the cells
    given are the product. None otherwise."""
    told = " ".join([trial.title, trial.official_title or "", *trial.conditions])
    if not REGEN_TARGET.search(told) or HAEM_OR_IMMUNE.search(told):
        return None
    for fname, text in fields:
        if fname == "title" or fname.startswith("interventions"):
            m = HSCT.search(text) or REGEN_CELLS.search(text)
            if m:
                return (fname, _snippet(text, m.start(), m.end()), m.group(0))
    return None


def _graft_of_a_transplant(
    trial: Trial, positives: list[tuple[str, str, str]], title: str
) -> bool:
    """Whether the title studies a transplant's regimen and every listed cell intervention is
    only its graft ("Umbilical cord blood", "peripheral blood stem cells")."""
    cell_ivs = {p[0] for p in positives if p[0].startswith("interventions")}
    if not cell_ivs:
        return False  # no listed cell intervention: nothing is a graft (the title not read)
    hsct = HSCT.search(title)
    if not hsct or not (
        HSCT_REGIMEN.search(title)
        or HSCT_STUDY.search(title)
        # the conditioning agents named before the transplant
        or CONDITIONING_AGENT.search(title, 0, hsct.start())
    ):
        return False
    return all(
        GRAFT_ONLY.match(trial.interventions[int(f[len("interventions[") : -1])].get("name") or "")
        for f in cell_ivs
    )


_NEXT_WORD = re.compile(r"\W{0,2}[\w-]+")


def _transplant_protocol_cells(
    trial: Trial, positives: list[tuple[str, str, str]], title: str
) -> bool:
    """Whether every cell the record gives is the graft of a standard transplant or donor
    lymphocytes given within its protocol ("... donor peripheral blood stem cell transplant
    followed by donor lymphocyte infusion", "donor stem cell transplant or donor white blood
    cell infusions", "Donor Lymphocyte Infusion (DLI)" listed beside the transplant), and the
    study gives that transplant itself: the title names it as what is given (not as who the
    patients are: "donor lymphocyte infusion ... after donor stem cell transplant" studies the
    lymphocytes) or an intervention is the transplant."""
    if not positives:
        return False
    named = False
    for fname, snip, words in positives:
        if fname.startswith("interventions"):
            name = trial.interventions[int(fname[len("interventions[") : -1])].get("name") or ""
            if not (DONOR_LYMPHOCYTES.search(name) or GRAFT_ONLY.match(name)):
                return False
            named = True
            continue
        if fname != "title":
            continue  # a summary's or an arm's words describe the graft and cells listed
        # the mention, the few words before it ("donor white blood cell infusions") and the
        # word after it ("Memory T-cell DLI")
        at = snip.find(words)
        near = snip[max(0, at - 25) : at + len(words)] if at != -1 else snip
        after = _NEXT_WORD.match(snip, at + len(words)) if at != -1 else None
        if not DONOR_LYMPHOCYTES.search(near + (after.group(0) if after else "")):
            return False
        named = True
    if not named:
        return False
    for iv in trial.interventions:
        name = iv.get("name") or ""
        # (an intervention that names the transplant only as when the cells are given, "boost
        # anti-viral immunity after T-cell depleted HSCT", is not the transplant)
        if any(
            not NEG_BEFORE.search(name[max(0, m.start() - 60) : m.start()])
            for m in HSCT.finditer(name)
        ):
            return True
    for m in HSCT.finditer(title):
        before = title[max(0, m.start() - 60) : m.start()]
        after = title[m.end() : m.end() + 40]
        if not NEG_BEFORE.search(before) and not re.search(
            r"^\W*(?:patients?|recipients?|survivors?|candidates?|setting)", after, re.I
        ):
            return True
    return False


def _drug_after_transplant(
    trial: Trial, positives: list[tuple[str, str, str]], title: str
) -> bool:
    """Whether the title studies something given after a transplant it names as the setting
    ("Ipilimumab After Allogeneic Stem Cell Transplant"), every cell the record gives is that
    transplant's graft or donor lymphocytes (the registry's "therapeutic allogeneic
    lymphocytes"), and another intervention, which the title names before the transplant, is
    not cells."""
    cell_ivs = {p[0] for p in positives}
    if not cell_ivs or not all(f.startswith("interventions[") for f in cell_ivs):
        return False
    for f in cell_ivs:
        name = trial.interventions[int(f[len("interventions[") : -1])].get("name") or ""
        if not (DONOR_LYMPHOCYTES.search(name) or GRAFT_ONLY.match(name)):
            return False
    setting = None
    for m in HSCT.finditer(title):
        if NEG_BEFORE.search(title[max(0, m.start() - 60) : m.start()]):
            setting = m
            break
    if setting is None:
        return False
    head = title[: setting.start()].lower()
    for i, iv in enumerate(trial.interventions):
        if f"interventions[{i}]" in cell_ivs:
            continue
        words = _WORD.findall((iv.get("name") or "").lower())  # words of 4+ letters
        if words and words[0] in head:
            return True
    return False


def _engineered_graft(fields: list[tuple[str, str]]) -> tuple[str, str, str] | None:
    """(field, snippet, words) of a transplant whose graft is genetically modified before it
    is given ("Genetically Modified Peripheral Blood Stem Cell Transplant"), in the title or
    an intervention: the cells are an ex vivo gene therapy, not a standard graft. None
    otherwise."""
    for fname, text in fields:
        if fname == "title" or fname.startswith("interventions"):
            low = text.lower()
            if "modified" not in low and "engineered" not in low and "transduced" not in low:
                continue
            m = ENGINEERED_GRAFT.search(text)
            if m:
                return (fname, _snippet(text, m.start(), m.end()), m.group(0))
    return None
