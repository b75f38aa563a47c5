"""The landscape as of a date: later approvals drop out, later withdrawals are undone."""

from __future__ import annotations

import datetime as dt

import pytest

from ctatlas.analysis import authorization_as_of, landscape_from_dataset
from ctatlas.dataset import Dataset
from ctatlas.errors import BadInput


def _auths(land, slug):
    return {a["jurisdiction"]: a for d in land.products if d["slug"] == slug
            for a in d["authorizations"]}


def test_today_keeps_everything(report_dataset: Dataset) -> None:
    land = landscape_from_dataset(report_dataset)
    assert len(land.products) == len(report_dataset.products) == 11
    assert len(land.authorizations()) == sum(len(p.authorizations) for p in report_dataset.products)
    assert land.selected[:4] == ["JP", "KR", "US", "EU"]
    assert _auths(land, "betibeglogene-autotemcel")["EU"]["status"] == "withdrawn"


def test_as_of_drops_products_approved_later(report_dataset: Dataset) -> None:
    land = landscape_from_dataset(report_dataset, as_of="2018-12-31")
    slugs = {d["slug"] for d in land.products}
    # Zynteglo: EU 2019-05-29, US 2022-08-17 -> not yet approved anywhere
    assert "betibeglogene-autotemcel" not in slugs
    # Kymriah: US 2017 and EU 2018 only; JP 2019, KR and SG 2021 come later
    assert set(_auths(land, "tisagenlecleucel")) == {"US", "EU"}
    # STEMIRAC: approved 2018-12-28, three days before
    assert "stemirac" in slugs
    assert len(land.products) == 10


def test_as_of_restores_a_later_withdrawal(report_dataset: Dataset) -> None:
    land = landscape_from_dataset(report_dataset, as_of="2021-12-31")
    eu = _auths(land, "betibeglogene-autotemcel")["EU"]
    assert eu["status"] == "authorized"  # withdrawn 2022-03-24
    assert [e["event"] for e in eu["status_history"]] == ["conditionally_approved"]
    assert "US" not in _auths(land, "betibeglogene-autotemcel")
    # HeartSheet expired in 2024: authorized again at the end of 2023
    land = landscape_from_dataset(report_dataset, as_of="2023-12-31")
    assert _auths(land, "heartsheet")["JP"]["status"] == "authorized"
    land = landscape_from_dataset(report_dataset, as_of="2024-06-30")
    assert _auths(land, "heartsheet")["JP"]["status"] == "expired"


def test_as_of_rebuilds_indications_and_category(report_dataset: Dataset) -> None:
    # JACE: burns from 2007, giant congenital nevus added 2016-09-29, EB added 2018-12-28;
    # a medical device until the PMD Act took effect on 2014-11-25.
    def jace(day: str) -> dict:
        return _auths(landscape_from_dataset(report_dataset, as_of=day), "jace")["JP"]

    assert len(jace("2015-01-01")["indications"]) == 1
    assert len(jace("2017-01-01")["indications"]) == 2
    assert len(jace("2019-01-01")["indications"]) == 3
    assert jace("2010-01-01")["category"] == "medical_device_pal"
    assert jace("2015-01-01")["category"] == "human_somatic_cell_processed"


def test_authorization_not_yet_granted_is_none() -> None:
    auth = {
        "approval_date": "2020-05",
        "status": "authorized",
        "status_history": [{"date": "2020-05", "event": "approved"}],
        "indications": [{"text": "x", "disease_ids": []}],
    }
    assert authorization_as_of(auth, dt.date(2020, 4, 30)) is None
    assert authorization_as_of(auth, dt.date(2020, 5, 1))["status"] == "authorized"


def test_approval_date_falls_back_on_the_history() -> None:
    from ctatlas.analysis.landscape import approval_date

    auth = {"approval_date": None,
            "status_history": [{"date": "2024-08-20", "event": "approved"}]}
    assert approval_date(auth) == "2024-08-20"
    # an approval reported but undated (China's pCAR-19B in data/) gives no date, no error
    undated = {"approval_date": None, "status_history": [{"date": None, "event": "approved"}]}
    assert approval_date(undated) is None


def test_jurisdiction_selection(report_dataset: Dataset) -> None:
    land = landscape_from_dataset(report_dataset, ["kr", "JP"])
    assert land.selected == ["JP", "KR"]
    assert {a["jurisdiction"] for _, a in land.authorizations()} == {"JP", "KR"}
    assert set(land.jurisdictions) == {"JP", "KR"}
    with pytest.raises(BadInput, match="unknown jurisdiction XX"):
        landscape_from_dataset(report_dataset, ["XX"])
    with pytest.raises(BadInput, match="not a date"):
        landscape_from_dataset(report_dataset, as_of="2018-13-01")
