"""The findings' numbers against an independent count written here, from the models."""

from __future__ import annotations

from ctatlas.analysis import (
    allogeneic_over_time,
    analyse,
    autologous_share,
    conditional_vs_standard,
    landscape_from_dataset,
    mesenchymal_share,
    withdrawals_and_lapses,
)
from ctatlas.dataset import Dataset
from ctatlas.model import Modality, Origin, Status, StemType

ASIA = {"JP", "KR", "CN", "IN", "TW", "SG", "MY", "IR", "AE", "SA", "QA", "BH", "KW", "OM"}


def _marketed_cell_products(ds: Dataset, codes: set[str] | None = None):
    return [
        p
        for p in ds.products
        if p.modality is not Modality.gene_therapy
        and any(
            a.status is Status.authorized and (codes is None or a.jurisdiction in codes)
            for a in p.authorizations
        )
    ]


def test_autologous_share_matches_an_independent_count(report_dataset: Dataset) -> None:
    products = [p for p in _marketed_cell_products(report_dataset)
                if p.origin not in (None, Origin.not_applicable)]
    auto = [p for p in products if p.origin is Origin.autologous]
    finding = autologous_share(landscape_from_dataset(report_dataset))
    assert (finding.numerator, finding.denominator) == (len(auto), len(products)) == (5, 9)
    assert finding.share == 5 / 9
    assert finding.supports_claim is True  # more than half
    assert [e.slug for e in finding.excluded] == ["voretigene-neparvovec"]
    assert "non-cell gene therapy" in finding.excluded[0].reason
    assert any("Cord-blood" in rule for rule in finding.rules)
    assert any("Gene-modified HSC" in rule for rule in finding.rules)
    per = {b.label: (b.numerator, b.denominator) for b in finding.breakdown}
    for code in ("JP", "KR", "US", "EU", "IN", "SG"):
        here = [p for p in _marketed_cell_products(report_dataset, {code})
                if p.origin not in (None, Origin.not_applicable)]
        mine = (sum(p.origin is Origin.autologous for p in here), len(here))
        assert per.get(code, (0, 0)) == mine, code
    assert per["JP"] == (3, 4)  # JACE, Kymriah, STEMIRAC; TEMCELL is allogeneic


def test_autologous_share_as_of(report_dataset: Dataset) -> None:
    finding = autologous_share(landscape_from_dataset(report_dataset, as_of="2018-12-31"))
    # cartistem, cupistem, heartsheet, hemacord, jace, stemirac, stempeucel, temcell, kymriah
    assert (finding.numerator, finding.denominator) == (5, 9)
    finding = autologous_share(landscape_from_dataset(report_dataset, ["KR"]))
    assert (finding.numerator, finding.denominator) == (2, 3)  # Cupistem, Kymriah; Cartistem
    assert finding.supports_claim is True


def test_mesenchymal_share_matches_an_independent_count(report_dataset: Dataset) -> None:
    stem = [p for p in _marketed_cell_products(report_dataset, ASIA)
            if p.cell_class.value == "stem" and p.stem_type not in (None, StemType.not_applicable)]
    msc = [p for p in stem if p.stem_type is StemType.MSC]
    finding = mesenchymal_share(landscape_from_dataset(report_dataset))
    assert (finding.numerator, finding.denominator) == (len(msc), len(stem)) == (5, 5)
    assert finding.supports_claim is True
    everywhere = {b.label: (b.numerator, b.denominator) for b in finding.breakdown}
    # HEMACORD (cord blood HSC) and ZYNTEGLO (gene-modified HSC) are stem, not MSC
    assert everywhere["All selected"] == (5, 7)
    assert everywhere["US"] == (0, 2)


def test_mesenchymal_share_without_asia(report_dataset: Dataset) -> None:
    finding = mesenchymal_share(landscape_from_dataset(report_dataset, ["US"]))
    assert (finding.numerator, finding.denominator) == (0, 2)
    assert finding.supports_claim is False


def test_allogeneic_over_time(report_dataset: Dataset) -> None:
    finding = allogeneic_over_time(landscape_from_dataset(report_dataset))
    cells = [p for p in report_dataset.products if p.modality is not Modality.gene_therapy]
    allo = [p for p in cells if p.origin is Origin.allogeneic]
    assert (finding.numerator, finding.denominator) == (len(allo), len(cells)) == (4, 10)
    assert finding.supports_claim is None
    years = {b.label: (b.numerator, b.denominator) for b in finding.breakdown}
    assert years["2007"] == (0, 1)  # JACE
    assert years["2011"] == (1, 2)  # + HEMACORD
    assert years["2012"] == (2, 4)  # + Cartistem, Cupistem
    assert list(years)[-1] == "2019"  # Zynteglo, first in the EU
    assert years["2019"] == (4, 10)


def test_conditional_vs_standard(report_dataset: Dataset) -> None:
    auths = [a for p in report_dataset.products if p.modality is not Modality.gene_therapy
             for a in p.authorizations]
    conditional = [a for a in auths if a.pathway.value in
                   ("conditional", "conditional_time_limited", "accelerated")]
    finding = conditional_vs_standard(landscape_from_dataset(report_dataset))
    assert (finding.numerator, finding.denominator) == (len(conditional), len(auths)) == (4, 15)
    per = {b.label: (b.numerator, b.denominator) for b in finding.breakdown}
    assert per["JP"] == (2, 5)  # HeartSheet, STEMIRAC
    assert per["EU"] == (1, 2)  # Zynteglo's conditional marketing authorisation
    assert len(finding.excluded) == 4  # Luxturna in four jurisdictions


def test_withdrawals_and_lapses(report_dataset: Dataset) -> None:
    finding = withdrawals_and_lapses(landscape_from_dataset(report_dataset))
    assert (finding.numerator, finding.denominator) == (2, 15)
    items = [i for b in finding.breakdown for i in b.items]
    assert any(i.startswith("Zynteglo: withdrawn 2022-03-24") for i in items)
    assert any(i.startswith("HeartSheet: expired 2024") for i in items)
    before = withdrawals_and_lapses(landscape_from_dataset(report_dataset, as_of="2021-12-31"))
    assert before.numerator == 0


def test_analyse_is_json_ready(report_dataset: Dataset) -> None:
    import json

    result = analyse(landscape_from_dataset(report_dataset, as_of="2018-12-31"))
    data = json.loads(json.dumps(result.as_dict()))
    assert data["as_of"] == "2018-12-31"
    assert [f["id"] for f in data["findings"]] == [
        "autologous_share", "mesenchymal_share", "allogeneic_over_time",
        "conditional_vs_standard", "withdrawals_and_lapses",
    ]
    assert result.table("japan_somatic").rows and result.finding("autologous_share")
