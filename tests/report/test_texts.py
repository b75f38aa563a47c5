"""The findings' words in three languages (ctatlas.report.texts): the English templates give
back exactly the computed English, and the Japanese and Korean words carry the same numbers
with no English left and no codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ctatlas.analysis import analyse, landscape_from_dataset
from ctatlas.dataset import load_dataset
from ctatlas.report.texts import DESCRIPTIONS, FACTS, local_finding, table_description

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
#: abbreviations the Japanese and Korean texts keep as they are
KEPT = {"MSC"}


@pytest.fixture(scope="module", params=["report", "data"])
def analysis(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """The analysis of the report fixture and of the web fixture (which has programs)."""
    return analyse(landscape_from_dataset(load_dataset(FIXTURES / request.param)))


def test_the_english_templates_give_back_the_computed_words(analysis) -> None:
    assert {f.id for f in analysis.findings} >= {"autologous_share", "withdrawals_and_lapses"}
    for finding in analysis.findings:
        en = local_finding(finding, "en")
        assert en.lang == "en"
        assert en.statement == finding.statement, finding.id
        assert (en.title, en.claim) == (finding.title, finding.claim)
        assert en.numerator_label == finding.numerator_label
        assert en.denominator_label == finding.denominator_label
        assert en.breakdown_label == finding.breakdown_label


def test_every_finding_has_a_template() -> None:
    from ctatlas.analysis.findings import all_findings  # noqa: F401 (the ids below are its)

    ids = {key.split("@")[0] for key in FACTS}
    assert ids == {"autologous_share", "mesenchymal_share", "allogeneic_over_time",
                   "conditional_vs_standard", "withdrawals_and_lapses",
                   "pipeline_autologous_share", "pipeline_mesenchymal_share"}


@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_findings_in_japanese_and_korean(analysis, lang: str) -> None:
    for finding in analysis.findings:
        local = local_finding(finding, lang)
        assert local.lang == lang, finding.id
        texts = [local.title, local.claim or "", local.statement, local.numerator_label,
                 local.denominator_label, local.breakdown_label,
                 *(b.label for b in local.breakdown)]
        for text in texts:
            left = set(LATIN_WORD.findall(text)) - KEPT
            assert not left, (lang, finding.id, text)
        # the same numbers, written into the sentence
        assert f"{finding.numerator}" in local.statement
        assert f"{finding.denominator}" in local.statement
        if finding.share is not None:
            assert f"{finding.share:.0%}" in local.statement
        assert [(b.numerator, b.denominator) for b in local.breakdown] == [
            (b.numerator, b.denominator) for b in finding.breakdown
        ]


def test_breakdown_rows_name_jurisdictions_not_codes(analysis) -> None:
    finding = analysis.finding("autologous_share")
    codes = [b.label for b in finding.breakdown]
    assert "KR" in codes
    assert [b.label for b in local_finding(finding, "en").breakdown][codes.index("KR")] == (
        "Republic of Korea"
    )
    assert [b.label for b in local_finding(finding, "ko").breakdown][codes.index("KR")] == (
        "대한민국"
    )
    assert [b.label for b in local_finding(finding, "ja").breakdown][codes.index("KR")] == "韓国"


def test_the_verdict_follows_the_data() -> None:
    from ctatlas.analysis.findings import Finding

    def finding(num: int, den: int) -> Finding:
        value = num / den if den else None
        return Finding("autologous_share", "Most marketed cell products are autologous",
                       "Most marketed cell therapy products are autologous.", "", num, den,
                       value, None if value is None else value > 0.5, "", "")

    assert local_finding(finding(3, 4), "ja").statement.endswith("データはこの主張を支持する。")
    assert local_finding(finding(1, 4), "ja").statement.endswith("データはこの主張を支持しない。")
    assert local_finding(finding(0, 0), "ko").statement == (
        "판매 중인 세포 제품 0개 중 0개(해당 없음)가 자가 제품이다. 데이터로는 이 주장을 검증할 수 "
        "없다."
    )


def test_table_descriptions_with_computed_parts(analysis) -> None:
    tables = {t.id: t for t in analysis.tables}
    for table_id in DESCRIPTIONS:
        if table_id not in tables:
            continue
        table = tables[table_id]
        assert table_description(table, "en") == table.description
        for lang in ("ja", "ko"):
            local = table_description(table, lang)
            assert not LATIN_WORD.search(re.sub(r"\d{4}-\d{2}-\d{2}", "", local)), local
    conditional = tables["conditional_approvals"]
    day = re.search(r"as of (\S+)\.$", conditional.description)[1]  # type: ignore[index]
    assert day in table_description(conditional, "ja")
    assert day in table_description(conditional, "ko")
