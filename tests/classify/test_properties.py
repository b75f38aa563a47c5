"""Property: any consistent profile is classified without error, and every decision is either
a category of the jurisdiction's vocabulary or names the attributes it is waiting for."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ctatlas.classify import ProfileError, classify, recorded_category
from ctatlas.classify.base import load_jurisdictions
from ctatlas.model import (
    DonorRelation,
    IntendedFunction,
    Manipulation,
    ProcessingStep,
    ProfileOrigin,
    Provider,
)

ALLOWED = {
    "JP": {
        "regenerative_medical_product_cell_processed",
        "regenerative_medical_product_gene_therapy",
        "not_regenerative_medical_product",
    },
    "KR": {
        "cell_therapy_product",
        "gene_therapy_product",
        "tissue_engineered_product",
        "advanced_combination_product",
        "not_a_biologic_under_cell_therapy_definition",
    },
    "US": {"hct_p_361", "biologic_351", "device", "exempt_1271_15b", "not_hct_p"},
    "EU": {"sctmp", "tep", "gtmp", "combined_atmp", "not_atmp"},
    "TW": {"regenerative_medicine_preparation", "not_regenerative_medicine_preparation"},
}
EXTRA = {
    "asrm_risk_class": {"I", "II", "III", "excluded_by_cabinet_order", "not_applicable", None},
    "clinical_research_risk": {"high", "medium", "low", "out_of_scope", "uncertain", None},
    "hctp_status": {"hct_p", "not_hct_p", None},
    "preparation_class": {"gene_therapy", "cell_therapy", "tissue_engineered", "combined", None},
}


def maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


profiles = st.fixed_dictionaries(
    {},
    optional={
        "origin": maybe(st.sampled_from([o.value for o in ProfileOrigin])),
        "manipulation": maybe(st.sampled_from([m.value for m in Manipulation])),
        "homologous_use": maybe(st.booleans()),
        "combined_with_device_or_drug": maybe(st.booleans()),
        "integral_medical_device": maybe(st.booleans()),
        "genetically_modified": maybe(st.booleans()),
        "systemic_effect": maybe(st.booleans()),
        "depends_on_living_cell_metabolism": maybe(st.booleans()),
        "stem_cell": maybe(st.booleans()),
        "pluripotent": maybe(st.booleans()),
        "viable_cells": maybe(st.booleans()),
        "intended_function": maybe(st.sampled_from([f.value for f in IntendedFunction])),
        "same_surgical_procedure": maybe(st.booleans()),
        "donor_relation": maybe(st.sampled_from([d.value for d in DonorRelation])),
        "cosmetic_purpose": maybe(st.booleans()),
        "provider": maybe(st.sampled_from([p.value for p in Provider])),
        "blood_product": maybe(st.booleans()),
        "processing_steps": maybe(
            st.lists(st.sampled_from([s.value for s in ProcessingStep]), max_size=4)
        ),
    },
)


@given(profiles)
def test_every_consistent_profile_gets_a_decision_or_a_question(data: dict) -> None:
    try:
        result = classify(data)
    except ProfileError:
        return  # a contradiction, reported as bad input
    files = load_jurisdictions()
    for code, decision in result.decisions.items():
        if decision.category is None:
            assert decision.missing, (code, data)
            assert decision.pathways == []
            continue
        assert decision.category in ALLOWED[code], (code, decision.category)
        recorded = recorded_category(decision)
        if recorded is None:
            assert decision.missing, (code, data)  # e.g. JP's product class is still open
        elif code == "JP" and recorded not in ALLOWED[code]:
            assert recorded in {c.id for c in files["JP"].categories}
        for name, value in decision.extra.items():
            if name in EXTRA:
                assert value in EXTRA[name], (code, name, value)
        known = {p.id for p in files[code].pathways}
        assert set(decision.pathways) <= known
        for alt in decision.alternatives:
            assert alt.reading and alt.would_settle
        _routes_fit_the_provider(code, decision, data.get("provider"))


def _routes_fit_the_provider(code: str, decision, provider: str | None) -> None:
    """A company gets no medical-practice route; where a medical-practice route exists (JP, KR,
    TW) a clinic or hospital gets no product approval; each route names its reviewer and cites
    where it is set out."""
    routes = [r["route"] for r in decision.routes]
    for route in decision.routes:
        assert route["reviewer"] and route["citations"], (code, route)
    if provider == "company":
        assert set(routes) <= {"product_approval"}, (code, routes)
    if provider in ("clinic", "hospital") and code in ("JP", "KR", "TW"):
        assert "product_approval" not in routes, (code, routes)
