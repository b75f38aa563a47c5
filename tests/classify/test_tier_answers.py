"""The classifier answers the tier question: which routes reach patients for the profile's
provider, and "regulated instead as ..." where a definition leaves the product out."""

from __future__ import annotations

from typer.testing import CliRunner

from ctatlas.classify import JURISDICTIONS, classify
from ctatlas.cli import build_app

from .helpers import CAR_T, expect, profile, rule_ids

#: Cultured autologous adipose-derived stem cells injected into a knee (a common clinic offer).
ADIPOSE = profile(
    origin="autologous",
    manipulation="more_than_minimal",
    stem_cell=True,
    homologous_use=False,
    intended_function="disease_treatment",
)


def _routes(result, code: str) -> list[tuple[str, str | None]]:
    return [(r["route"], r["class"]) for r in result.decisions[code].routes]


def test_classify_answers_all_five_jurisdictions_by_default() -> None:
    assert JURISDICTIONS == ("JP", "KR", "US", "EU", "TW")
    assert list(classify(ADIPOSE).decisions) == ["JP", "KR", "US", "EU", "TW"]


def test_japan_clinic_gets_the_asrm_route_and_class_not_product_approval() -> None:
    result = classify({**ADIPOSE, "provider": "clinic"}, ["JP"])
    assert _routes(result, "JP") == [("asrm", "asrm_class_ii")]
    route = result.decisions["JP"].routes[0]
    assert "specified certified" in route["reviewer"]
    assert any("kouseikyoku.mhlw.go.jp" in c["url"] for c in route["citations"])
    assert result.decisions["JP"].regulated_as["id"] == "medical_practice_asrm"
    assert "JP-ASRM-PRACTICE" in rule_ids(result, "JP")
    # the product question's answer is unchanged
    expect(result, "JP", category="regenerative_medical_product_cell_processed")


def test_japan_without_provider_lists_both_routes_and_a_company_only_the_product_route() -> None:
    both = classify(ADIPOSE, ["JP"])
    assert _routes(both, "JP") == [
        ("product_approval", "human_somatic_stem_cell_processed"),
        ("asrm", "asrm_class_ii"),
    ]
    assert both.decisions["JP"].regulated_as is None
    company = classify({**ADIPOSE, "provider": "company"}, ["JP"])
    assert _routes(company, "JP") == [("product_approval", "human_somatic_stem_cell_processed")]


def test_japan_gene_modified_cells_from_a_hospital_are_asrm_class_i_reviewed_centrally() -> None:
    result = classify({**CAR_T, "provider": "hospital"}, ["JP"])
    assert _routes(result, "JP") == [("asrm", "asrm_class_i")]
    assert "Health Sciences Council" in result.decisions["JP"].routes[0]["reviewer"]


def test_japan_unprocessed_cells_are_ordinary_medical_practice() -> None:
    washed = profile(origin="autologous", manipulation="minimal", homologous_use=True)
    result = classify({**washed, "intended_function": "structural_repair"}, ["JP"])
    expect(result, "JP", category="not_regenerative_medical_product")
    assert result.decisions["JP"].routes == []
    regulated = result.decisions["JP"].regulated_as
    assert regulated["id"] == "medical_practice"
    assert regulated["citations"][0]["law"] == "mhlw_processing_notice"


def test_korea_hospital_gets_the_research_and_treatment_tracks_with_the_risk_level() -> None:
    result = classify({**ADIPOSE, "provider": "hospital"}, ["KR"])
    assert _routes(result, "KR") == [("arba_research", "medium"), ("arba_treatment", None)]
    assert result.decisions["KR"].regulated_as["id"] == "medical_practice_arba"
    gene = classify({**CAR_T, "provider": "hospital"}, ["KR"])
    assert _routes(gene, "KR")[0] == ("arba_research", "high")
    assert "MFDS" in gene.decisions["KR"].routes[0]["reviewer"]


def test_taiwan_classes_and_routes() -> None:
    result = classify(CAR_T, ["TW"])
    expect(
        result, "TW", category="regenerative_medicine_preparation", preparation_class="gene_therapy"
    )
    assert "cell_therapy" in {a.category for a in result.decisions["TW"].alternatives}
    assert _routes(result, "TW") == [("product_approval", "gene_therapy"), ("tw_rm_act", None)]
    clinic = classify({**ADIPOSE, "provider": "clinic"}, ["TW"])
    assert _routes(clinic, "TW") == [("tw_rm_act", None)]
    assert clinic.decisions["TW"].regulated_as["id"] == "medical_practice_rm_act"


def test_taiwan_minimal_handling_is_outside_with_the_other_reading_stated() -> None:
    washed = profile(origin="autologous", manipulation="minimal", homologous_use=True)
    result = classify(washed, ["TW"])
    expect(result, "TW", category="not_regenerative_medicine_preparation")
    assert {a.category for a in result.decisions["TW"].alternatives} == {
        "regenerative_medicine_preparation"
    }


def test_taiwan_haematopoietic_transplantation_is_excluded_from_the_techniques() -> None:
    cord = profile(
        origin="allogeneic",
        manipulation="minimal",
        homologous_use=True,
        intended_function="hematopoietic_reconstitution",
    )
    result = classify(cord, ["TW"])
    assert result.decisions["TW"].regulated_as["id"] == "excluded_technique"
    assert "TW-RM-ACT-3-EXCLUDED" in rule_ids(result, "TW")


def test_blood_products_are_excluded_with_the_rule_of_each_jurisdiction() -> None:
    result = classify({"origin": "allogeneic", "blood_product": True}, ["US", "EU", "JP", "TW"])
    expect(result, "US", category="not_hct_p")
    assert rule_ids(result, "US") == ["US-1271.3(d)(2)-BLOOD"]
    assert result.decisions["US"].regulated_as["citations"][0]["article"] == "21 CFR 1271.3(d)(2)"
    for code in ("US", "EU", "JP", "TW"):
        assert result.decisions[code].regulated_as["id"] == "blood_product", code
        assert result.decisions[code].missing == []


def test_us_answers_what_it_is_regulated_as_when_not_a_biologic() -> None:
    acellular = classify({"origin": "none", "genetically_modified": False}, ["US"])
    assert acellular.decisions["US"].regulated_as["id"] == "not_cell_or_gene"
    tissue = profile(
        origin="allogeneic",
        manipulation="minimal",
        homologous_use=True,
        systemic_effect=False,
        depends_on_living_cell_metabolism=False,
        intended_function="structural_repair",
    )
    result = classify(tissue, ["US"])
    expect(result, "US", category="hct_p_361")
    assert result.decisions["US"].regulated_as["id"] == "hct_p_361_only"
    assert result.decisions["US"].routes == []


def test_eu_hospital_gets_the_hospital_exemption() -> None:
    result = classify({**ADIPOSE, "provider": "hospital"}, ["EU"])
    assert [r["route"] for r in result.decisions["EU"].routes] == ["hospital_exemption"]
    assert result.decisions["EU"].regulated_as["id"] == "hospital_exemption"


def test_text_output_shows_labels_and_json_keeps_the_ids(tmp_path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "\n".join(f"{k}: {str(v).lower()}" for k, v in {**ADIPOSE, "provider": "clinic"}.items()),
        encoding="utf-8",
    )
    runner = CliRunner()
    text = runner.invoke(build_app(), ["classify", str(path), "-j", "JP"])
    assert text.exit_code == 0, text.output
    assert "route: Regenerative medicine given by a medical institution (ASRM)" in text.output
    assert "(Class II regenerative medicine)" in text.output
    assert "regulated as: regenerative medicine given by a medical institution" in text.output
    as_json = runner.invoke(build_app(), ["classify", str(path), "-j", "JP", "-f", "json"])
    assert '"class": "asrm_class_ii"' in as_json.output


def test_korea_decides_gene_modified_cells_without_knowing_the_donor() -> None:
    car_t = {k: v for k, v in CAR_T.items() if k != "origin"}
    result = classify(car_t, ["KR"])
    expect(result, "KR", category="gene_therapy_product", clinical_research_risk="high")
    msc = classify({k: v for k, v in ADIPOSE.items() if k != "origin"}, ["KR"])
    expect(msc, "KR", category="cell_therapy_product", clinical_research_risk="uncertain")
    assert [m["attribute"] for m in msc.decisions["KR"].missing] == ["origin"]


def test_korea_separated_cells_carry_the_committees_low_risk_reading() -> None:
    bmmnc = profile(
        origin="autologous",
        manipulation="minimal",
        homologous_use=False,
        intended_function="disease_treatment",
    )
    result = classify(bmmnc, ["KR"])
    expect(result, "KR", clinical_research_risk="out_of_scope")
    alternatives = {(a.field, a.category) for a in result.decisions["KR"].alternatives}
    assert ("clinical_research_risk", "low") in alternatives


def test_korea_allogeneic_stem_cells_follow_the_committees_high_risk_rating() -> None:
    result = classify({**ADIPOSE, "origin": "allogeneic"}, ["KR"])
    expect(result, "KR", clinical_research_risk="high")
    alternatives = {(a.field, a.category) for a in result.decisions["KR"].alternatives}
    assert ("clinical_research_risk", "medium") in alternatives
    own = classify(ADIPOSE, ["KR"])
    assert not own.decisions["KR"].alternatives
