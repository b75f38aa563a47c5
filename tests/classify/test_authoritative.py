"""Cases taken from the regulators' own worked examples and classification outcomes.

Each case names its source (``tests/classify/sources.py``) and the rule it exercises.
"""

from __future__ import annotations

from typing import Any

import pytest

from ctatlas.classify import classify

from . import sources as S
from .helpers import alt_values, expect, profile, rule_ids

CASES: list[tuple[str, str, dict[str, Any], str, dict[str, Any], str]] = [
    # id, source, profile, jurisdiction, expected fields, rule that must fire
    (
        "fda-14-1-svf-enzymatic-digestion",
        S.FDA_MM_HU_EXAMPLES,
        profile(
            origin="autologous",
            processing_steps=["enzymatic_digestion", "centrifugation"],
            homologous_use=False,
            stem_cell=True,
            intended_function="disease_treatment",
        ),
        "US",
        {"category": "biologic_351", "hctp_status": "hct_p"},
        "US-1271.10(a)(1)",
    ),
    (
        "fda-11-1-decellularised-adipose-matrix",
        S.FDA_MM_HU_EXAMPLES,
        profile(
            origin="allogeneic",
            manipulation="more_than_minimal",
            viable_cells=False,
            homologous_use=True,
            systemic_effect=False,
            depends_on_living_cell_metabolism=False,
            intended_function="structural_repair",
        ),
        "US",
        {"hctp_status": "hct_p"},
        "US-1271.10(a)(1)",
    ),
    (
        "fda-adipose-for-arthritis-non-homologous",
        S.FDA_ADIPOSE_HU,
        profile(
            origin="autologous",
            manipulation="minimal",
            homologous_use=False,
            systemic_effect=False,
            depends_on_living_cell_metabolism=False,
            intended_function="disease_treatment",
        ),
        "US",
        {"category": "biologic_351"},
        "US-1271.10(a)(2)",
    ),
    (
        "fda-ssp-7-1-centrifuged-lipoaspirate",
        S.FDA_SSP,
        profile(
            origin="autologous",
            same_surgical_procedure=True,
            processing_steps=["centrifugation", "washing"],
            homologous_use=True,
            intended_function="cosmetic_augmentation",
            cosmetic_purpose=True,
        ),
        "US",
        {"category": "exempt_1271_15b", "missing": []},
        "US-1271.15(b)",
    ),
    (
        "fda-ssp-svf-is-not-such-hctp",
        S.FDA_SSP_SCOPE,
        profile(
            origin="autologous",
            same_surgical_procedure=True,
            processing_steps=["enzymatic_digestion", "centrifugation"],
            stem_cell=True,
            homologous_use=False,
            intended_function="disease_treatment",
        ),
        "US",
        {"category": "biologic_351"},
        "US-1271.15(b)-NOT-SUCH-HCTP",
    ),
    (
        "fda-unrelated-cord-blood-needs-bla",
        S.FDA_CORD_BLOOD,
        profile(
            origin="allogeneic",
            manipulation="minimal",
            homologous_use=True,
            systemic_effect=True,
            depends_on_living_cell_metabolism=True,
            stem_cell=True,
            donor_relation="unrelated",
            intended_function="hematopoietic_reconstitution",
        ),
        "US",
        {"category": "biologic_351", "hctp_status": "hct_p"},
        "US-1271.10(a)(4)",
    ),
    (
        "cfr-cord-blood-for-sibling-is-361",
        S.CFR_1271_10,
        profile(
            origin="allogeneic",
            manipulation="minimal",
            homologous_use=True,
            systemic_effect=True,
            depends_on_living_cell_metabolism=True,
            stem_cell=True,
            donor_relation="first_or_second_degree_relative",
            intended_function="hematopoietic_reconstitution",
        ),
        "US",
        {"category": "hct_p_361"},
        "US-1271.10(a)-MET",
    ),
    (
        "fda-skin-for-skin-structural-allograft",
        S.FDA_HOMOLOGOUS_SKIN,
        profile(
            origin="allogeneic",
            manipulation="minimal",
            homologous_use=True,
            systemic_effect=False,
            depends_on_living_cell_metabolism=False,
            donor_relation="unrelated",
            intended_function="structural_repair",
        ),
        "US",
        {"category": "hct_p_361"},
        "US-1271.10(a)-MET",
    ),
    (
        "cfr-xenogeneic-cells-are-not-hctps",
        S.CFR_1271_3,
        profile(
            origin="xenogeneic",
            manipulation="more_than_minimal",
            intended_function="disease_treatment",
        ),
        "US",
        {"category": "biologic_351", "hctp_status": "not_hct_p"},
        "US-1271.3(d)(6)-XENO",
    ),
    (
        "cat-2019-expanded-allogeneic-bm-msc-gvhd",
        S.EMA_CAT_LIST,
        profile(
            origin="allogeneic",
            processing_steps=["culture_expansion"],
            stem_cell=True,
            homologous_use=False,
            intended_function="disease_treatment",
        ),
        "EU",
        {"category": "sctmp"},
        "EU-SCTMP",
    ),
    (
        "cat-2019-plasmid-il12-melanoma",
        S.EMA_CAT_LIST,
        profile(
            origin="none",
            genetically_modified=True,
            viable_cells=False,
            intended_function="disease_treatment",
        ),
        "EU",
        {"category": "gtmp"},
        "EU-GTMP-VECTOR",
    ),
    (
        "cat-2019-raav8-rpgr-retinitis-pigmentosa",
        S.EMA_CAT_LIST,
        profile(origin="none", genetically_modified=True, viable_cells=False),
        "EU",
        {"category": "gtmp", "pathways": ["standard", "conditional", "exceptional_circumstances"]},
        "EU-GTMP-VECTOR",
    ),
    (
        "cat-2019-adipose-msc-diabetic-foot-ulcer",
        S.EMA_CAT_OCT_2019,
        profile(
            origin="autologous",
            processing_steps=["enzymatic_digestion", "culture_expansion"],
            stem_cell=True,
            intended_function="structural_repair",
        ),
        "EU",
        {"category": "tep"},
        "EU-TEP",
    ),
    (
        "cat-2019-adipose-msc-cartilage-defects",
        S.EMA_CAT_OCT_2019,
        profile(
            origin="allogeneic",
            manipulation="more_than_minimal",
            stem_cell=True,
            intended_function="structural_repair",
        ),
        "EU",
        {"category": "tep"},
        "EU-ENGINEERED-MANIPULATION",
    ),
    (
        "cat-2019-prp-plus-svf-perianal-fistula",
        S.EMA_CAT_OCT_2019,
        profile(
            origin="autologous",
            processing_steps=["enzymatic_digestion", "centrifugation"],
            homologous_use=False,
            stem_cell=True,
            intended_function="structural_repair",
        ),
        "EU",
        {"category": "tep", "missing": []},
        "EU-ENGINEERED-FUNCTION",
    ),
    (
        "cat-2018-expanded-auricular-chondrocytes-microtia",
        S.EMA_CAT_MAR_2018,
        profile(
            origin="autologous",
            processing_steps=["culture_expansion"],
            intended_function="structural_repair",
        ),
        "EU",
        {"category": "tep"},
        "EU-TEP",
    ),
    (
        "mhlw-1031-adipose-stem-cells-iv-for-diabetes",
        S.MHLW_1031,
        profile(
            origin="autologous",
            processing_steps=["separation"],
            stem_cell=True,
            homologous_use=False,
            intended_function="disease_treatment",
        ),
        "JP",
        {
            "category": "regenerative_medical_product_cell_processed",
            "product_class": "human_somatic_stem_cell_processed",
            "asrm_risk_class": "II",
        },
        "JP-PROCESSING-DIFFERENT-FUNCTION",
    ),
    (
        "mhlw-1031-prp-into-joint-not-homologous",
        S.MHLW_1031,
        profile(
            origin="autologous",
            processing_steps=["centrifugation"],
            homologous_use=False,
            intended_function="disease_treatment",
        ),
        "JP",
        {"asrm_risk_class": "II", "product_class": "human_somatic_cell_processed"},
        "JP-ASRM-CLASS-II",
    ),
    (
        "mhlw-1031-prp-to-skin-is-homologous",
        S.MHLW_1031,
        profile(
            origin="autologous",
            processing_steps=["centrifugation"],
            homologous_use=True,
            intended_function="cosmetic_augmentation",
            cosmetic_purpose=True,
        ),
        "JP",
        {"category": "not_regenerative_medical_product", "asrm_risk_class": "not_applicable"},
        "JP-NOT-PROCESSED",
    ),
    (
        "mhlw-processing-culture-is-processing",
        S.MHLW_PROCESSING,
        profile(
            origin="autologous",
            processing_steps=["culture_expansion", "freezing"],
            homologous_use=True,
            intended_function="structural_repair",
        ),
        "JP",
        {
            "category": "regenerative_medical_product_cell_processed",
            "product_class": "human_somatic_cell_processed",
            "asrm_risk_class": "III",
        },
        "JP-PROCESSING-STEPS",
    ),
    (
        "mhlw-processing-washing-freezing-are-not",
        S.MHLW_PROCESSING,
        profile(
            origin="allogeneic",
            processing_steps=["washing", "freezing", "sterilisation"],
            homologous_use=True,
            intended_function="structural_repair",
        ),
        "JP",
        {"category": "not_regenerative_medical_product"},
        "JP-NOT-PROCESSED",
    ),
    (
        "asrm-class-i-allogeneic-cells",
        S.ASRM_CLASS_I,
        profile(
            origin="allogeneic",
            manipulation="more_than_minimal",
            stem_cell=True,
            intended_function="disease_treatment",
        ),
        "JP",
        {"asrm_risk_class": "I"},
        "JP-ASRM-CLASS-I",
    ),
    (
        "kfda-2008-cultured-fat-cells-for-face",
        S.KFDA_2008_CULTURED_FAT,
        profile(
            origin="autologous",
            processing_steps=["culture_expansion"],
            stem_cell=True,
            intended_function="cosmetic_augmentation",
            cosmetic_purpose=True,
        ),
        "KR",
        {"category": "cell_therapy_product", "clinical_research_risk": "out_of_scope"},
        "KR-ARBA-2-5-a",
    ),
    (
        "kfda-2008-separated-fat-cells-reinjected",
        S.KFDA_2008_CULTURED_FAT,
        profile(
            origin="autologous",
            processing_steps=["separation", "washing"],
            intended_function="cosmetic_augmentation",
            cosmetic_purpose=True,
        ),
        "KR",
        {"category": "not_a_biologic_under_cell_therapy_definition"},
        "KR-MINIMAL-EXCLUSION",
    ),
    (
        "kfda-2008-aseptic-centrifugation-is-minimal",
        S.KFDA_2008_MINIMAL,
        profile(
            origin="autologous",
            processing_steps=["centrifugation", "washing"],
            intended_function="disease_treatment",
        ),
        "KR",
        {
            "category": "not_a_biologic_under_cell_therapy_definition",
            "clinical_research_risk": "out_of_scope",
        },
        "KR-MANIPULATION-STEPS",
    ),
    (
        "kr-decree-gene-modified-cells-are-gene-therapy",
        S.KR_DECREE_GENE,
        profile(
            origin="autologous",
            genetically_modified=True,
            processing_steps=["genetic_modification", "culture_expansion"],
            intended_function="disease_treatment",
        ),
        "KR",
        {"category": "gene_therapy_product", "clinical_research_risk": "high"},
        "KR-ARBA-2-5-b-CELLS",
    ),
    (
        "karm-cosmetic-procedures-outside-arba",
        S.KR_KARM_SCOPE,
        profile(
            origin="allogeneic",
            manipulation="more_than_minimal",
            stem_cell=True,
            intended_function="cosmetic_augmentation",
            cosmetic_purpose=True,
        ),
        "KR",
        {"clinical_research_risk": "out_of_scope"},
        "KR-RESEARCH-SCOPE-COSMETIC",
    ),
]


@pytest.mark.parametrize(
    ("source", "data", "code", "fields", "rule"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_authoritative_example(
    source: str, data: dict[str, Any], code: str, fields: dict[str, Any], rule: str
) -> None:
    assert source  # every case names its source
    result = classify(data, [code])
    expect(result, code, **fields)
    assert rule in rule_ids(result, code)


def test_authoritative_cases_are_at_least_twenty() -> None:
    assert len(CASES) >= 20
    assert len({c[0] for c in CASES}) == len(CASES)


def test_decellularised_matrix_is_not_361_and_device_reading_is_offered() -> None:
    # S.FDA_MM_HU_EXAMPLES, Example 11-1: more than minimally manipulated.
    data = CASES[1][2]
    result = classify(data, ["US"])
    assert result.decisions["US"].category in {"device", "biologic_351"}
    assert "biologic_351" in alt_values(result, "US") | {result.decisions["US"].category}


def test_kfda_2008_enzyme_treatment_left_open() -> None:
    # S.KFDA_2008_MINIMAL: enzyme treatment was left for case-by-case review.
    result = classify(
        profile(
            origin="autologous",
            processing_steps=["enzymatic_digestion"],
            intended_function="disease_treatment",
        ),
        ["KR"],
    )
    decision = result.decisions["KR"]
    assert decision.category is None
    assert [m["attribute"] for m in decision.missing] == ["manipulation"]
    assert "enzymatic_digestion" in decision.missing[0]["question"]


def test_mhlw_prp_to_skin_offers_class_iii_reading() -> None:
    # S.MHLW_1031: PRP applied to skin is homologous; MHLW practice treats it as Class III.
    result = classify(CASES[18][2], ["JP"])
    assert "III" in alt_values(result, "JP", "asrm_risk_class")
