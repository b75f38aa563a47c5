"""The classifier reads the atlas's cell-therapy names and codes (issue 15/16).

The therapy documents below are cut from the curated records in ``data/products/`` (en001,
tisagenlecleucel, jace, jacemin, onasemnogene-abeparvovec): only the fields the terms read.
"""

from __future__ import annotations

import copy

import pytest

from ctatlas.trials.atlas_terms import cell_terms, rule_version
from ctatlas.trials.classify import classify
from ctatlas.trials.record import Trial

EN001 = {
    "slug": "en001",
    "name": "allogeneic Wharton's jelly-derived mesenchymal stem cells (EN001)",
    "codes": ["EN001"],
    "aliases": [],
    "modality": "cell_therapy",
    "stem_type": "MSC",
    "origin": "allogeneic",
    "cell_type": "early-passage Wharton's jelly mesenchymal stem cells",
    "genetically_modified": False,
    "authorizations": [],
}
KYMRIAH = {
    "slug": "tisagenlecleucel",
    "name": "tisagenlecleucel",
    "codes": ["CTL019"],
    "aliases": ["Kymriah", "CTL019"],
    "modality": "gene_modified_cell",
    "stem_type": "not_applicable",
    "origin": "autologous",
    "cell_type": "CD19-directed CAR T cells",
    "genetically_modified": True,
    "authorizations": [
        {"brand_name": "Kymriah Suspension for Intravenous Infusion",
         "local_name": "キムリア点滴静注"},
    ],
}
JACE = {
    "slug": "jace",
    "name": "autologous cultured epidermis (human (autologous) epidermis-derived cell sheet)",
    "codes": [],
    "aliases": ["Autologous Cultured Epidermis"],
    "modality": "tissue_engineered",
    "stem_type": "not_applicable",
    "origin": "autologous",
    "cell_type": "epidermal keratinocytes (cultured epidermal cell sheet)",
    "genetically_modified": False,
    "authorizations": [{"brand_name": "JACE", "local_name": None}],
}
JACEMIN = {
    "slug": "jacemin",
    "name": "jacemin",
    "codes": ["ACE02"],
    "aliases": ["ACE02"],
    "modality": "tissue_engineered",
    "stem_type": "not_applicable",
    "origin": "autologous",
    "cell_type": "cultured melanocytes",
    "genetically_modified": False,
    "authorizations": [{"brand_name": "JACEMIN", "local_name": None}],
}
ZOLGENSMA = {
    "slug": "onasemnogene-abeparvovec",
    "name": "onasemnogene abeparvovec",
    "codes": ["AVXS-101"],
    "aliases": ["Zolgensma"],
    "modality": "gene_therapy",
    "stem_type": "not_applicable",
    "origin": "not_applicable",
    "cell_type": "not_applicable",
    "genetically_modified": True,
    "authorizations": [{"brand_name": "Zolgensma Intravenous Infusion",
                        "local_name": "ゾルゲンスマ点滴静注"}],
}
ATLAS = [EN001, KYMRIAH, JACE, JACEMIN, ZOLGENSMA]


def _t(title, interventions=(), summary=""):
    return Trial(
        source="ctgov",
        registry="ctgov",
        trial_id="NCT00000000",
        title=title,
        summary=summary,
        interventions=[
            {"type": t, "name": n, "description": d, "other_names": []} for t, n, d in interventions
        ],
    )


def _slugs(terms, text):
    return [t.slug for _, _, t in terms.find(text)]


def test_a_trial_naming_only_a_code_is_a_cell_therapy_with_the_atlas():
    terms = cell_terms(ATLAS)
    t = _t("Safety of EN001 in Duchenne Muscular Dystrophy", [("DRUG", "EN001", "")])
    assert classify(t).label == "not_cell"  # the record says nothing about cells
    c = classify(t, terms=terms)
    assert (c.label, c.cell_family, c.cell_class) == ("cell_therapy", "MSC", "stem")
    assert c.evidence[0]["rule"] == "cell.known_product.MSC"
    assert "EN001" in c.evidence[0]["text"]
    # named among the interventions: its origin is the atlas's
    assert c.origin == "allogeneic"
    assert {"field": "interventions[0]", "text": "allogeneic", "rule": "origin.allogeneic"} in (
        c.evidence
    )
    assert classify(t, known_products=False, terms=terms).label == "not_cell"


def test_origin_comes_from_the_atlas_only_for_a_therapy_among_the_interventions():
    terms = cell_terms(ATLAS)
    # named only in the title (it may be a prior therapy): the label, but not the origin
    t = _t("Long-term follow-up of patients given EN001")
    c = classify(t, terms=terms)
    assert c.label == "cell_therapy" and c.origin == "unknown"
    # the record's own words win over the atlas
    t = _t("EN001 study", [("BIOLOGICAL", "EN001", "autologous cells of the patient")])
    assert classify(t, terms=terms).origin == "autologous"


def test_a_gene_therapys_names_and_codes_are_never_evidence_of_cells():
    terms = cell_terms(ATLAS)
    for text in ("Zolgensma", "AVXS-101", "onasemnogene abeparvovec", "ゾルゲンスマ点滴静注"):
        assert terms.find(text) == [], text
        t = _t(f"A study of {text} in SMA", [("GENETIC", text, "")])
        assert classify(t, terms=terms).label == "not_cell"
    # a name shared by a gene therapy and a cell therapy tells nothing
    shared = copy.deepcopy(ZOLGENSMA)
    shared["codes"] = ["EN001"]
    assert cell_terms([EN001, shared]).find("EN001") == []


def test_codes_and_short_names_match_on_whole_words_only():
    terms = cell_terms(ATLAS)
    assert _slugs(terms, "EN001 injection") == ["en001"]
    assert _slugs(terms, "EN 001 and en-001") == ["en001", "en001"]
    assert _slugs(terms, "GEN0012 and EN0012 and XEN001") == []
    assert _slugs(terms, "JACEMIN for vitiligo") == ["jacemin"]
    assert _slugs(terms, "JACE graft, then JACEMIN") == ["jace", "jacemin"]
    # a short brand name counts only as written
    assert _slugs(terms, "jace graft") == []
    assert _slugs(terms, "Kymriah (CTL-019) キムリア点滴静注") == [
        "tisagenlecleucel", "tisagenlecleucel", "tisagenlecleucel"]
    # words that only spell a one-word name when joined are not it
    assert _slugs(terms, "EN 00 1") == []
    # descriptive names are not names
    assert _slugs(terms, "autologous cultured epidermis") == []


def test_the_rule_version_moves_with_the_atlas_codes():
    before = cell_terms(ATLAS)
    same = cell_terms(copy.deepcopy(ATLAS))
    assert rule_version(before) == rule_version(same)
    changed = copy.deepcopy(ATLAS)
    changed[0]["codes"] = ["EN001", "EN001-DMD"]
    assert rule_version(cell_terms(changed)) != rule_version(before)
    # a gene therapy's code is not read, so it changes nothing
    gene = copy.deepcopy(ATLAS)
    gene[-1]["codes"] = ["AVXS-101", "OAV101"]
    assert rule_version(cell_terms(gene)) == rule_version(before)
    assert rule_version(None) != rule_version(before)
    assert "en001" in before.words() and "avxs101" not in before.words()


TAK102 = {  # cut from data/products/tak-102.yaml
    "slug": "tak-102",
    "name": "GPC3-directed CAR-T cells armoured with IL-7 and CCL19 (TAK-102)",
    "codes": ["TAK-102", "NIB-102"],
    "modality": "gene_modified_cell",
    "stem_type": "not_applicable",
    "origin": "autologous",
    "cell_type": "GPC3-directed CAR T cells secreting IL-7 and CCL19 (PRIME)",
    "genetically_modified": True,
}


@pytest.mark.parametrize("workers", [1, 2])
def test_ingest_labels_with_the_atlas_terms_in_every_worker(tmp_path, workers):
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.store import TrialStore

    from .conftest import FIX

    terms = cell_terms([TAK102])
    store = TrialStore(f"sqlite:///{tmp_path / 'trials.sqlite'}")
    try:
        flat = FIX / "ctgov_flat" / "car_t_trials_labelled_subset.csv"
        summary = ingest([flat], store, workers=workers, terms=terms)
        assert summary.rules == rule_version(terms)
        row = store.find("NCT04405778")  # names only "TAK-102"
        assert (row["label"], row["cell_family"], row["origin"]) == (
            "cell_therapy", "CAR_T", "autologous")
    finally:
        store.close()


# rules 16.8, tuned on the tuning sets: an authorized product named in the title, while the
# registry's interventions give something else (NCT05993949: "Study of Brexucabtagene
# Autoleucel Plus Dasatinib ...", its one intervention dasatinib; NCT04319237: axi-cel in the
# title, questionnaires and neuropsychological tests as interventions)
def test_an_authorized_product_named_only_around_other_interventions_is_the_setting():
    terms = cell_terms(ATLAS)
    t = _t(
        "Study of Kymriah Plus Dasatinib in Adults With Acute Lymphoblastic Leukemia",
        [("DRUG", "Dasatinib", "")],
        "To assess oral dasatinib pulses during the first month following infusion of "
        "tisagenlecleucel (Kymriah).",
    )
    c = classify(t, terms=terms)
    assert c.label == "not_cell", c.evidence
    assert "negative.setting" in [e["rule"] for e in c.evidence]
    # the same product among the interventions: the study gives it
    given = _t(
        "Study of Kymriah Plus Dasatinib in Adults With Acute Lymphoblastic Leukemia",
        [("DRUG", "Dasatinib", ""), ("BIOLOGICAL", "Kymriah", "")],
    )
    assert classify(given, terms=terms).label == "cell_therapy"
    # a product not authorized anywhere, named only in the title, is still what is studied
    # (a code-only product whose intervention is written another way)
    coded = _t("Safety of EN001 in Duchenne Muscular Dystrophy", [("DRUG", "Dasatinib", "")])
    assert classify(coded, terms=terms).label == "cell_therapy"
    # and a follow-up of patients given the authorized product keeps it as its object
    follow = _t("Long-term follow-up of patients given Kymriah", [("OTHER", "Questionnaire", "")])
    assert classify(follow, terms=terms).label == "cell_therapy"
