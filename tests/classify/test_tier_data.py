"""The tier routes as data: every route, class, figure, event and plan is sourced and linked.

Reads the curated files (``data/jurisdictions``) and checks what the issue asks of them; the
bad-input cases build a small jurisdiction in memory and expect the model to name the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from ruamel.yaml import YAML

from ctatlas.model import Jurisdiction

DATA = Path(__file__).resolve().parents[2] / "data" / "jurisdictions"


def _load(code: str) -> Jurisdiction:
    with (DATA / f"{code}.yaml").open(encoding="utf-8") as fh:
        return Jurisdiction.model_validate(YAML(typ="safe").load(fh))


@pytest.fixture(scope="module")
def files() -> dict[str, Jurisdiction]:
    return {code: _load(code) for code in ("JP", "KR", "TW")}


def test_japan_asrm_classes_belong_to_the_asrm_route_each_with_its_reviewer(files) -> None:
    jp = files["JP"]
    (route,) = [r for r in jp.tier_routes if r.id == "asrm"]
    assert route.law == "asrm" and {p.value for p in route.providers} == {"clinic", "hospital"}
    assert any("periodic report" in d for d in route.duties)
    classes = {t.id: t for t in jp.risk_tiers}
    assert set(classes) == {"asrm_class_i", "asrm_class_ii", "asrm_class_iii"}
    assert all(t.route == "asrm" and t.reviewer for t in classes.values())
    assert "Health Sciences Council" in classes["asrm_class_i"].reviewer
    # the 2025 extension to nucleic acids is a dated amendment of Class I
    assert [a.date for a in classes["asrm_class_i"].amendments] == ["2025-05-31"]


def test_japan_figures_give_plans_by_class_and_the_share_of_private_practice(files) -> None:
    figures = files["JP"].tier_figures
    by_class = {f.tier: f.value for f in figures if f.as_of == "2020-12-18"}
    assert by_class == {"asrm_class_i": 3, "asrm_class_ii": 724, "asrm_class_iii": 3342}
    assert any(f.unit == "percent" and f.breakdown == "private practice" for f in figures)
    assert len({f.as_of[:4] for f in figures}) >= 3  # figures over time, not one snapshot


def test_japan_enforcement_events_are_dated_and_in_order(files) -> None:
    events = [e for e in files["JP"].tier_events if e.kind.value == "enforcement"]
    dates = [e.date for e in events]
    assert len(events) >= 4 and dates == sorted(dates)
    assert "2017-08-27" in dates  # the first arrests under the Act


def test_korea_has_a_research_and_a_treatment_track(files) -> None:
    kr = files["KR"]
    routes = {r.id: r for r in kr.tier_routes}
    assert set(routes) == {"arba_research", "arba_treatment"}
    assert routes["arba_treatment"].in_force == "2025-02-21"
    assert all(t.route == "arba_research" for t in kr.risk_tiers)
    counts = [(f.as_of, f.value) for f in kr.tier_figures if "institutions" in f.measure]
    assert counts == sorted(counts) and counts[0] == ("2022-12-13", 56)


def test_korea_plans_recorded_match_the_committee_count_for_their_meeting(files) -> None:
    kr = files["KR"]
    meetings = [f for f in kr.tier_figures if f.measure.startswith("plans the committee")]
    suitable = {f.as_of: int(f.value) for f in meetings}
    recorded: dict[str, int] = {}
    for plan in kr.tier_plans:
        recorded[plan.decided.isoformat()] = recorded.get(plan.decided.isoformat(), 0) + 1
    for day, count in recorded.items():
        if day in suitable:  # a meeting whose count of suitable plans was published
            assert suitable[day] == count, (day, count, suitable[day])
    # the named plans are checked against the official cumulative total, not passed off as it
    (total,) = [f for f in kr.tier_figures if "official total" in f.measure]
    assert total.sources[0].kind.value == "regulator" and total.value == 42
    assert len(kr.tier_plans) < total.value
    assert any("far from complete" in s for s in kr.searched)
    # meetings whose suitable plans are not named are said so, not silently missing
    unnamed = {d for d, n in suitable.items() if n and d not in recorded}
    assert not unnamed, unnamed


def test_taiwan_has_both_acts_and_the_special_regulations_before_them(files) -> None:
    tw = files["TW"]
    laws = {law.id: law for law in tw.laws}
    assert laws["rm_act"].in_force == laws["rmp_act"].in_force == "2026-01-01"
    assert laws["special_regulations"].amended == ["2018-09-06"]
    routes = {r.id: r for r in tw.tier_routes}
    assert routes["tw_special_regulations"].replaced_by == "tw_rm_act"
    assert routes["tw_special_regulations"].until == "2025-12-31"
    listed = next(t for t in tw.risk_tiers if t.id == "tw_listed_technique")
    assert "chondrocytes" in listed.description and "adipose" in listed.description
    assert not any(p.is_file() for p in DATA.parent.joinpath("products").glob("*tw-*"))


def test_every_tier_record_is_sourced_and_no_source_is_a_document_sharing_site(files) -> None:
    banned = ("scribd.", "docslib.", "paperzz.", "fdocuments.", "slideplayer.")
    for jur in files.values():
        records = [*jur.tier_figures, *jur.tier_events, *jur.tier_plans]
        assert records, jur.code
        for record in records:
            assert record.sources
            for source in record.sources:
                assert source.accessed.isoformat() <= "2026-12-06"
                assert not any(b in str(source.url) for b in banned), source.url
        for route in jur.tier_routes:
            assert route.citations, route.id


def _minimal(**extra: Any) -> dict[str, Any]:
    jp = _load("JP").model_dump(mode="json", exclude_none=True)
    doc = {k: jp[k] for k in ("code", "name", "complete_as_of", "coverage", "regulators")}
    doc.update(categories=jp["categories"][:1], pathways=jp["pathways"][:1], laws=jp["laws"])
    doc.update(extra)
    return doc


def test_a_figure_for_an_unknown_route_is_rejected_naming_the_field() -> None:
    figure = {
        "route": "asrm_typo",
        "as_of": "2020",
        "measure": "plans",
        "value": 1,
        "sources": _load("JP").model_dump(mode="json")["tier_figures"][0]["sources"],
    }
    with pytest.raises(ValidationError) as err:
        Jurisdiction.model_validate(_minimal(tier_figures=[figure]))
    assert "tier_figures[0].route: 'asrm_typo' is not a tier_routes id" in str(err.value)


def test_a_route_citing_a_law_the_file_lacks_is_rejected() -> None:
    route = _load("JP").model_dump(mode="json", exclude_none=True)["tier_routes"][0]
    route["law"] = "no_such_law"
    with pytest.raises(ValidationError) as err:
        Jurisdiction.model_validate(_minimal(tier_routes=[route]))
    assert "tier_routes[0].law: 'no_such_law'" in str(err.value)


def test_no_tier_source_is_a_host_on_the_copy_list(files) -> None:
    """validate checks product sources against data/source_hosts.yaml; the tier records are held
    to the same list (a copy may only appear as read_via, beside the original)."""
    from ctatlas.model import CopyHostFile
    from ctatlas.sources import copy_host

    with (DATA.parent / "source_hosts.yaml").open(encoding="utf-8") as fh:
        hosts = CopyHostFile.model_validate(YAML(typ="safe").load(fh))
    for jur in files.values():
        for record in [*jur.tier_figures, *jur.tier_events, *jur.tier_plans]:
            for source in record.sources:
                entry = copy_host(str(source.url), hosts.copies)
                assert entry is None, (jur.code, str(source.url), entry.reason)


def test_japan_plans_by_class_add_up_to_the_research_and_treatment_totals(files) -> None:
    rows = [f for f in files["JP"].tier_figures if f.as_of == "2020-03-31" and f.unit == "count"]
    for part in ("clinical research", "treatment as private practice"):
        total = [f.value for f in rows if f.breakdown == part and f.tier is None]
        by_class = [f.value for f in rows if f.breakdown == part and f.tier is not None]
        assert total and sum(by_class) == total[0], (part, by_class, total)
    assert all(isinstance(f.value, int) for f in rows)  # counts stay whole numbers
