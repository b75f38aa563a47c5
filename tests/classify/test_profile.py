"""Bad input: unknown attributes, wrong values, contradictions; and the rules' citations."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatlas.classify import MODULES, ProfileError, classify, parse_jurisdictions, tiers
from ctatlas.classify.base import Rule, load_jurisdictions


@pytest.mark.parametrize(
    ("data", "needles"),
    [
        ({"origin": "autologous", "colour": "red"}, ["unknown attribute 'colour'", "origin"]),
        ({"origin": "auto"}, ["'origin'", "autologous, allogeneic, xenogeneic, none"]),
        ({"origin": "autologous", "homologous_use": "maybe"}, ["'homologous_use'", "true, false"]),
        (
            {"origin": "autologous", "processing_steps": ["culture_expansion", "boiling"]},
            ["processing_steps[1]", "'boiling'", "enzymatic_digestion"],
        ),
        ({"intended_function": "fun"}, ["intended_function", "structural_repair"]),
        (["origin", "autologous"], ["must be a mapping"]),
    ],
)
def test_bad_values_name_the_attribute_and_allowed_values(data: object, needles: list[str]) -> None:
    with pytest.raises(ProfileError) as info:
        classify(data)  # type: ignore[arg-type]
    message = str(info.value)
    for needle in needles:
        assert needle in message


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"origin": "none", "viable_cells": True}, "origin 'none'"),
        (
            {"genetically_modified": False, "processing_steps": ["genetic_modification"]},
            "genetically_modified: false",
        ),
        ({"origin": "autologous", "donor_relation": "unrelated"}, "autologous"),
        ({"pluripotent": True, "stem_cell": False}, "pluripotent"),
        (
            {
                "origin": "autologous",
                "manipulation": "minimal",
                "processing_steps": ["culture_expansion"],
            },
            "manipulation 'minimal'",
        ),
        (
            {"origin": "autologous", "manipulation": "minimal", "genetically_modified": True},
            "genetically_modified: true",
        ),
        (
            {"integral_medical_device": True, "combined_with_device_or_drug": False},
            "integral_medical_device",
        ),
        ({"origin": "none", "stem_cell": True}, "origin 'none'"),
    ],
)
def test_contradictory_profiles_are_rejected(data: dict, needle: str) -> None:
    with pytest.raises(ProfileError) as info:
        classify(data)
    assert "contradictory profile" in str(info.value)
    assert needle in str(info.value)


def test_profile_errors_exit_2() -> None:
    assert ProfileError("x").exit_code == 2


def test_jurisdictions_parse_repeats_and_commas() -> None:
    assert parse_jurisdictions(["jp,kr", "EU", "JP"]) == ["JP", "KR", "EU"]
    assert parse_jurisdictions(None) == ["JP", "KR", "US", "EU", "TW"]
    with pytest.raises(ProfileError, match="allowed values: JP, KR, US, EU"):
        parse_jurisdictions(["XX"])


def _rules(module: object) -> list[Rule]:
    return [v for v in vars(module).values() if isinstance(v, Rule)]


@pytest.mark.parametrize("code", list(MODULES))
def test_every_rule_cites_a_law_of_its_jurisdiction_file(code: str) -> None:
    jur = load_jurisdictions()[code]
    # the module's product rules and its tier answers' rules (classify/tiers.py)
    rules = _rules(MODULES[code]) + [r for r in _rules(tiers) if r.id.startswith(code + "-")]
    assert len(rules) >= 10
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids)), "rule ids are unique"
    for rule in rules:
        citation = rule.citation(jur)
        assert citation["url"].startswith("http")
        assert citation["article"]
        assert rule.id.startswith(code + "-")


def test_rules_carry_citations_in_the_output() -> None:
    result = classify({"origin": "none", "genetically_modified": True})
    for decision in result.as_dict()["decisions"].values():
        for rule in decision["rules"]:
            assert set(rule) == {"id", "text", "citation"}
            assert {"law", "article", "url"} <= set(rule["citation"])


def test_a_broken_jurisdiction_file_is_a_clear_error(tmp_path: Path) -> None:
    import shutil

    from ctatlas.errors import BadInput

    folder = tmp_path / "jurisdictions"
    shutil.copytree(Path(__file__).resolve().parents[2] / "data" / "jurisdictions", folder)
    (folder / "KR.yaml").write_text("code: KR\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"jurisdictions/KR.yaml is invalid"):
        classify({"origin": "none"}, ["KR"], data=tmp_path)
    (folder / "KR.yaml").unlink()
    with pytest.raises(ProfileError, match=r"no data/jurisdictions/KR.yaml"):
        classify({"origin": "none"}, ["KR"], data=tmp_path)
    vector = {"origin": "none", "genetically_modified": True}
    assert classify(vector, ["JP"], data=tmp_path).decisions["JP"].category
