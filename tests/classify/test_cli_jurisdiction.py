"""``ctatlas jurisdiction show CODE``: the framework and the routes to patients, in words."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from ctatlas.cli import build_app

DATA = Path(__file__).resolve().parents[2] / "data"


def _run(*args: str):
    return CliRunner().invoke(build_app(), list(args))


def test_japan_shows_the_asrm_route_its_classes_figures_and_enforcement() -> None:
    result = _run("jurisdiction", "show", "jp")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Japan (JP)")
    assert "Regenerative medicine given by a medical institution (ASRM) (since 2014-11-25)" in out
    assert "who may use it: clinics, hospitals" in out
    assert "class: Class I regenerative medicine - A specified certified" in out
    assert "changed 2025-05-31:" in out
    assert "2020-12-18" in out and ": 3342  [Medical corporation Kojinkai]" in out
    assert "2017-08-27  Enforcement:" in out
    # plain words: no internal ids of tiers or routes
    for code in ("asrm_class_i", "tier_routes", "arba_research"):
        assert code not in out


def test_korea_shows_both_tracks_and_the_plans_found_suitable() -> None:
    out = _run("jurisdiction", "show", "KR").output
    assert "Advanced regenerative medicine treatment at a designated institution" in out
    assert "(since 2025-02-21)" in out
    assert "2025-11-20  Advanced regenerative medicine clinical research" in out
    assert "(High-risk clinical research)" in out


def test_taiwan_shows_the_special_regulations_replaced_by_the_act() -> None:
    out = _run("jurisdiction", "show", "TW").output
    assert "until 2025-12-31, replaced by: Regenerative medicine technique" in out
    assert "who decides: MOHW Department of Medical Affairs" in out


def test_json_is_the_whole_record_with_ids() -> None:
    result = _run("jurisdiction", "show", "KR", "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["code"] == "KR"
    assert [r["id"] for r in doc["tier_routes"]] == ["arba_research", "arba_treatment"]
    tiers = [p.get("tier") for p in doc["tier_plans"]]
    assert tiers == [None, "high", "high", "high", "high", "high", "high", "medium", "medium"]


def test_a_jurisdiction_without_tier_routes_says_none_recorded() -> None:
    out = _run("jurisdiction", "show", "US").output
    assert "Routes to patients outside product approval: none recorded" in out


def test_unknown_code_exits_3_listing_the_known_ones() -> None:
    result = _run("jurisdiction", "show", "XX")
    assert result.exit_code == 3
    assert "no jurisdiction 'XX'" in result.output and "JP" in result.output


def test_a_broken_file_names_the_field(tmp_path: Path) -> None:
    shutil.copytree(DATA / "jurisdictions", tmp_path / "jurisdictions")
    path = tmp_path / "jurisdictions" / "KR.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  route: arba_research\n", "  route: nope\n", 1
    )
    path.write_text(text, encoding="utf-8")
    result = _run("jurisdiction", "show", "KR", "--data", str(tmp_path))
    assert result.exit_code == 2
    assert "jurisdictions/KR.yaml is invalid" in result.output
    assert "'nope' is not a tier_routes id" in result.output


def test_eu_shows_the_hospital_exemption_as_a_route_for_hospitals() -> None:
    out = _run("jurisdiction", "show", "EU").output
    assert "Hospital exemption (national authorisation)" in out
    assert "who may use it: hospitals" in out
