from __future__ import annotations

import pytest

from ctatlas.trials.record import (
    canonical_id,
    country_code,
    iso_date,
    normalise_phase,
    normalise_status,
    split_ids,
    sponsor_class_from_name,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NCT01234567", ("ctgov", "NCT01234567")),
        ("JPRN-jRCTs051180199", ("jrct", "jRCTs051180199")),
        ("JPRN-UMIN000037291", ("umin", "UMIN000037291")),
        ("JPRN-JapicCTI-194721", ("japic", "JapicCTI-194721")),
        ("EUCTR2016-005141-23-PT", ("euctr", "EUCTR2016-005141-23")),
        ("2018-004700-19", ("euctr", "EUCTR2018-004700-19")),
        ("KCT0004211", ("cris", "KCT0004211")),
        ("CTRI/2019/02/017575", ("ctri", "CTRI/2019/02/017575")),
        ("ChiCTR1900022258", ("chictr", "ChiCTR1900022258")),
        ("Nil Known", None),
        ("MK-3475-123", None),
    ],
)
def test_canonical_id(raw, expected):
    assert canonical_id(raw) == expected


def test_split_ids_keeps_only_registry_ids():
    assert split_ids("MS200527_0074;2018-004700-19;NCT03846466") == [
        "EUCTR2018-004700-19",
        "NCT03846466",
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PHASE1", ["1"]),
        ("EARLY_PHASE1", ["early_1"]),
        ("Phase 1/Phase 2", ["1", "2"]),
        ("Phase II/III", ["2", "3"]),
        ("Not Applicable", ["na"]),
        ("해당사항없음", ["na"]),
        ("1/2상", ["1", "2"]),
        ("", []),
        (
            "Human pharmacology (Phase I): yes Therapeutic exploratory (Phase II): no "
            "Therapeutic confirmatory - (Phase III): yes Therapeutic use (Phase IV): no",
            ["1", "3"],
        ),
    ],
)
def test_phases(raw, expected):
    assert normalise_phase(raw) == expected


def test_status_dates_countries_sponsors():
    assert normalise_status("ACTIVE_NOT_RECRUITING") == "active_not_recruiting"
    assert normalise_status("Not Recruiting") == "active_not_recruiting"
    assert normalise_status("something odd") == "unknown"
    assert iso_date("14/03/2019") == "2019-03-14"
    assert iso_date("January 7, 2013") == "2013-01-07"
    assert iso_date("2019-03") == "2019-03"
    assert iso_date("garbage") is None
    assert country_code("Korea, Republic of") == "KR"
    assert country_code("Iran (Islamic Republic of)") == "IR"
    assert country_code("Atlantis") is None
    assert sponsor_class_from_name("Medipost Co Ltd.") == "industry"
    assert sponsor_class_from_name("부산대학교병원") == "academic"
    assert sponsor_class_from_name("National Cancer Institute (NCI)") == "government"
    assert sponsor_class_from_name(None) == "unknown"
    assert sponsor_class_from_name("Anyone", "NIH") == "government"


def test_a_legacy_rows_location_keeps_a_country_name_with_a_comma():
    """"Seoul, Korea, Republic of": the country is the last two parts (was read as none)."""
    from ctatlas.trials.ctgov import normalise_legacy_row

    row = {
        "NCT Number": "NCT01041001",
        "Title": "Study to Compare Efficacy and Safety of Cartistem and Microfracture",
        "Locations": "Ewha Womans University Mokdong Hospital, Seoul, Korea, Republic of"
        "|Brigham and Women's Hospital, Chestnut Hill, Massachusetts, United States"
        "|Tehran University, Tehran, Iran, Islamic Republic of",
    }
    assert normalise_legacy_row(row).countries == ["KR", "US", "IR"]
