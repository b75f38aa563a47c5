"""Whether a cell therapy the mention loop found is what a study gives, or only the setting of
a study of something else (split out of :mod:`ctatlas.trials.classify` in session 15,
behaviour unchanged).

One concern: the steps between the mention loop (:mod:`ctatlas.trials.classify_mentions`) and
the label (:mod:`ctatlas.trials.classify`). :func:`settle` asks, in order: does the title name
the cell therapy only as the setting (the population, standard of care, an agent given around
it, something given to its recipients, only drugs or samples listed beside it, a bridging therapy
the summary studies, cells the summary calls the prior therapy)? Does it
follow up people given a product? Is a listed graft the transplant's own (its regimen studied,
its protocol's donor lymphocytes, a drug after it)? Is it an observational study of a cell
therapy's effects in its recipients (convention 2)? The checks themselves are in
:mod:`ctatlas.trials.classify_infer` and :mod:`ctatlas.trials.classify_given`; the rule tables
in :mod:`ctatlas.trials.rules`.
"""

from __future__ import annotations

from .classify_given import (
    bridging_studied,
    drugs_or_samples_listed,
    given_to_recipients,
    observed_positive,
    product_in_regimen,
)
from .classify_infer import (
    _cells_around,
    _drug_after_transplant,
    _given_with_approved,
    _graft_of_a_transplant,
    _prior_cells,
    _studied_around_cells,
    _transplant_protocol_cells,
)
from .classify_mentions import Reading
from .classify_text import _may_search, _snippet
from .rules import (
    ASSESSMENT_STUDY,
    CELL_THERAPY_NAMED,
    CONDITIONING_AGENT,
    FOLLOW_UP,
    GENERIC_AFTER_AGENT,
    HSCT,
    HSCT_REGIMEN,
    LAB_CONTEXT,
    LYMPHODEPLETION,
    NO_INTERVENTION,
    OTHER_AGENT,
    SEQUENCE_BEFORE,
    SETTING_STUDY,
    STANDARD_CARE,
)

__all__ = ["settle"]


def settle(r: Reading) -> bool:
    """Whether the record's cell therapy is only the setting of another study (then its
    ``positives`` are emptied); ``r``'s positives, title and laboratory mentions and
    ``has_known`` are updated in place as each step decides."""
    trial, fields, alltext, low_all, atlas = r.trial, r.fields, r.alltext, r.low_all, r.atlas
    title_text, observational, negated, title_first = (
        r.title_text, r.observational, r.negated, r.title_first
    )
    coded_ivs, iv_names_all = r.coded_ivs, r.iv_names_all
    positives, has_cell_intervention, title_positive = (
        r.positives, r.has_cell_intervention, r.title_positive
    )
    title_setting, laboratory, has_known = r.title_setting, r.laboratory, r.has_known

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
    if (
        not setting_only
        and not has_known
        and title_positive
        and not has_cell_intervention
        and drugs_or_samples_listed(trial)
    ):
        # a cell therapy the title names generically, and every listed intervention a drug by
        # its form or class, or a sampling ("Tazemetostat Pill", "BTK inhibitor"): the drug
        # given to its recipients is studied (convention 1, rules 16.24)
        setting_only = True
        title_setting = [("title", _snippet(title_text, 0, min(len(title_text), 60)))]
    if not setting_only and not FOLLOW_UP.search(title_text) and (
        bridged := bridging_studied(trial, [
            (trial.interventions[int(f[len("interventions["):-1])].get("name") or "")
            for f, _, w in positives
            if f.startswith("interventions[") and not LYMPHODEPLETION.search(w)
        ])
    ):
        # the summary's question is a bridging therapy before a product named by its own name
        # ("bridging therapy with Glofit-GemOx followed by liso-cel"; convention 1, rules 16.24)
        setting_only = True
        title_setting = [bridged]
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

    r.positives, r.has_cell_intervention, r.title_positive = (
        positives, has_cell_intervention, title_positive
    )
    r.title_setting, r.laboratory, r.has_known = title_setting, laboratory, has_known
    return setting_only
