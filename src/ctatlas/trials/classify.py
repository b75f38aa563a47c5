"""Is a trial's investigational product living cells? The engine that applies the rules.

The rule tables (patterns, literal stems) are in :mod:`ctatlas.trials.rules` (and its
``rules_*`` modules); the engine applies them in steps, one module each (split along these
seams in session 15, behaviour unchanged):

- :mod:`ctatlas.trials.classify_text`: the evidence's raw material (fields, stem scan,
  masking, the mentions' windows, the atlas's names and codes in the record);
- :mod:`ctatlas.trials.classify_mentions`: the mention loop, each cell-product mention sorted
  into the product given, the population or setting, cells studied in the laboratory, an in
  vivo CAR; and the interventions named as cells;
- :mod:`ctatlas.trials.classify_setting`: whether the cell therapy found is only the setting of
  a study of something else (with the checks of :mod:`ctatlas.trials.classify_infer`,
  :mod:`ctatlas.trials.classify_given` and :mod:`ctatlas.trials.classify_graft`);
- here: the label decision (the atlas's products, a coded product beside lymphodepletion, in
  vivo CARs, acellular products, regenerative and engineered transplants, the family and
  origin, the evidence) and the wording model after it.

What the atlas knows (the names and codes of its cell therapies) comes in as a
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
5. Last (rules 16.18), the wording model (:mod:`ctatlas.trials.wording_rule`, C1): in a study
   whose text has "cel", "transplant", "graft" or their Korean or Japanese words, it overrides
   the rules only when confident against them (p >= 0.9: a cell therapy; p <= 0.1: a
   ``cell_therapy`` label taken away), and says so first in the evidence.

Work is linear in the record's size and bounded per field: each field's text is examined up
to :data:`MAX_FIELD_CHARS` (four times the longest brief summary ClinicalTrials.gov accepts;
the rest of a longer field is not read), and every check around a mention looks at most
:data:`~ctatlas.trials.classify_mentions.SENTENCE_REACH` characters to each side of it (a
"sentence" ends at a full stop or there), so a summary without full stops costs no more than
one with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import prefilter, wording_rule
from .atlas_terms import CellTerms
from .classify_infer import (
    _NOT_A_CODE,
    _engineered_graft,
    _hsct,
    _origin,
    _regenerative_transplant,
)
from .classify_infer import _family_of as _family_of
from .classify_mentions import SENTENCE_REACH as SENTENCE_REACH
from .classify_mentions import read_mentions
from .classify_setting import settle
from .classify_text import (
    _ANY_PRODUCT,
    _any,
    _atlas_mentions,
    _cut,
    _field_hits,
    _masked,
    _masked_windows,
    _may_mention,
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
    CAR_CARRIERS,
    CAR_MYELOID,
    CAR_TOKEN,
    CODE,
    EX_VIVO,
    FAMILY_ORDER,
    GENERIC_FAMILIES,
    HSCT,
    HSCT_ANCHORS,
    HSCT_STUDY,
    IN_VIVO_CAR,
    LD_ANCHORS,
    LYMPHODEPLETION,
    STEM_FAMILIES,
    VIVO_ANCHORS,
)
from .rules import ANCHORS as ANCHORS  # re-exported: benchmarks/trials_ingest.py

__all__ = ["MAX_FIELD_CHARS", "Classification", "apply", "classify"]


@dataclass
class Classification:
    label: str = "not_cell"
    cell_class: str | None = None
    cell_family: str | None = None
    stem_type: str | None = None
    origin: str | None = None
    evidence: list[dict[str, str]] = field(default_factory=list)


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

    r = read_mentions(trial, fields, alltext, low_all, atlas, windows)
    setting_only = settle(r)
    # what the label decision reads of the mentions and the setting
    positives, has_cell_intervention, title_positive, has_known = (
        r.positives, r.has_cell_intervention, r.title_positive, r.has_known
    )
    negated, in_vivo = r.negated, r.in_vivo
    laboratory, title_setting = r.laboratory, r.title_setting
    iv_named, iv_names, title_text, asc_given = r.iv_named, r.iv_names, r.title_text, r.asc_given
    evidence: list[dict[str, str]] = []

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
