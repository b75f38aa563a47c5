from __future__ import annotations

from ctatlas.trials.link import link_products
from ctatlas.trials.record import Trial

PRODUCTS = [
    (
        "ciltacabtagene-autoleucel",
        ["ciltacabtagene autoleucel", "Carvykti"],
        ["JNJ-68284528", "LCAR-B38M"],
        [],
    ),
    ("cartistem", ["Cartistem"], ["MP-0201"], ["human umbilical cord blood-derived MSC"]),
    ("tisagenlecleucel", ["tisagenlecleucel", "Kymriah"], ["CTL019"], []),
]


def _t(tid, title, names=()):
    return Trial(
        source="ctgov",
        registry="ctgov",
        trial_id=tid,
        title=title,
        interventions=[{"type": "BIOLOGICAL", "name": n, "other_names": []} for n in names],
    )


def test_codes_names_and_fuzzy_aliases():
    trials = [
        _t("NCT1", "A Study of JNJ 68284528 in Multiple Myeloma"),
        _t("NCT2", "Cell therapy for knee cartilage", ["CARTISTEM®"]),
        _t("NCT3", "Stem cells for knee osteoarthritis"),
        _t("NCT4", "Tisagenlecleucell in follicular lymphoma"),  # misspelt
        _t("NCT5", "Study of CTL-019 in ALL"),
    ]
    assert link_products(trials, PRODUCTS) == {
        "NCT1": ["ciltacabtagene-autoleucel"],
        "NCT2": ["cartistem"],
        "NCT4": ["tisagenlecleucel"],
        "NCT5": ["tisagenlecleucel"],
    }


def test_dict_trials_and_store_roundtrip(store):
    from ctatlas.trials.ingest import ingest

    from .conftest import FIX

    ingest([FIX / "ctgov_legacy"], store)
    rows = list(store.query())
    links = link_products(rows, PRODUCTS)
    assert set(links) >= {"NCT01733186", "NCT01041001"}
    assert store.set_product_links(links) >= 2
    got = {r["trial_id"]: r["product_slugs"] for r in store.query()}
    assert got["NCT01733186"] == ["cartistem"]
