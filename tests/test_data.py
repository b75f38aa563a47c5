"""The curated dataset itself: valid, canonical, and its counts pinned.

A lost or duplicated record changes a count here. When a record is added or corrected on
purpose, update the pinned number in the same commit (and say why in the message).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ctatlas.canonical import format_data
from ctatlas.dataset import Dataset, validate_dataset

REPO_DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    ds, problems = validate_dataset(REPO_DATA)
    assert ds is not None, "\n".join(p.format() for p in problems)
    return ds


def test_the_curated_data_validates_without_problems() -> None:
    _, problems = validate_dataset(REPO_DATA)
    assert [p.format() for p in problems] == []


def test_every_data_file_is_canonical() -> None:
    result = format_data(REPO_DATA, check=True)
    assert result.problems == []
    assert result.changed == [], "run `ctatlas fmt`"


def _auths(ds: Dataset, code: str) -> list[tuple[object, object]]:
    return [(p, a) for p in ds.products for a in p.authorizations if a.jurisdiction == code]


def test_authorizations_per_jurisdiction(dataset: Dataset) -> None:
    counts = Counter(a.jurisdiction for p in dataset.products for a in p.authorizations)
    assert dict(counts) == PINNED_PER_JURISDICTION


PINNED_PER_JURISDICTION = {
    "JP": 25,
    "KR": 29,
    "US": 55,
    "EU": 31,
    "CN": 12,
    "IN": 6,
    "SG": 2,
    "IR": 1,
    "MY": 1,
    "TW": 3,
    "SA": 2,
    "AE": 1,
    "BH": 1,
}


def test_japan_per_pathway_and_status(dataset: Dataset) -> None:
    auths = _auths(dataset, "JP")
    assert Counter(a.pathway.value for _, a in auths) == {
        "standard": 17,
        "conditional_time_limited": 8,
    }
    assert Counter(a.status.value for _, a in auths) == {"authorized": 23, "expired": 2}


def test_korea_per_status_and_cell_class(dataset: Dataset) -> None:
    auths = _auths(dataset, "KR")
    assert Counter(a.status.value for _, a in auths) == {
        "authorized": 21,
        "withdrawn": 7,
        "revoked": 1,
    }
    # MFDS's own count of stem-cell products is four
    assert Counter(p.cell_class.value for p, _ in auths) == {
        "somatic": 22,
        "stem": 4,
        "not_applicable": 3,
    }


def test_japan_and_korea_name_most_holders_in_the_local_script(dataset: Dataset) -> None:
    """The level reached when holder_local was filled (issue 17); a fall is a regression."""
    named = {
        code: sum(1 for _, a in _auths(dataset, code) if a.holder_local) for code in ("JP", "KR")
    }
    # all 25 in Japan and 28 of 29 in Korea (Hyalograft 3D's holder is unknown)
    assert named["JP"] >= 25 and named["KR"] >= 28, named
    # the local name is the holder's, not the brand's
    assert all(
        a.holder_local != a.local_name
        for code in ("JP", "KR")
        for _, a in _auths(dataset, code)
        if a.holder_local
    )


def test_china_per_modality_and_pathway(dataset: Dataset) -> None:
    auths = _auths(dataset, "CN")
    # eight CAR-Ts (pCAR-19B's date unknown), the first MSC medicine (conditional), three gene
    # therapies (2003, 2005, 2025); NMPA's side counts one or two more CAR-Ts, so CN is not
    # complete
    assert Counter(p.modality.value for p, _ in auths) == {
        "gene_modified_cell": 8,
        "cell_therapy": 1,
        "gene_therapy": 3,
    }
    assert Counter(a.pathway.value for _, a in auths) == {"standard": 11, "conditional": 1}
    assert dataset.jurisdictions["CN"].complete_as_of is None
    assert dataset.jurisdictions["CN"].coverage.startswith("Not complete")


def test_taiwan_is_not_yet_covered(dataset: Dataset) -> None:
    # three TFDA licences are recorded (Upstaza dated 2024; Kymriah and Zolgensma known only
    # to predate their reimbursement listings, so their approval events carry not_after), but
    # the search is not complete (a second CAR-T is unnamed, TFDA counts nine products), so
    # Taiwan must read "not yet covered", never a complete count
    auths = {p.slug: a for p, a in _auths(dataset, "TW")}
    assert set(auths) == {"tisagenlecleucel", "onasemnogene-abeparvovec", "eladocagene-exuparvovec"}
    assert auths["eladocagene-exuparvovec"].approval_date == "2024"
    bounds = {
        slug: (a.approval_date, a.status_history[0].date, a.status_history[0].not_after)
        for slug, a in auths.items()
    }
    assert bounds["tisagenlecleucel"] == (None, None, "2023-11")
    assert bounds["onasemnogene-abeparvovec"] == (None, None, "2023-08")
    assert dataset.jurisdictions["TW"].complete_as_of is None
    assert dataset.jurisdictions["TW"].coverage.startswith("Not complete")


def test_the_gulf_is_recorded_but_not_complete(dataset: Dataset) -> None:
    # Casgevy in Bahrain (2023-12), Saudi Arabia (2024) and the UAE (undated, bounded), and
    # Hemgenix dated by SFDA's own announcement; no register was searchable, so none is complete
    gulf = {
        code: sorted((p.slug, a.approval_date) for p, a in _auths(dataset, code))
        for code in ("SA", "AE", "BH")
    }
    assert gulf == {
        "SA": [("etranacogene-dezaparvovec", "2025-02"), ("exagamglogene-autotemcel", "2024")],
        "AE": [("exagamglogene-autotemcel", None)],
        "BH": [("exagamglogene-autotemcel", "2023-12")],
    }
    for code in gulf:
        assert dataset.jurisdictions[code].complete_as_of is None, code
        assert dataset.jurisdictions[code].coverage.startswith("Not complete"), code


def test_the_rest_of_asia_is_one_scope_and_not_claimed_complete(dataset: Dataset) -> None:
    # cell and gene therapies alike: Malaysia's first registered CGTP (Zolgensma, an AAV gene
    # therapy, DCA meeting of 2024-02-08) is recorded, not excluded as "not a cell product";
    # none of the four registers (HSA, NPRA, CDSCO, IFDA) was opened, so none reads complete
    my = [(p.slug, a.approval_date, a.holder) for p, a in _auths(dataset, "MY")]
    assert my == [
        ("onasemnogene-abeparvovec", "2024-02-08", "Novartis Corporation (Malaysia) Sdn. Bhd.")
    ]
    for code in ("SG", "MY", "IN", "IR"):
        assert dataset.jurisdictions[code].complete_as_of is None, code
        assert dataset.jurisdictions[code].coverage.startswith("Not complete"), code


def test_every_jurisdiction_with_products_says_how_complete_it_is(dataset: Dataset) -> None:
    # a date when the search was complete, or a coverage text that says it is not
    used = {a.jurisdiction for p in dataset.products for a in p.authorizations}
    for code in used:
        jur = dataset.jurisdictions[code]
        assert jur.complete_as_of is not None or (jur.coverage or "").startswith(
            "Not complete"
        ), code


def test_us_and_eu_per_status_and_category(dataset: Dataset) -> None:
    us = _auths(dataset, "US")
    assert Counter(a.status.value for _, a in us) == {"authorized": 55}
    assert Counter(a.category for _, a in us) == {"biologic_351": 53, "device": 2}
    eu = _auths(dataset, "EU")
    assert Counter(a.status.value for _, a in eu) == {
        "authorized": 22,
        "withdrawn": 7,
        "not_renewed": 2,
    }
    assert Counter(a.category for _, a in eu) == {
        "gtmp": 22,
        "sctmp": 5,
        "tep": 3,
        "combined_atmp": 1,
    }


def test_one_file_per_therapy_across_jurisdictions(dataset: Dataset) -> None:
    """A CAR-T approved in the US, the EU, Japan and Korea is one product, not four."""
    kymriah = dataset.product("tisagenlecleucel")
    assert {"JP", "KR", "US", "EU"} <= {a.jurisdiction for a in kymriah.authorizations}
