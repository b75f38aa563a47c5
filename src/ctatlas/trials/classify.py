"""Is a trial's investigational product living cells? The engine that applies the rules.

The rule tables (patterns, literal stems) are in :mod:`ctatlas.trials.rules`; this module
applies them. The evidence it weighs is built in :mod:`ctatlas.trials.classify_text` (fields,
stem scan, masking, mentions); a mention's family, the product's origin, a transplant's rule
and the "cell therapy only as the setting" checks are in :mod:`ctatlas.trials.classify_infer`;
the label decision is here. What the atlas knows (the names and codes of its cell therapies)
comes in as a :class:`~ctatlas.trials.atlas_terms.CellTerms`, built once per atlas.

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
5. Last (rules 16.18), the wording model (:mod:`ctatlas.trials.wording_rule`, C1): in a study
   whose text has "cel", "transplant", "graft" or their Korean or Japanese words, it overrides
   the rules only when confident against them (p >= 0.9: a cell therapy; p <= 0.1: a
   ``cell_therapy`` label taken away), and says so first in the evidence.

Work is linear in the record's size and bounded per field: each field's text is examined up
to :data:`MAX_FIELD_CHARS` (four times the longest brief summary ClinicalTrials.gov accepts;
the rest of a longer field is not read), and every check around a mention looks at most
:data:`SENTENCE_REACH` characters to each side of it (a "sentence" ends at a full stop or
there), so a summary without full stops costs no more than one with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import prefilter, wording_rule
from .atlas_terms import CellTerms
from .classify_given import (
    abbreviation_listed,
    given_to_recipients,
    observed_positive,
    product_in_regimen,
    spelled_otherwise,
)
from .classify_graft import manipulated_graft
from .classify_infer import (
    _NOT_A_CODE,
    _cells_around,
    _drug_after_transplant,
    _engineered_graft,
    _given_with_approved,
    _graft_of_a_transplant,
    _hsct,
    _names_other_intervention,
    _origin,
    _prior_cells,
    _regenerative_transplant,
    _studied_around_cells,
    _title_silent,
    _transplant_protocol_cells,
)
from .classify_infer import _family_of as _family_of
from .classify_text import (
    _ANY_PRODUCT,
    _acellular_source,
    _any,
    _atlas_mentions,
    _cut,
    _field_hits,
    _masked,
    _masked_windows,
    _may_mention,
    _may_search,
    _mentions,
    _snippet,
)
from .classify_text import MAX_FIELD_CHARS as MAX_FIELD_CHARS
from .classify_text import _fields as _fields
from .classify_text import _scan as _scan
from .classify_text import _windows as _windows
from .record import Trial
from .rules import (
    ACELL_ANCHORS,
    ACELLULAR,
    ANTIRETROVIRAL,
    ANTIRETROVIRAL_CART,
    ASC_ALONE,
    ASC_CONTEXT,
    ASC_WORD,
    ASSESSMENT_STUDY,
    CAR_CARRIERS,
    CAR_MYELOID,
    CAR_TOKEN,
    CELL_THERAPY_NAMED,
    CODE,
    CONDITIONING_AGENT,
    DISEASE_TREATED,
    DRUGLIKE_TYPES,
    EX_VIVO,
    FAMILY_ORDER,
    FAMILY_RE,
    FOLLOW_UP,
    GENERIC_AFTER_AGENT,
    GENERIC_FAMILIES,
    GIVEN_BACK,
    GIVEN_WORDS,
    HSCT,
    HSCT_ANCHORS,
    HSCT_REGIMEN,
    HSCT_STUDY,
    IN_VIVO_CAR,
    INTERVENTION_CELLS,
    LAB_CONTEXT,
    LD_ANCHORS,
    LYMPHODEPLETION,
    MEASURED_TYPES,
    NO_INTERVENTION,
    OTHER_AGENT,
    OWN_BEFORE,
    PRODUCT_CONTEXT,
    SAMPLES_TAKEN,
    SAMPLING_ONLY,
    SEQUENCE_BEFORE,
    SETTING_STUDY,
    STANDARD_CARE,
    STEM_FAMILIES,
    STUDY_PURPOSE,
    VIVO_ANCHORS,
)
from .rules import ANCHORS as ANCHORS  # re-exported: benchmarks/trials_ingest.py

__all__ = ["MAX_FIELD_CHARS", "Classification", "apply", "classify"]

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


def classify(
    trial: Trial,
    known_products: bool = True,
    terms: CellTerms | None = None,
    wording: bool = True,
) -> Classification:
    """Label one trial; the evidence says which field, which words and which rule.

    ``terms``: the atlas's cell-therapy names and codes (:func:`~ctatlas.trials.atlas_terms.
    cell_terms`, built once per atlas); a trial naming one in an intervention or its title
    names a cell product. Without them (or with ``known_products=False``) the text rules
    decide alone. Then the wording model may override the rules where it is confident
    against them (:mod:`ctatlas.trials.wording_rule`, C1); ``wording=False``: the rules alone.
    """
    c = _by_rules(trial, known_products, terms)
    return wording_rule.combine(trial, c) if wording else c


def _by_rules(trial: Trial, known_products: bool, terms: CellTerms | None) -> Classification:
    """The rules' label of one trial (:func:`classify` without the wording model)."""
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
            if INTERVENTION_CELLS.match(name) and _masked(name) == name:
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

    # The title names the cell therapy only as the setting ("anakinra to prevent CAR-T
    # neurotoxicity", "radiotherapy before CAR T-cell infusion") and never as the product: the
    # cell products among the interventions and in the summary are the background of a study
    # of something else. A follow-up of treated patients keeps the product as its object.
    title_population = bool(title_setting) and not title_positive  # "in DLBCL receiving CAR-T"
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
    if not setting_only and not FOLLOW_UP.search(title_text) and (
        around_title := _studied_around_cells(trial, atlas, positives, title_text)
    ):
        # "Iomab-B followed by CAR-T cell therapy", "odronextamab before and after CAR T-cell
        # therapy", "costs of CAR-T therapies": what is studied is given (or counted) around a
        # standard cell therapy, listed or not (rules 16.19)
        setting_only = True
        title_setting = [around_title]
    if not setting_only and _given_with_approved(
        trial, atlas, positives, title_text, bool(title_setting) and not title_positive,
        title_population,
    ) and not product_in_regimen(trial, title_text, [
        w for f, _, w, _ in atlas if f == "title"
    ] if any(f.startswith("interventions") for f, _, _, _ in atlas) else []):
        # (not a recognised product the title names beside the agent, with nothing saying the
        # agent is the question: "Acalabrutinib + Liso-Cel" studies the product in a regimen;
        # rules 16.22)
        # "NKTR-255 in combination with CAR-T", "dasatinib and quercetin with CAR-T": the cells
        # given are only authorized products, and the title studies another intervention
        setting_only = True
        title_setting = [("title", _snippet(title_text, 0, min(len(title_text), 60)))]
    if not setting_only and not has_known and title_first is not None and (
        given := given_to_recipients(
            trial, title_text, title_first, coded_ivs, observational, title_positive,
            has_cell_intervention, [iv_names_all[int(f[len("interventions["):-1])]
                                    for f, _, _ in positives if f.startswith("interventions[")],
        )
    ):
        # an agent randomised beside the cells, a bridging therapy before them, or only a
        # supplement, an app or the lymphodepletion listed beside a cell therapy the title names
        # generically: what is given to its recipients is studied (convention 1, rules 16.22)
        setting_only = True
        title_setting = [given]
    if not setting_only and not FOLLOW_UP.search(title_text):
        # the summary says the study gives something else around the cell therapy ("to use
        # radiation therapy prior to CAR T-cell therapy"), or gives no treatment itself, and
        # no listed cell product is investigational: the cells are the standard care around it
        around = _cells_around(trial, atlas, positives)
        if (
            around is None
            and negated
            and positives
            and all(p[0].startswith("interventions") for p in positives)
        ):
            # a generic cell product listed among other interventions, a title that names no
            # cell therapy, and a summary that names the cells only as what the patients had
            # ("relapsed following BCMA-directed CAR-T cells"): the listed cells are the prior
            # therapy
            around = _prior_cells(trial, atlas, positives, negated, fields)
        if around:
            setting_only = True
            title_setting = [around]
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
            # (not a title that studies a transplant's regimen: "Registry Study of T Cell
            # Depleted Allo Non-Myeloablative Stem Cell Transplant" names the cells taken out of
            # its graft)
            or (all(NO_INTERVENTION.match(iv.get("name") or "") for iv in trial.interventions)
                and not (HSCT.search(title_text) and HSCT_REGIMEN.search(title_text)))
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
    if (
        not setting_only
        and not title_positive
        and _graft_of_a_transplant(trial, positives, title_text)
    ):
        # "Umbilical Cord Blood Transplantation Using a Myeloablative Preparative Regimen", the
        # cord blood listed: the graft of the transplant whose regimen is studied
        positives = [p for p in positives if not p[0].startswith("interventions")]
        has_cell_intervention = False
    if (
        not setting_only
        and not has_known
        and _transplant_protocol_cells(trial, positives, title_text)
    ):
        # "Low-dose TBI and donor PBSC transplant followed by donor lymphocyte infusion": the
        # donor lymphocytes belong to the transplant's protocol, which is what is studied
        positives = []
        has_cell_intervention = False
        title_positive = False
    elif (
        not setting_only
        and not has_known
        and not title_positive
        and _drug_after_transplant(trial, positives, title_text)
    ):
        # "Ipilimumab After Allogeneic Stem Cell Transplant", the registry's "therapeutic
        # allogeneic lymphocytes" listed: the drug given after the transplant is studied; the
        # donor cells listed are the transplant's
        positives = []
        has_cell_intervention = False
    if (setting_only or laboratory or not title_positive) and (
        observed := observed_positive(trial, title_text)
    ):
        # an observational study of a cell therapy's effects in the people who received it,
        # nothing given, not its costs nor its samples (convention 2, rules 16.22)
        setting_only, laboratory, title_positive = False, [], True
        positives.insert(0, observed)
    if setting_only:
        positives = []
        has_cell_intervention = False
        has_known = False
    elif positives and not has_cell_intervention and not title_positive and (
        # (it only filters the positives: with none there is nothing to ask)
        laboratory
        or (HSCT.search(title_text) and (
            HSCT_REGIMEN.search(title_text) or CONDITIONING_AGENT.search(title_text)
        ))
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
        ld = (
            LYMPHODEPLETION.search(alltext) if not LD_ANCHORS.isdisjoint(present_all) else None
        )
        # (the agents by their brand names too: "Fludara", "Endoxan" beside "CYAD-02")
        flu_cy = "fludara" in names and any(
            c in names for c in ("cyclophosphamide", "endoxan", "cytoxan")
        )
        # (not where an intervention is a transplant or the title studies one: the agents are
        # its conditioning, and a code beside them a drug of its regimen, "Campath-1H", "VP16")
        regimen = (flu_cy or ld) and not any(
            HSCT.search(n) for n in iv_names
        ) and not HSCT_STUDY.search(title_text)
        # the coded product is looked for only where the regimen is given (both are required)
        # (a target antigen is not a code: "CD19+" is the graft fraction a device selects)
        # (a code the registry types a drug and the title names in one list with fludarabine
        # and cyclophosphamide, no word saying they lymphodeplete, is one more drug of a
        # chemotherapy: "LMB-2, Fludarabine and Cyclophosphamide for Adult T-Cell Leukemia", an
        # immunotoxin; rules 16.19)
        title_low = title_text.lower()
        coded = [
            n for n, kind in iv_named
            if CODE.search(n) and not _NOT_A_CODE.match(n) and not (
                ld is None and kind == "DRUG" and n in title_low and "fludarabine" in title_low
            )
        ] if regimen else []
        if coded and regimen:
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

    # (a field holding an acellular stem is part of the record, whose scan found every stem:
    # without one in the record, no field is looked at)
    acellular = [
        (fname, _snippet(text, m.start(), m.end()))
        for fname, text in fields
        if (fname.startswith("interventions") or fname == "title")
        and _any(text.lower(), ACELL_ANCHORS)
        for m in [ACELLULAR.search(text)]
        if m
    ] if not ACELL_ANCHORS.isdisjoint(present_all) else []
    acellular_given = any(f.startswith("interventions") for f, _ in acellular)
    if acellular and not has_cell_intervention and (not title_positive or acellular_given):
        # "MSC-derived exosomes": the cell words describe the source, not the product; and
        # when the interventions give only an acellular product, a title naming the cells
        # ("hypoxic conditioned MSCs and conditioned medium") names its source
        positives = []
        strong = False

    if (
        not positives
        and not setting_only
        and not laboratory
        and not record_in_vivo
        and not acellular
        and not HSCT_ANCHORS.isdisjoint(present_all)
    ):
        # "autologous bone marrow stem cell transplantation in spinal cord injury": a
        # transplant of marrow cells to repair a tissue is a cell therapy, not a
        # haematopoietic transplant; nor is a transplant of a genetically modified graft
        regen = _regenerative_transplant(trial, fields) or _engineered_graft(fields)
        if regen:
            positives = [regen]
            has_cell_intervention = regen[0].startswith("interventions")
    if positives and (strong or len(positives) >= 1):
        # the interventions name the product most precisely; a summary may compare it with others
        decisive = [p for p in positives if p[0].startswith("interventions")] or positives
        fam_text = " ".join(p[2] for p in decisive)
        family = known_family or ("MSC" if asc_given else _family_of(fam_text))
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
        if not known_family and family in CAR_CARRIERS and not CAR_MYELOID.search(fam_text):
            # a CAR written into a construct's name ("CD123CAR-CD28-CD3zeta-EGFRt-expressing
            # T-lymphocytes", "IL13Ra2-specific CAR Tcm cells", "CD19.CAR-multiVST"): the cells
            # carry a chimeric antigen receptor
            names = " ".join(
                [fam_text, title_text] + [iv.get("name") or "" for iv in trial.interventions]
            )
            if CAR_TOKEN.search(names.lower()):
                family = CAR_CARRIERS[family]
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
            elif snip == asc_given:
                rule = "cell.MSC"  # adipose-derived stem cells, named "ASC"
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


def apply(trial: Trial, terms: CellTerms | None = None, wording: bool = True) -> Trial:
    """Classify (with the atlas's ``terms``, when given; ``wording=False``: the rules alone)
    and write the result onto the trial (returns the same object)."""
    c = classify(trial, terms=terms, wording=wording)
    trial.label = c.label
    trial.cell_class = c.cell_class
    trial.cell_family = c.cell_family
    trial.stem_type = c.stem_type
    trial.origin = c.origin
    trial.evidence = c.evidence
    return trial
