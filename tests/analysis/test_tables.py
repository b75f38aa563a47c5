"""The tables against the fixture dataset: row counts and values, not only headings."""

from __future__ import annotations

import pytest

from ctatlas.analysis import (
    approval_lag,
    approval_lag_medians,
    approvals_over_time,
    asia_stem_cell_products,
    completeness,
    definitions,
    disease_areas,
    japan_somatic_products,
    landscape_from_dataset,
)
from ctatlas.analysis.tables import COMPARISON_ASPECTS
from ctatlas.dataset import Dataset


@pytest.fixture(scope="module")
def land(report_dataset: Dataset):
    return landscape_from_dataset(report_dataset)


def test_definitions_side_by_side_each_cell_cited(land, report_dataset: Dataset) -> None:
    table = definitions(land)
    assert [c.key for c in table.columns] == ["aspect", "JP", "US", "EU", "KR"]
    assert len(table.rows) == len(COMPARISON_ASPECTS) == 9
    jp = report_dataset.jurisdictions["JP"].comparison
    assert table.rows[0]["JP"]["text"] == jp.scope_term.text
    for row in table.rows:
        for code in ("JP", "US", "EU", "KR"):
            assert row[code]["citations"], (row["aspect"], code)
            assert all(c["url"].startswith("http") for c in row[code]["citations"])


def test_definitions_follow_the_selection(report_dataset: Dataset) -> None:
    table = definitions(landscape_from_dataset(report_dataset, ["KR", "IN"]))
    assert [c.key for c in table.columns] == ["aspect", "KR"]


def test_japan_somatic_products(land) -> None:
    table = japan_somatic_products(land)
    # JACE and Kymriah; HeartSheet expired in 2024; TEMCELL and STEMIRAC are stem cells
    assert [r["slug"] for r in table.rows] == ["jace", "tisagenlecleucel"]
    jace = table.rows[0]
    assert jace["local_name"] == "ジェイス"
    assert jace["approval_date"] == "2007-10-29"
    assert jace["pathway"] == "standard"
    assert jace["origin"] == "autologous"
    assert jace["status"] == "authorized"
    assert jace["holder"] and jace["indication"] and jace["tissue_source"]
    assert jace["sources"] and all(s["url"].startswith("http") for s in jace["sources"])


def test_japan_somatic_products_as_of(report_dataset: Dataset) -> None:
    table = japan_somatic_products(landscape_from_dataset(report_dataset, as_of="2018-12-31"))
    # Kymriah came to Japan in 2019; HeartSheet was still on the market
    assert [r["slug"] for r in table.rows] == ["jace", "heartsheet"]
    assert table.rows[1]["status"].startswith("authorized (conditional until")


def test_asia_stem_cell_products(land) -> None:
    table = asia_stem_cell_products(land)
    got = sorted((r["jurisdiction"], r["slug"], r["stem_type"]) for r in table.rows)
    assert got == [
        ("IN", "stempeucel", "MSC"),
        ("JP", "stemirac", "MSC"),
        ("JP", "temcell-hs", "MSC"),
        ("KR", "cartistem", "MSC"),
        ("KR", "cupistem", "MSC"),
    ]
    assert {c.key for c in table.columns} >= {"jurisdiction", "stem_type", "brand_name"}


def test_approvals_over_time(land, report_dataset: Dataset) -> None:
    table = approvals_over_time(land)
    assert sum(table.column("approvals")) == sum(
        len(p.authorizations) for p in report_dataset.products
    )
    by_key = {(r["year"], r["jurisdiction"], r["modality"]): r["approvals"] for r in table.rows}
    assert by_key[(2012, "KR", "cell_therapy")] == 2  # Cartistem and Cupistem
    assert by_key[(2015, "JP", "cell_therapy")] == 1  # TEMCELL
    assert by_key[(2015, "JP", "tissue_engineered")] == 1  # HeartSheet


def test_approvals_by_year(land) -> None:
    from ctatlas.analysis import approvals_by_year

    table = approvals_by_year(land)
    rows = {r["year"]: r for r in table.rows}
    assert (rows[2012]["KR"], rows[2012]["total"]) == (2, 2)
    assert (rows[2017]["US"], rows[2017]["gene_therapy"]) == (2, 1)  # Kymriah, Luxturna
    assert sum(r["total"] for r in table.rows) == 19
    assert [c.key for c in table.columns][:5] == ["year", "JP", "KR", "US", "EU"]


def test_approval_lag(land) -> None:
    rows = {r["slug"]: r for r in approval_lag(land).rows}
    assert set(rows) == {"tisagenlecleucel", "voretigene-neparvovec", "betibeglogene-autotemcel"}
    kymriah = rows["tisagenlecleucel"]
    assert kymriah["first_jurisdiction"] == "US"
    assert kymriah["first_approval"] == "2017-08-30"
    assert kymriah["jp_lag_days"] == 573  # 2017-08-30 -> 2019-03-26
    assert kymriah["kr_lag_days"] == 1279  # -> 2021-03 (read as 2021-03-01)
    assert kymriah["approximate"] is True
    luxturna = rows["voretigene-neparvovec"]
    assert (luxturna["jp_lag_days"], luxturna["kr_lag_days"]) == (2015, 1360)
    zynteglo = rows["betibeglogene-autotemcel"]
    assert zynteglo["first_jurisdiction"] == "EU" and zynteglo["jp_lag_days"] is None


def test_approval_lag_medians(land) -> None:
    rows = {(r["from"], r["to"]): r for r in approval_lag_medians(land).rows}
    assert rows[("first anywhere", "JP")]["therapies"] == 2
    assert rows[("first anywhere", "JP")]["median_days"] == (573 + 2015) / 2
    assert rows[("JP", "KR")]["therapies"] == 2
    assert rows[("US", "EU")]["therapies"] == 3


def test_disease_areas(land) -> None:
    table = disease_areas(land)
    named = [r for r in table.rows if r["named_in_founding_analysis"]]
    assert [r["area"] for r in named] == [
        "Severe liver disease",
        "Graft-versus-host disease",
        "Renal transplant rejection",
        "Systemic lupus erythematosus",
        "Parkinson's disease",
        "Alzheimer's disease",
    ]
    gvhd = named[1]
    assert (gvhd["JP"], gvhd["KR"], gvhd["US"], gvhd["total"]) == (1, 0, 0, 1)
    assert "TEMCELL" in gvhd["products"] and gvhd["sources"]
    others = {r["area"]: r for r in table.rows if not r["named_in_founding_analysis"]}
    assert others["Cartilage defects and osteoarthritis"]["KR"] == 1  # Cartistem
    assert others["Blood cancers"]["total"] == 5  # Kymriah in five jurisdictions
    assert "Severe liver disease" not in others


def test_completeness(land, report_dataset: Dataset) -> None:
    rows = {r["code"]: r for r in completeness(land).rows}
    assert set(rows) == set(report_dataset.jurisdictions)
    for code, jur in report_dataset.jurisdictions.items():
        assert rows[code]["complete_as_of"] == (
            jur.complete_as_of.isoformat() if jur.complete_as_of else None
        )
