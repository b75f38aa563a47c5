"""United States: 21 CFR 1271 and the 361/351 tiers.

Human cells or tissues are HCT/Ps (1271.3(d)); an HCT/P meeting all four criteria of
1271.10(a) is regulated solely under PHS Act section 361; otherwise it is a drug, device or
biologic needing premarket review (1271.20). Autologous tissue removed and put back in the same
surgical procedure is outside Part 1271 (1271.15(b)).
"""

from __future__ import annotations

from ctatlas.classify.base import Facts, Rule, StepTest, judge_manipulation, steps
from ctatlas.model import (
    DonorRelation,
    IntendedFunction,
    Manipulation,
    ProcessingStep,
    ProfileOrigin,
)

CODE = "US"

#: 1271.3(f) and FDA's 2017 guidance: culture, activation, genetic modification and
#: differentiation alter relevant biological characteristics; enzymatic digestion of adipose
#: tissue to isolate cells is more than minimal manipulation (the guidance's worked example).
MANIPULATION = StepTest(
    substantial=steps(
        "culture_expansion",
        "activation",
        "genetic_modification",
        "differentiation",
        "enzymatic_digestion",
    ),
    minimal=steps(
        "cutting",
        "grinding",
        "shaping",
        "centrifugation",
        "concentration",
        "separation",
        "freezing",
        "irradiation",
        "washing",
        "filtration",
        "sterilisation",
        "soaking_in_antibiotics",
    ),
)
#: Same surgical procedure: rinsing, cleansing, sizing and shaping; the guidance's Example 7-1
#: keeps lipoaspirate centrifuged to remove debris and fluid "such HCT/P".
SSP_STEPS = frozenset(
    {
        ProcessingStep.washing,
        ProcessingStep.cutting,
        ProcessingStep.shaping,
        ProcessingStep.centrifugation,
    }
)

R_STEPS = Rule(
    "US-1271.3(f)-STEPS",
    "processing steps read against the minimal-manipulation definition",
    "fda_mm_hu_guidance",
    "sections III-IV (examples)",
)
R_VECTOR = Rule(
    "US-351-VECTOR",
    "a cell-free nucleic-acid vector is not an HCT/P; gene therapy products are biologics "
    "licensed under section 351",
    "phs_act_351",
    "section 351(i) (biological product)",
)
R_NOT_CELLS = Rule(
    "US-NOT-HCTP-CELL-FREE",
    "no human cells or tissues: not an HCT/P",
    "cfr_1271",
    "21 CFR 1271.3(d)",
)
R_CELL_DERIVED = Rule(
    "US-351-CELL-DERIVED",
    "made of what human cells secrete (exosomes, extracellular vesicles) but holding no cells: "
    "not an HCT/P, yet a drug and biological product needing premarket review (FDA's public "
    "safety notification on exosome products, 2019-12-06)",
    "phs_act_351",
    "section 351(i) (biological product)",
)
R_XENO = Rule(
    "US-1271.3(d)(6)-XENO",
    "cells from animals are excluded from the HCT/P definition; xenotransplantation products "
    "are licensed biologics",
    "cfr_1271",
    "21 CFR 1271.3(d)(6)",
)
R_HCTP = Rule(
    "US-1271.3(d)",
    "human cells or tissues for implantation, transplantation, infusion or transfer: an HCT/P",
    "cfr_1271",
    "21 CFR 1271.3(d)",
)
R_SSP = Rule(
    "US-1271.15(b)",
    "autologous tissue removed and implanted in the same surgical procedure, only rinsed, "
    "cleansed, sized or shaped: not subject to Part 1271",
    "cfr_1271",
    "21 CFR 1271.15(b)",
)
R_SSP_NOT = Rule(
    "US-1271.15(b)-NOT-SUCH-HCTP",
    "processed beyond rinsing, cleansing, sizing and shaping: no longer 'such HCT/P', so the "
    "same surgical procedure exception does not apply",
    "fda_ssp_guidance",
    "section III",
)
R_A1 = Rule(
    "US-1271.10(a)(1)", "minimal manipulation criterion", "cfr_1271", "21 CFR 1271.10(a)(1)"
)
R_A2 = Rule("US-1271.10(a)(2)", "homologous use criterion", "cfr_1271", "21 CFR 1271.10(a)(2)")
R_A3 = Rule(
    "US-1271.10(a)(3)", "no combination with another article", "cfr_1271", "21 CFR 1271.10(a)(3)"
)
R_A4 = Rule(
    "US-1271.10(a)(4)",
    "no systemic effect and no dependence on living cells' metabolism, or autologous, "
    "first/second-degree relative or reproductive use",
    "cfr_1271",
    "21 CFR 1271.10(a)(4)",
)
R_361 = Rule(
    "US-1271.10(a)-MET",
    "all four 1271.10(a) criteria met: regulated solely under section 361 (no premarket review)",
    "phs_act_361",
    "section 361",
)
R_351 = Rule(
    "US-1271.20",
    "an HCT/P failing a 1271.10(a) criterion is regulated as a drug, device or biological "
    "product; cell products are licensed biologics under section 351",
    "cfr_1271",
    "21 CFR 1271.20",
)
R_DEVICE = Rule(
    "US-1271.20-DEVICE",
    "non-viable tissue acting by physical means, combined or processed: regulated as a device",
    "cfr_1271",
    "21 CFR 1271.20",
)
R_PMOA = Rule(
    "US-PART3-PMOA",
    "a cell-device combination product is assigned by its primary mode of action",
    "cfr_part_3",
    "21 CFR 3.4",
)


R_351_ANY_ORIGIN = Rule(
    "US-351-ANY-ORIGIN",
    "living cells processed beyond minimal manipulation, or used for another function than the "
    "tissue's own: whoever's they are (the patient's, a donor's or an animal's), the product "
    "needs premarket review as a biological product",
    "cfr_1271",
    "21 CFR 1271.10(a)(1)-(2), 1271.20; 1271.3(d)(6)",
)


def classify(facts: Facts) -> None:
    d = facts.decision
    d.extra = {"hctp_status": None}
    p = facts.profile
    if (
        p.origin is None
        and p.viable_cells
        and (p.manipulation is Manipulation.more_than_minimal or p.homologous_use is False)
    ):
        d.category = "biologic_351"
        d.fire(R_351_ANY_ORIGIN)
        d.open_pathways(["standard", "accelerated"])
        return
    origin = facts.need("origin", "whose cells are they (or none for a cell-free product)?")
    if origin is ProfileOrigin.none:
        d.extra["hctp_status"] = "not_hct_p"
        if facts.need("genetically_modified", "is the product a nucleic-acid vector?"):
            d.category = "biologic_351"
            d.fire(R_VECTOR)
            d.open_pathways(["standard", "accelerated"])
        elif facts.get("cell_derived"):
            d.category = "biologic_351"
            d.fire(R_CELL_DERIVED)
            d.open_pathways(["standard", "accelerated"])
        else:
            d.category = "not_hct_p"
            d.fire(R_NOT_CELLS)
        return
    if origin is ProfileOrigin.xenogeneic:
        d.extra["hctp_status"] = "not_hct_p"
        d.category = "biologic_351"
        d.fire(R_XENO)
        d.open_pathways(["standard", "accelerated"])
        return
    d.extra["hctp_status"] = "hct_p"
    d.fire(R_HCTP)
    if facts.get("genetically_modified"):
        manipulation: Manipulation | None = Manipulation.more_than_minimal
    else:
        manipulation = judge_manipulation(facts, MANIPULATION, R_STEPS, "minimal-manipulation test")
    ssp_open = False
    if origin is ProfileOrigin.autologous:
        same = facts.get("same_surgical_procedure")
        if same is None:
            ssp_open = manipulation is not Manipulation.more_than_minimal
        elif same and _same_surgery(facts, manipulation):
            return
    _tiers(facts, manipulation)
    if ssp_open and d.category is not None:
        facts.record(
            "same_surgical_procedure",
            "is the tissue removed and implanted in the same surgical procedure (1271.15(b))?",
        )
        d.alternative(
            "exempt_1271_15b",
            "if the autologous tissue is removed and implanted in the same surgical procedure "
            "and only rinsed, cleansed, sized or shaped, Part 1271 does not apply",
            "same_surgical_procedure",
        )


def _same_surgery(facts: Facts, manipulation: Manipulation | None) -> bool:
    d = facts.decision
    if not facts.get("same_surgical_procedure"):
        return False
    steps_given = facts.get("processing_steps")
    if steps_given is not None:
        extra = sorted(s.value for s in steps_given if s not in SSP_STEPS)
        if extra:
            d.fire(
                R_SSP_NOT,
                f"processing step(s) {', '.join(extra)} go beyond rinsing, "
                "cleansing, sizing and shaping: the same surgical procedure exception does "
                "not apply",
            )
            return False
    elif manipulation is not Manipulation.minimal or facts.get("combined_with_device_or_drug"):
        if manipulation is None:
            return False
        d.fire(R_SSP_NOT)
        return False
    d.category = "exempt_1271_15b"
    d.fire(R_SSP)
    if steps_given is None:
        d.alternative(
            "hct_p_361",
            "minimal manipulation is not enough: if the processing goes beyond rinsing, "
            "cleansing, sizing and shaping (e.g. cell isolation), it is no longer 'such HCT/P' "
            "and the 1271.10(a) criteria apply",
            "the list of processing steps (processing_steps)",
        )
    d.missing = []  # the exception was decided: questions of the 361 test are moot
    return True


def _tiers(facts: Facts, manipulation: Manipulation | None) -> None:
    d = facts.decision
    p = facts.profile
    failed: list[tuple[Rule, str]] = []
    if manipulation is Manipulation.more_than_minimal:
        failed.append((R_A1, "more than minimally manipulated: fails 1271.10(a)(1)"))
    homologous = facts.want("homologous_use", "same basic function in recipient as in donor?")
    if homologous is False:
        failed.append((R_A2, "not for homologous use: fails 1271.10(a)(2)"))
    combined = facts.want(
        "combined_with_device_or_drug",
        "combined with an article other than water, "
        "crystalloids or a sterilising/preserving/storage agent?",
    )
    if combined:
        failed.append((R_A3, "combined with another article: fails 1271.10(a)(3)"))
    a4 = _criterion_a4(facts)
    if a4 is False:
        failed.append(
            (
                R_A4,
                "systemic or metabolic action in an unrelated allogeneic "
                "recipient: fails 1271.10(a)(4)",
            )
        )
    if failed:
        for rule, text in failed:
            d.fire(rule, text)
        d.missing = []  # one failed criterion settles it
        _not_361(facts)
        return
    facts.stop_if_missing()
    for rule, text in (
        (R_A1, "minimally manipulated: meets 1271.10(a)(1)"),
        (R_A2, "homologous use: meets 1271.10(a)(2)"),
        (R_A3, "not combined with another article: meets 1271.10(a)(3)"),
        (R_A4, "meets 1271.10(a)(4)"),
    ):
        d.fire(rule, text)
    d.category = "hct_p_361"
    d.fire(R_361)
    if (
        p.intended_function is IntendedFunction.hematopoietic_reconstitution
        and p.donor_relation is not DonorRelation.unrelated
    ):
        _bone_marrow_alternative(d)


def _criterion_a4(facts: Facts) -> bool | None:
    p = facts.profile
    systemic = facts.want("systemic_effect", "does it act systemically?")
    metabolic = facts.want(
        "depends_on_living_cell_metabolism",
        "does its primary function depend on living cells' metabolic activity?",
    )
    if systemic is False and metabolic is False:
        return True
    if systemic is None and metabolic is None:
        return None
    if not (systemic or metabolic):
        return None  # one is False, the other unknown
    if p.origin is ProfileOrigin.autologous or p.intended_function is IntendedFunction.reproductive:
        return True
    relation = facts.want(
        "donor_relation", "is the donor a first- or second-degree blood relative?"
    )
    if relation is DonorRelation.first_or_second_degree_relative:
        return True
    if p.intended_function is None and relation is not None:
        facts.want("intended_function", "is it for reproductive use?")
        return None
    if relation is None:
        return None
    return False


def _not_361(facts: Facts) -> None:
    d = facts.decision
    p = facts.profile
    if p.viable_cells is False and p.depends_on_living_cell_metabolism is False:
        d.category = "device"
        d.fire(R_DEVICE)
        d.alternative(
            "biologic_351",
            "FDA may still regulate processed non-viable tissue as a biologic",
            "FDA's jurisdictional determination (Tissue Reference Group / request for designation)",
        )
        return
    d.category = "biologic_351"
    d.fire(R_351)
    d.open_pathways(["standard", "accelerated"])
    if p.integral_medical_device or p.combined_with_device_or_drug:
        d.fire(R_PMOA)
        d.alternative(
            "device",
            "living-cell constructs on a matrix or device (e.g. skin and wound constructs) "
            "have been approved as devices (PMA or HDE) when the device part gives the primary "
            "mode of action or the product was assigned to CDRH",
            "FDA's primary-mode-of-action assignment (request for designation, 21 CFR Part 3)",
        )
    if (
        p.intended_function is IntendedFunction.hematopoietic_reconstitution
        and p.manipulation is Manipulation.minimal
        and p.homologous_use
        and not p.combined_with_device_or_drug
    ):
        _bone_marrow_alternative(d)


def _bone_marrow_alternative(d) -> None:
    d.alternative(
        "not_hct_p",
        "if the source is bone marrow, minimally manipulated marrow for homologous use that is "
        "not combined with another article is not an HCT/P (HRSA rules apply instead)",
        "the tissue source: bone marrow vs cord blood or peripheral blood",
    )
