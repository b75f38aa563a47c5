"""Conditional approvals followed to their outcome, computed from real records' histories and
terms as of a day, read back from a real store on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from ctatlas.conditional import assess, conversion_rates, tracker_rows

D = dt.date.fromisoformat


def _row(store, brand: str, day: str) -> dict:  # type: ignore[no-untyped-def]
    rows = [r for r in tracker_rows(store.products(), D(day)) if r["brand_name"] == brand]
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.parametrize("any_db_url", ["sqlite", "postgres"], indirect=True)
def test_heartsheet_through_its_life(conditional_store) -> None:  # type: ignore[no-untyped-def]
    """Japan's first conditional approval: in term, extended, applied for, then lapsed."""
    first = _row(conditional_store, "HeartSheet", "2018-01-01")
    assert (first["outcome"], first["outcome_date"]) == ("in_term", "2015-09-18")
    assert first["deadline"] == "2020-09-17"
    assert first["days_left"] == (D("2020-09-17") - D("2018-01-01")).days
    extended = _row(conditional_store, "HeartSheet", "2019-06-01")
    assert (extended["outcome"], extended["outcome_date"]) == ("renewed", "2019-01-24")
    assert extended["deadline"] == "2023-09-17"
    pending = _row(conditional_store, "HeartSheet", "2023-12-01")
    assert (pending["outcome"], pending["outcome_date"]) == ("full_application_pending", "2023-09")
    assert pending["status"] == "authorized"  # the legal status is untouched
    assert pending["days_left"] == -(D("2023-12-01") - D("2023-09-17")).days  # overdue
    lapsed = _row(conditional_store, "HeartSheet", "2026-12-06")
    assert (lapsed["outcome"], lapsed["outcome_date"], lapsed["days_left"]) == (
        "expired",
        "2024",
        None,
    )


@pytest.mark.parametrize("any_db_url", ["sqlite", "postgres"], indirect=True)
def test_other_outcomes_on_real_records(conditional_store) -> None:  # type: ignore[no-untyped-def]
    # STEMIRAC: applied inside its term (to 2025-12), still pending after it
    assert _row(conditional_store, "STEMIRAC for Injection", "2025-11-01")["days_left"] == 60
    stemirac = _row(conditional_store, "STEMIRAC for Injection", "2026-06-01")
    assert (stemirac["outcome"], stemirac["outcome_date"]) == (
        "full_application_pending",
        "2025-11-14",
    )
    # Collategene: the pending application kept it alive past 2024-03; its withdrawal ended it
    assert (
        _row(conditional_store, "Collategene Intramuscular Injection 4 mg", "2024-05-01")["outcome"]
        == "full_application_pending"
    )
    colla = _row(conditional_store, "Collategene Intramuscular Injection 4 mg", "2024-07-01")
    assert (colla["outcome"], colla["outcome_date"]) == ("expired", "2024-06-27")
    # EU: Holoclar converted to a standard authorization, Zynteglo withdrawn
    holoclar = _row(conditional_store, "Holoclar", "2024-03-01")
    assert (holoclar["outcome"], holoclar["outcome_date"]) == ("converted", "2024-02-22")
    assert _row(conditional_store, "Holoclar", "2024-02-21")["outcome"] == "in_term"
    assert _row(conditional_store, "Zynteglo", "2022-03-24")["outcome"] == "withdrawn"
    assert _row(conditional_store, "Zynteglo", "2022-03-23")["outcome"] == "in_term"
    # KR: Rosmir converted; US: Elevidys's accelerated approval converted
    assert _row(conditional_store, "Rosmir", "2025-01-01")["outcome"] == "converted"
    assert _row(conditional_store, "ELEVIDYS", "2024-06-30")["outcome"] == "converted"
    assert _row(conditional_store, "ELEVIDYS", "2024-05-31")["deadline"] is None  # no fixed term
    # before the grant there is no row at all
    assert not [
        r
        for r in tracker_rows(conditional_store.products(), D("2015-01-01"))
        if r["brand_name"] == "HeartSheet"
    ]


@pytest.mark.parametrize("any_db_url", ["sqlite", "postgres"], indirect=True)
def test_json_carries_the_outcome_computed_for_today(conditional_store) -> None:  # type: ignore[no-untyped-def]
    doc = conditional_store.product("heartsheet")
    auth = doc["authorizations"][0]
    assert auth["status"] == "expired"
    assert auth["conditional_outcome"] == "expired"
    assert auth["conditional_outcome_date"] == "2024"
    assert auth["conditional_as_of"] == dt.datetime.now(dt.UTC).date().isoformat()
    # a standard authorization carries none of it
    bb = conditional_store.product("betibeglogene-autotemcel")
    us = next(a for a in bb["authorizations"] if a["jurisdiction"] == "US")
    assert us["pathway"] == "standard" and "conditional_outcome" not in us


def test_computed_expiry_when_no_application_is_recorded(
    conditional_data: Path, sqlite_url: str
) -> None:
    """The same real record without its application event: the term passing ends it, dated
    the term's last day, though nothing in the history says 'expired' yet."""
    from ctatlas.dataset import load_dataset
    from ctatlas.store import build_store, open_store

    path = conditional_data / "products" / "heartsheet.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    history = doc["authorizations"][0]["status_history"]
    doc["authorizations"][0]["status_history"] = [
        e for e in history if e["event"] != "full_application_filed"
    ]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build_store(load_dataset(conditional_data), sqlite_url)
    row = _row(open_store(sqlite_url), "HeartSheet", "2023-12-01")
    assert (row["outcome"], row["outcome_date"], row["status"]) == (
        "expired",
        "2023-09-17",
        "authorized",
    )


def test_each_ending_event_and_reinstatement() -> None:
    """The rule for the outcomes no record has reached yet (revoked, not renewed) and for a
    reinstatement, on the shape of a Korean conditional licence (granted 2014-07-30)."""
    granted = "2014-07-30"
    base = [{"date": granted, "event": "conditionally_approved"}]
    day = D("2026-01-01")
    for event, outcome in [
        ("revoked", "revoked"),
        ("not_renewed", "not_renewed"),
        ("withdrawn", "withdrawn"),
        ("expired", "expired"),
        ("converted_to_full", "converted"),
    ]:
        got = assess(granted, None, [*base, {"date": "2024-12", "event": event}], day)
        assert (got["conditional_outcome"], got["conditional_outcome_date"]) == (outcome, "2024-12")
        assert got["conditional_days_left"] is None
    back = [*base, {"date": "2020", "event": "revoked"}, {"date": "2021-03", "event": "reinstated"}]
    assert assess(granted, None, back, day)["conditional_outcome"] == "in_term"
    renewed = [*base, {"date": "2019-07-29", "event": "renewed", "until": "2024-07-29"}]
    got = assess(granted, "2019-07-29", renewed, D("2022-01-01"))
    assert (got["conditional_outcome"], got["conditional_deadline"]) == ("renewed", "2024-07-29")
    assert (
        assess(granted, "2019-07-29", renewed, D("2024-07-30"))["conditional_outcome"] == "expired"
    )
    # an undated event counts from its not_after
    undated = [*base, {"date": None, "not_after": "2021", "event": "withdrawn", "note": "x"}]
    assert assess(granted, None, undated, D("2021-06-01"))["conditional_outcome"] == "withdrawn"


@pytest.mark.parametrize("any_db_url", ["sqlite", "postgres"], indirect=True)
def test_conversion_rate_per_jurisdiction(conditional_store) -> None:  # type: ignore[no-untyped-def]
    rates = {
        r["jurisdiction"]: r
        for r in conversion_rates(tracker_rows(conditional_store.products(), D("2026-12-06")))
    }
    # JP: HeartSheet and Collategene expired, STEMIRAC pending, Delytact and Elevidys in term
    jp = rates["JP"]
    assert (jp["converted"], jp["expired"], jp["full_application_pending"], jp["in_term"]) == (
        0,
        2,
        1,
        2,
    )
    assert jp["closed"] == 2 and jp["conversion_rate"] == 0.0
    # EU: Holoclar converted, Zynteglo withdrawn -> 1 / 2
    assert rates["EU"]["conversion_rate"] == 0.5
    # as of 2020 nothing in JP had closed: no rate rather than 0 %
    early = {
        r["jurisdiction"]: r
        for r in conversion_rates(
            tracker_rows(conditional_store.products(), D("2020-01-01"), ["JP"])
        )
    }
    assert set(early) == {"JP"} and early["JP"]["conversion_rate"] is None


def test_until_belongs_only_on_term_events(conditional_data: Path) -> None:
    from ctatlas.dataset import load_dataset
    from ctatlas.errors import DatasetInvalid

    path = conditional_data / "products" / "stemirac.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    event: full_application_filed\n",
        "    event: full_application_filed\n    until: '2030-01'\n",
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetInvalid) as err:
        load_dataset(conditional_data)
    (problem,) = [p for p in err.value.problems if p.severity == "error"]
    assert problem.file.endswith("stemirac.yaml") and problem.line is not None
    assert "status_history" in problem.field
    assert "until" in problem.message and "full_application_filed" in problem.message
