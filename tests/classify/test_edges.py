"""The hard edges the issue lists, each across the four jurisdictions, with the rule exercised."""

from __future__ import annotations

import pytest

from ctatlas.classify import JURISDICTIONS, classify, recorded_category

from .helpers import CAR_T, alt_values, expect, profile, rule_ids


def test_gene_modified_cells_are_cell_processed_in_japan_gene_therapy_in_eu_and_korea() -> None:
    result = classify(CAR_T)
    expect(
        result,
        "JP",
        category="regenerative_medical_product_cell_processed",
        product_class="human_somatic_cell_processed",
        asrm_risk_class="I",
    )
    assert "JP-PROCESSING-GENETIC" in rule_ids(result, "JP")
    expect(result, "KR", category="gene_therapy_product", clinical_research_risk="high")
    expect(result, "US", category="biologic_351", hctp_status="hct_p")
    expect(result, "EU", category="gtmp")
    assert "EU-GTMP-PRECEDENCE" in rule_ids(result, "EU")
    assert result.decisions["JP"].pathways == ["standard", "conditional_time_limited"]


def test_minimal_manipulation_but_non_homologous_use() -> None:
    # Bone-marrow cells, only concentrated, injected into the heart.
    data = profile(
        origin="autologous",
        processing_steps=["centrifugation", "concentration"],
        homologous_use=False,
        stem_cell=True,
        systemic_effect=False,
        depends_on_living_cell_metabolism=True,
        intended_function="disease_treatment",
    )
    result = classify(data)
    expect(result, "US", category="biologic_351")
    assert "US-1271.10(a)(2)" in rule_ids(result, "US")
    expect(result, "EU", category="sctmp")
    assert "EU-ENGINEERED-FUNCTION" in rule_ids(result, "EU")
    expect(result, "JP", product_class="human_somatic_stem_cell_processed", asrm_risk_class="II")
    assert "JP-PROCESSING-DIFFERENT-FUNCTION" in rule_ids(result, "JP")
    assert "not_regenerative_medical_product" in alt_values(result, "JP")
    expect(result, "KR", category="not_a_biologic_under_cell_therapy_definition")
    assert "cell_therapy_product" in alt_values(result, "KR")


def test_same_surgical_procedure_exception_cosmetic_fat_grafting() -> None:
    data = profile(
        origin="autologous",
        same_surgical_procedure=True,
        processing_steps=["washing"],
        homologous_use=True,
        intended_function="cosmetic_augmentation",
        cosmetic_purpose=True,
    )
    result = classify(data)
    expect(result, "US", category="exempt_1271_15b", alternatives=[], missing=[])
    expect(
        result,
        "KR",
        category="not_a_biologic_under_cell_therapy_definition",
        clinical_research_risk="out_of_scope",
    )
    expect(result, "EU", category="not_atmp")
    assert "EU-NOT-ENGINEERED" in rule_ids(result, "EU")
    expect(result, "JP", category="not_regenerative_medical_product")


def test_same_surgery_without_steps_offers_the_361_reading() -> None:
    data = profile(
        origin="autologous",
        same_surgical_procedure=True,
        manipulation="minimal",
        homologous_use=True,
        intended_function="structural_repair",
    )
    result = classify(data, ["US"])
    expect(result, "US", category="exempt_1271_15b")
    assert "hct_p_361" in alt_values(result, "US")


def test_allogeneic_cell_sheet_on_a_scaffold() -> None:
    data = profile(
        origin="allogeneic",
        processing_steps=["culture_expansion"],
        combined_with_device_or_drug=True,
        integral_medical_device=False,
        intended_function="structural_repair",
        homologous_use=True,
    )
    result = classify(data)
    expect(result, "EU", category="tep")
    expect(result, "KR", category="tissue_engineered_product")
    assert "KR-ARBA-2-5-c" in rule_ids(result, "KR")
    expect(result, "JP", product_class="human_somatic_cell_processed", asrm_risk_class="I")
    expect(result, "US", category="biologic_351")
    assert "US-1271.10(a)(3)" in rule_ids(result, "US")


def test_cells_with_an_integral_device_are_combined_products() -> None:
    data = profile(
        origin="autologous",
        manipulation="more_than_minimal",
        combined_with_device_or_drug=True,
        integral_medical_device=True,
        intended_function="structural_repair",
    )
    result = classify(data)
    expect(result, "EU", category="combined_atmp")
    expect(result, "KR", category="advanced_combination_product")
    expect(result, "US", category="biologic_351")
    assert "device" in alt_values(result, "US")
    assert "US-PART3-PMOA" in rule_ids(result, "US")


def test_cultured_chondrocytes_for_structural_repair_are_tep_in_eu() -> None:
    data = profile(
        origin="autologous",
        processing_steps=["culture_expansion"],
        homologous_use=True,
        intended_function="structural_repair",
    )
    result = classify(data)
    expect(result, "EU", category="tep")
    assert "EU-TEP" in rule_ids(result, "EU")
    expect(result, "KR", category="cell_therapy_product")
    assert "tissue_engineered_product" in alt_values(result, "KR")
    expect(result, "JP", asrm_risk_class="III")


def test_autologous_ips_derived_cells_are_still_class_i() -> None:
    data = profile(
        origin="autologous",
        manipulation="more_than_minimal",
        stem_cell=True,
        pluripotent=True,
        homologous_use=False,
        intended_function="disease_treatment",
    )
    result = classify(data)
    expect(result, "JP", product_class="human_es_ips_cell_processed", asrm_risk_class="I")
    assert "ES/iPS-derived cells" in result.decisions["JP"].rules[-1].text
    expect(result, "KR", category="cell_therapy_product", clinical_research_risk="high")
    expect(result, "EU", category="sctmp")


def test_cord_blood_for_an_unrelated_recipient() -> None:
    data = profile(
        origin="allogeneic",
        manipulation="minimal",
        homologous_use=True,
        stem_cell=True,
        systemic_effect=True,
        depends_on_living_cell_metabolism=True,
        donor_relation="unrelated",
        intended_function="hematopoietic_reconstitution",
    )
    result = classify(data)
    expect(result, "US", category="biologic_351")
    assert "not_hct_p" in alt_values(result, "US")  # if the source were bone marrow
    expect(
        result,
        "JP",
        category="not_regenerative_medical_product",
        asrm_risk_class="excluded_by_cabinet_order",
    )
    assert "JP-HSCT-ACT" in rule_ids(result, "JP")
    expect(result, "KR", category="not_a_biologic_under_cell_therapy_definition")
    assert "KR-CORD-BLOOD-ACT" in rule_ids(result, "KR")
    expect(result, "EU", category="not_atmp")


def test_cell_free_vector() -> None:
    data = profile(
        origin="none",
        genetically_modified=True,
        viable_cells=False,
        intended_function="disease_treatment",
    )
    result = classify(data)
    expect(
        result,
        "JP",
        category="regenerative_medical_product_gene_therapy",
        product_class="gene_therapy",
        asrm_risk_class="I",
    )
    assert "II" in alt_values(result, "JP", "asrm_risk_class")
    expect(result, "KR", category="gene_therapy_product", clinical_research_risk="high")
    expect(result, "US", category="biologic_351", hctp_status="not_hct_p")
    expect(result, "EU", category="gtmp")


def test_cell_free_non_genetic_product_is_outside_everywhere() -> None:
    result = classify(profile(origin="none", viable_cells=False))
    expect(result, "JP", category="not_regenerative_medical_product")
    expect(result, "KR", category="not_a_biologic_under_cell_therapy_definition")
    expect(result, "US", category="not_hct_p", hctp_status="not_hct_p")
    expect(result, "EU", category="not_atmp")


def test_xenogeneic_islets() -> None:
    data = profile(
        origin="xenogeneic",
        manipulation="more_than_minimal",
        homologous_use=False,
        intended_function="disease_treatment",
    )
    result = classify(data)
    expect(result, "JP", product_class="animal_cell_processed", asrm_risk_class="I")
    expect(result, "KR", category="cell_therapy_product", clinical_research_risk="high")
    expect(result, "EU", category="sctmp")


def test_allogeneic_msc_for_gvhd() -> None:
    data = profile(
        origin="allogeneic",
        processing_steps=["culture_expansion"],
        stem_cell=True,
        homologous_use=False,
        systemic_effect=True,
        depends_on_living_cell_metabolism=True,
        donor_relation="unrelated",
        intended_function="disease_treatment",
    )
    result = classify(data)
    expect(result, "JP", product_class="human_somatic_stem_cell_processed", asrm_risk_class="I")
    expect(result, "KR", category="cell_therapy_product", clinical_research_risk="high")
    expect(result, "US", category="biologic_351", pathways=["standard", "accelerated"])
    expect(result, "EU", category="sctmp")


def test_non_viable_engineered_cells_are_not_atmp_with_tep_reading() -> None:
    data = profile(
        origin="allogeneic",
        manipulation="more_than_minimal",
        viable_cells=False,
        depends_on_living_cell_metabolism=False,
        homologous_use=True,
        systemic_effect=False,
        intended_function="structural_repair",
    )
    result = classify(data)
    expect(result, "EU", category="not_atmp")
    assert "tep" in alt_values(result, "EU")
    expect(result, "US", category="device")


def test_own_cultured_somatic_cells_are_medium_risk_in_korea_with_the_2026_low_reading() -> None:
    data = profile(
        origin="autologous", manipulation="more_than_minimal", intended_function="disease_treatment"
    )
    result = classify(data, ["KR"])
    expect(result, "KR", category="cell_therapy_product", clinical_research_risk="medium")
    assert "KR-RESEARCH-MEDIUM-SOMATIC" in rule_ids(result, "KR")
    alternatives = {(a.field, a.category) for a in result.decisions["KR"].alternatives}
    assert ("clinical_research_risk", "low") in alternatives


def test_donor_somatic_cells_leave_the_korean_tier_uncertain() -> None:
    data = profile(
        origin="allogeneic", manipulation="more_than_minimal", intended_function="disease_treatment"
    )
    result = classify(data, ["KR"])
    expect(result, "KR", category="cell_therapy_product", clinical_research_risk="uncertain")
    assert "KR-RESEARCH-UNSETTLED" in rule_ids(result, "KR")


@pytest.mark.parametrize("code", JURISDICTIONS)
def test_unknown_attributes_are_reported_not_defaulted(code: str) -> None:
    result = classify({"origin": "autologous"}, [code])
    decision = result.decisions[code]
    assert decision.category is None
    assert recorded_category(decision) is None
    names = [m["attribute"] for m in decision.missing]
    assert names, "an undecided decision says what it would turn on"
    assert all(m["question"] for m in decision.missing)


def test_us_collects_every_open_361_criterion() -> None:
    result = classify({"origin": "allogeneic", "manipulation": "minimal"}, ["US"])
    names = {m["attribute"] for m in result.decisions["US"].missing}
    assert {"homologous_use", "combined_with_device_or_drug", "systemic_effect"} <= names


def test_one_failed_criterion_settles_the_us_tier() -> None:
    result = classify({"origin": "allogeneic", "manipulation": "more_than_minimal"}, ["US"])
    expect(result, "US", category="biologic_351", missing=[])


def test_an_unknown_same_surgery_fact_is_an_open_alternative() -> None:
    data = profile(
        origin="autologous",
        manipulation="minimal",
        homologous_use=True,
        systemic_effect=False,
        depends_on_living_cell_metabolism=False,
        intended_function="structural_repair",
    )
    del data["same_surgical_procedure"]
    result = classify(data, ["US"])
    expect(result, "US", category="hct_p_361")
    assert "exempt_1271_15b" in alt_values(result, "US")
    assert [m["attribute"] for m in result.decisions["US"].missing] == ["same_surgical_procedure"]


def test_suicide_gene_cells_may_be_classified_by_their_cells_in_the_eu() -> None:
    # The curated Zalmoxis record (data/products/nalotimagene-carmaleucel.yaml) is an sCTMP:
    # allogeneic T cells carrying a suicide gene, whose effect does not come from the gene.
    data = profile(
        origin="allogeneic",
        genetically_modified=True,
        manipulation="more_than_minimal",
        intended_function="disease_treatment",
    )
    result = classify(data, ["EU"])
    expect(result, "EU", category="gtmp")
    assert "sctmp" in alt_values(result, "EU")


def test_living_cell_wound_constructs_offer_the_device_reading_in_the_us() -> None:
    data = profile(
        origin="allogeneic",
        manipulation="more_than_minimal",
        combined_with_device_or_drug=True,
        integral_medical_device=False,
        intended_function="structural_repair",
    )
    result = classify(data, ["US"])
    expect(result, "US", category="biologic_351")
    assert "device" in alt_values(result, "US")
