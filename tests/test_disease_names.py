"""Disease and area names in Japanese and Korean: every disease name in another language is
backed by a source that says it supports it; every area heading has all three languages; and a
Japanese or Korean reader sees them (and finds products by them)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _file() -> dict:
    return yaml.safe_load((ROOT / "data/diseases.yaml").read_text(encoding="utf-8"))


def test_every_disease_name_in_another_language_is_sourced() -> None:
    named = 0
    for disease in _file()["diseases"]:
        supported = {s for src in disease.get("sources", []) for s in src.get("supports", [])}
        for lang, name in (disease.get("names") or {}).items():
            named += 1
            assert f"names.{lang}" in supported, f"{disease['id']}: names.{lang} has no source"
            if lang in ("ja", "ko"):
                assert CJK.search(name), f"{disease['id']}: {name!r} is not in {lang} script"
    assert named >= 20  # the names curated so far (the rest are listed in the notes)


def test_every_area_has_japanese_and_korean_headings() -> None:
    for area in _file()["areas"]:
        names = area.get("names") or {}
        assert CJK.search(names.get("ja", "")) and CJK.search(names.get("ko", "")), area["id"]


# Diseases (whole file) still without a Japanese or Korean name. Lowered as names are
# sourced so that a name lost in a merge or an edit fails here; the goal is zero.
# session 9: four entries whose names were searched, not found;
# session 10: idiopathic_pneumonia_syndrome and lcat_deficiency (jpco), enterocutaneous_fistula
# (jpmsc): Korean searched, not found; see their notes
MAX_MISSING = {"ja": 5, "ko": 17}


def _missing(lang: str) -> list[str]:
    return [d["id"] for d in _file()["diseases"] if not (d.get("names") or {}).get(lang)]


def test_diseases_missing_a_japanese_or_korean_name_do_not_grow() -> None:
    for lang, most in MAX_MISSING.items():
        missing = _missing(lang)
        assert len(missing) <= most, (
            f"{len(missing)} diseases lack names.{lang} (at most {most} allowed): "
            + ", ".join(missing)
        )


def test_a_source_that_supports_a_name_is_one_the_disease_has() -> None:
    # The other direction: a source may not claim names.<lang> the disease does not carry.
    for disease in _file()["diseases"]:
        names = disease.get("names") or {}
        for src in disease.get("sources", []):
            for field in src.get("supports", []):
                if field.startswith("names."):
                    assert names.get(field.removeprefix("names.")), (
                        f"{disease['id']}: a source supports {field}, which is empty"
                    )
