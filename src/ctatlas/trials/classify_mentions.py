"""The mention loop of the trial classifier: every cell-product mention in a record's fields,
sorted by what it is there (the product given, the population or setting, cells studied in the
laboratory, an in vivo CAR), and the interventions named as cells ("<a few words> cells", a name
glued to "Cell" the title names too, "ASC") (split out of
:mod:`ctatlas.trials.classify` in session 15, behaviour unchanged).

One concern: reading the mentions. :func:`read_mentions` returns a :class:`Reading`, what the
loop read of one record; :mod:`ctatlas.trials.classify_setting` then asks whether the cell
therapy it found is only the setting of another study, and :mod:`ctatlas.trials.classify`
decides the label. The rule tables are in :mod:`ctatlas.trials.rules` (and ``rules_*``); the
fields, the stem scan and the mentions' windows in :mod:`ctatlas.trials.classify_text`.

Every check around a mention looks at most :data:`SENTENCE_REACH` characters to each side of
it (a "sentence" ends at a full stop or there), so a summary without full stops costs no more
than one with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .atlas_terms import Term
from .classify_given import abbreviation_listed, spelled_otherwise
from .classify_graft import manipulated_graft
from .classify_infer import _NOT_A_CODE, _family_of, _names_other_intervention, _title_silent
from .classify_text import _acellular_source, _masked, _mentions, _snippet
from .record import Trial
from .rules import (
    ANTIRETROVIRAL,
    ANTIRETROVIRAL_CART,
    ASC_ALONE,
    ASC_CONTEXT,
    ASC_WORD,
    CODE,
    DISEASE_TREATED,
    DRUGLIKE_TYPES,
    EX_VIVO,
    FAMILY_ORDER,
    FAMILY_RE,
    FOLLOW_UP,
    GENERIC_FAMILIES,
    GIVEN_BACK,
    GIVEN_WORDS,
    GLUED_CELL,
    HSCT,
    IN_VIVO_CAR,
    INTERVENTION_CELLS,
    LAB_CONTEXT,
    LYMPHODEPLETION,
    MADE_CELLS,
    MEASURED_TYPES,
    OWN_BEFORE,
    PRODUCT_CONTEXT,
    SAMPLES_TAKEN,
    SAMPLING_ONLY,
    SOURCE_COLLECTED,
    STUDY_PURPOSE,
)

__all__ = ["SENTENCE_REACH", "Reading", "read_mentions"]

#: The most text a mention's "sentence" reaches to each side of it.
SENTENCE_REACH = 300

#: An atlas mention: (field, snippet, the words matched, the atlas's term).
AtlasMention = tuple[str, str, str, Term]


@dataclass
class Reading:
    """What the mention loop read of one record, and the record's parts the later steps ask.

    The later steps (:func:`ctatlas.trials.classify_setting.settle`, the label decision in
    :mod:`ctatlas.trials.classify`) update ``positives``, ``has_cell_intervention``,
    ``title_positive``, ``title_setting``, ``laboratory`` and ``has_known`` in place.
    """

    trial: Trial
    fields: list[tuple[str, str]]
    alltext: str
    low_all: str
    atlas: list[AtlasMention]
    has_known: bool
    #: the interventions' names of three characters or more (lower case), each with its type
    iv_named: list[tuple[str, str]]
    iv_names: list[str]
    iv_types: list[str]
    observational: bool
    title_text: str
    positives: list[tuple[str, str, str]]  # (field, snippet, matched text)
    negated: list[tuple[str, str]]  # mentions that are the population or the context
    in_vivo: list[tuple[str, str]]  # in vivo CAR mentions
    has_cell_intervention: bool
    title_positive: bool
    title_first: int | None  # where the title's first cell mention starts
    negated_ivs: set[str]  # interventions whose cell mention is the population
    title_setting: list[tuple[str, str]]  # title mentions that are the population/setting
    laboratory: list[tuple[str, str]]  # title mentions of cells studied in the laboratory
    asc_given: str  # an intervention giving adipose-derived stem cells named "ASC"
    #: what only the loop computes, ``None`` for a record none of whose windows can hold a
    #: mention (then ``title_first`` is ``None`` too, and no later step asks them)
    coded_ivs: list[str] | None
    iv_names_all: list[str] | None


def _graft_described(name: str, at: int) -> bool:
    """Whether a mention at ``at`` of an intervention's text (its name, other names and
    description joined) lies past its name, and the name is a transplant that names no cells
    of its own ("Allogenic Stem Cell Transplantation"): the description tells of its graft."""
    if at <= len(name) or not HSCT.search(name):
        return False
    masked = _masked(name)
    return not any(FAMILY_RE[f].search(masked) for f in FAMILY_ORDER)


def _coded_before(before: str, codes: list[str]) -> bool:
    """Whether ``before`` (the text up to a mention) ends with one of ``codes`` and at most one
    word after it ("receiving ALLO-501A Allogeneic " before "CAR T Cell Therapy")."""
    low = before.lower()
    for code in codes:
        at = low.rfind(code)
        if at != -1 and (at == 0 or not low[at - 1].isalnum()) and len(
            low[at + len(code) :].split()
        ) <= 1 and not low[at + len(code) : at + len(code) + 1].isalnum():
            return True
    return False


def read_mentions(
    trial: Trial,
    fields: list[tuple[str, str]],
    alltext: str,
    low_all: str,
    atlas: list[AtlasMention],
    windows: list[tuple[str, list[tuple[int, str, set[str], str]]]],
) -> Reading:
    """Read every cell-product mention in ``windows`` (the masked windows of the record's
    ``fields`` that can hold one; empty when none can), then the interventions named as cells
    or as "ASC"; ``atlas``: the atlas's names and codes the record mentions."""
    positives: list[tuple[str, str, str]] = []  # (field, snippet, matched text)
    negated: list[tuple[str, str]] = []
    in_vivo: list[tuple[str, str]] = []
    # the interventions' names of three characters or more, each with its registry type
    iv_named = [
        ((iv.get("name") or "").strip().lower(), (iv.get("type") or "").strip().upper())
        for iv in trial.interventions
        if len((iv.get("name") or "").strip()) >= 3
    ]
    iv_names = [n for n, _ in iv_named]
    iv_types = [(iv.get("type") or "").upper() for iv in trial.interventions]
    observational = (trial.study_type or "").startswith("observ")
    if windows:
        # What only the mention loop reads, computed only when it runs: for a record in which
        # no window can hold a mention these stay unbound, so a rule after the loop that came
        # to read one would stop every such record with UnboundLocalError (the tests' middle
        # row), never answer from a value left out.
        # A sentence names an intervention by its whole name or by its first word when that
        # word is distinctive ("ThisCART7" for "ThisCART7 cells").
        iv_keys = iv_names + [
            w for w in (n.split()[0] for n in iv_names if " " in n) if len(w) >= 4 and any(
                ch.isdigit() for ch in w)
        ]
        druglike_only = bool(trial.interventions) and all(
            (iv.get("type") or "").upper() in DRUGLIKE_TYPES for iv in trial.interventions
        )
        iv_names_all = [(iv.get("name") or "") for iv in trial.interventions]
        # listed interventions named by a development code ("allo-501a"), not a target antigen
        coded_ivs = [n for n in iv_names if CODE.search(n) and not _NOT_A_CODE.match(n)]
        # every intervention takes samples ("intestinal biopsies during colonoscopy"): cells a
        # title names are studied in them, not given
        sampling_only = bool(trial.interventions) and all(
            SAMPLING_ONLY.search(iv.get("name") or "") for iv in trial.interventions
        )
        # ... and not a marrow aspirate or a donation (the source of cells given back)
        samples_only = sampling_only and all(
            SAMPLES_TAKEN.search(iv.get("name") or "") for iv in trial.interventions
        )
        # every intervention only collects the source of cells ("peripheral blood"): cells a
        # title says are produced are made, not given (the lead's convention 4, rules 16.24)
        collected_only = bool(trial.interventions) and all(
            SOURCE_COLLECTED.match(iv.get("name") or "") for iv in trial.interventions
        )
    has_cell_intervention = False
    title_positive = False
    title_first: int | None = None  # where the title's first cell mention starts
    negated_ivs: set[str] = set()  # interventions whose cell mention is the population
    title_silent: bool | None = None  # the title names no cell therapy (asked when needed)
    title_text = next((t for f, t in fields if f == "title"), "")
    title_setting: list[tuple[str, str]] = []  # title mentions that are the population/setting
    laboratory: list[tuple[str, str]] = []  # title mentions of cells studied in the laboratory

    for fname, field_windows in windows:
        for wa, text, present, masked in field_windows:
            for start, end, neg in _mentions(masked, present):
                if fname == "title" and title_first is None:
                    title_first = wa + start
                snippet = _snippet(text, start, end)
                matched = text[start:end]
                if matched.isupper() and spelled_otherwise(matched, alltext):
                    continue  # "SMSC", the Swiss Multiple Sclerosis Cohort (rules 16.22)
                if matched.lower() == "cart" and (
                    matched == ANTIRETROVIRAL_CART or ANTIRETROVIRAL in low_all
                ):
                    continue  # "R-EPOCH and cART": combination antiretroviral therapy
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
                if not neg and fname.startswith("interventions") and (
                    iv_types[int(fname[len("interventions[") : -1])] in MEASURED_TYPES
                    # an intervention that takes samples ("Use of patient-derived biological
                    # samples ... to isolate peripheral blood mononuclear cells"): cells taken
                    or SAMPLES_TAKEN.search(iv_names_all[int(fname[len("interventions[") : -1])])
                ):
                    neg = True  # "progenitor potential of gingival mesenchymal cells" as a
                    # diagnostic test: cells measured, not given
                if (
                    neg
                    and fname == "title"
                    and has_cell_intervention
                    and wa == 0
                    and DISEASE_TREATED.match(masked, 0, start)
                    and not _names_other_intervention(trial, positives, masked[:start])
                ):
                    # "Brain Stem Gliomas Treated With Adoptive Cellular Therapy During ...",
                    # cells listed: the disease the title opens with is treated with the
                    # study's cells (not "patients treated with", who are the population)
                    neg = False
                if not neg and fname.startswith("interventions") and _graft_described(
                    iv_names_all[int(fname[len("interventions[") : -1])], wa + start
                ):
                    # "Allogenic Stem Cell Transplantation | A procedure in which a patient
                    # receives healthy blood-forming cells (stem cells) from a donor": the
                    # description of a listed transplant describes its graft
                    neg = True
                if not neg and fname.startswith("interventions") and manipulated_graft(
                    iv_names_all[int(fname[len("interventions[") : -1])]
                ):
                    neg = True  # a CD34-enriched, T-cell-depleted donor graft: the transplant
                if neg and fname == "title" and _coded_before(masked[max(0, start - 60) : start],
                                                              coded_ivs):
                    # "... Receiving ALLO-501A Allogeneic CAR T Cell Therapy", ALLO-501A listed:
                    # the cell therapy the title names as what its patients receive is a
                    # development code the study itself gives, not a standard therapy around it
                    neg = False
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
                    if _family_of(matched) == "other" and not PRODUCT_CONTEXT.search(near) and (
                        # (unless a listed intervention gives them by the abbreviation the
                        # title gives them: "Endometrial Regenerative Cells (ERC)", "Administration
                        # of ERC"; rules 16.22)
                        not abbreviation_listed(masked, end, iv_named)
                    ):
                        continue  # "cardiomyocyte energy metabolism": biology, not a product
                    if not has_cell_intervention and (
                        LAB_CONTEXT.search(sentence)
                        or ((observational or sampling_only) and not PRODUCT_CONTEXT.search(near))
                        or (observational and sampling_only)
                        # every intervention takes samples, and the title neither gives the
                        # cells nor follows up people given them: "AML Cell Immunotherapy Using
                        # Chimeric Antigen Receptor T-cells", "Sample collection" (samples to
                        # develop it)
                        or (samples_only and not FOLLOW_UP.search(title_text)
                            and not GIVEN_WORDS.search(title_text))
                        # "Production of Clinical-grade ... CAR T Cells", only "peripheral
                        # blood" listed: cells made, none given (convention 4, rules 16.24)
                        or (collected_only and MADE_CELLS.search(title_text[: wa + start]))
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
                    ) and not (
                        # "participants' T cells will be sent to a laboratory, where the cells
                        # will be made into the study therapy": their own cells, made into it
                        OWN_BEFORE.search(masked[max(0, start - 30) : start])
                        and GIVEN_BACK.search(masked[end : end + 120])
                    ) and not any(
                        # "CT1182 cells", CT1182 listed: the intervention named as cells
                        k and matched.lower().startswith(k) for k in iv_keys
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
            if (INTERVENTION_CELLS.match(name) or (
                # a product's name glued to "Cell" that the title names too ("CardioCell";
                # never "CellCept", a drug; rules 16.24)
                GLUED_CELL.match(name) and name.lower() in title_text.lower()
            )) and _masked(name) == name:
                positives.append((f"interventions[{i}]", name, name))
                has_cell_intervention = True
                break
    # "ASC" for adipose-derived stem cells, where the record speaks of fat or the ASC is a
    # biological intervention of its own name ("ASC enriched lipofilling", "ASC")
    asc_given = ""
    if not has_cell_intervention and "asc" in low_all:
        told = " ".join(
            [trial.title, *(iv.get("name") or "" for iv in trial.interventions),
             *trial.conditions, trial.summary or ""]
        )
        for i, iv in enumerate(trial.interventions):
            name = (iv.get("name") or "").strip()
            if ASC_WORD.search(name) and f"interventions[{i}]" not in negated_ivs and (
                iv_types[i] not in DRUGLIKE_TYPES or iv_types[i] == "PROCEDURE"
            ) and (
                ASC_CONTEXT.search(told)
                or (ASC_ALONE.match(name) and iv_types[i] in ("BIOLOGICAL", "GENETIC"))
            ):
                positives.append((f"interventions[{i}]", name, name))
                has_cell_intervention = True
                asc_given = name
                break

    return Reading(
        trial=trial,
        fields=fields,
        alltext=alltext,
        low_all=low_all,
        atlas=atlas,
        has_known=bool(atlas),
        iv_named=iv_named,
        iv_names=iv_names,
        iv_types=iv_types,
        observational=observational,
        title_text=title_text,
        positives=positives,
        negated=negated,
        in_vivo=in_vivo,
        has_cell_intervention=has_cell_intervention,
        title_positive=title_positive,
        title_first=title_first,
        negated_ivs=negated_ivs,
        title_setting=title_setting,
        laboratory=laboratory,
        asc_given=asc_given,
        coded_ivs=coded_ivs if windows else None,
        iv_names_all=iv_names_all if windows else None,
    )
