"""The analysis: pure functions from product documents to tables, findings and charts.

Build a :class:`Landscape` (from the store or a dataset, optionally for some jurisdictions and
``as_of`` a past date), then ask it for :func:`analyse` (everything) or any single table or
finding. Nothing here prints or writes; the report and the web render the results.

    >>> from ctatlas.store import ensure_store
    >>> land = landscape_from_store(ensure_store(), as_of="2018-12-31")  # doctest: +SKIP
    >>> analyse(land).findings[0].statement  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from ctatlas.analysis.findings import (
    Breakdown,
    Exclusion,
    Finding,
    all_findings,
    allogeneic_over_time,
    autologous_share,
    conditional_vs_standard,
    mesenchymal_share,
    withdrawals_and_lapses,
)
from ctatlas.analysis.landscape import (
    ASIA,
    Landscape,
    authorization_as_of,
    landscape_from_dataset,
    landscape_from_store,
)
from ctatlas.analysis.tables import (
    Column,
    Table,
    all_tables,
    approval_lag,
    approval_lag_medians,
    approvals_by_year,
    approvals_over_time,
    asia_stem_cell_products,
    completeness,
    definitions,
    disease_areas,
    japan_somatic_products,
)

__all__ = [
    "ASIA",
    "Analysis",
    "Breakdown",
    "Column",
    "Exclusion",
    "Finding",
    "Landscape",
    "Table",
    "all_findings",
    "all_tables",
    "allogeneic_over_time",
    "analyse",
    "approval_lag",
    "approval_lag_medians",
    "approvals_by_year",
    "approvals_over_time",
    "asia_stem_cell_products",
    "authorization_as_of",
    "autologous_share",
    "completeness",
    "conditional_vs_standard",
    "definitions",
    "disease_areas",
    "japan_somatic_products",
    "landscape_from_dataset",
    "landscape_from_store",
    "mesenchymal_share",
    "withdrawals_and_lapses",
]


@dataclasses.dataclass
class Analysis:
    """Everything the report shows, computed once."""

    as_of: dt.date | None
    jurisdictions: list[str]
    tables: list[Table]
    findings: list[Finding]
    complete_as_of: dict[str, dt.date | None]
    product_count: int
    authorization_count: int
    data_hash: str | None

    def table(self, table_id: str) -> Table:
        """The table with that id (KeyError if none)."""
        for table in self.tables:
            if table.id == table_id:
                return table
        raise KeyError(table_id)

    def finding(self, finding_id: str) -> Finding:
        """The finding with that id (KeyError if none)."""
        for finding in self.findings:
            if finding.id == finding_id:
                return finding
        raise KeyError(finding_id)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (dates as ISO strings), e.g. for GET /stats."""
        out = dataclasses.asdict(self)
        out["as_of"] = self.as_of.isoformat() if self.as_of else None
        out["complete_as_of"] = {
            k: v.isoformat() if v else None for k, v in self.complete_as_of.items()
        }
        return out


def analyse(land: Landscape) -> Analysis:
    """Every table and finding for the landscape."""
    complete = {}
    for code, jur in land.jurisdictions.items():
        value = jur.get("complete_as_of")
        complete[code] = dt.date.fromisoformat(value) if isinstance(value, str) else value
    from ctatlas.analysis.pipeline import pipeline_findings, pipeline_tables

    findings = all_findings(land)
    if land.programs:
        findings += pipeline_findings(land.programs, land.selected)
    return Analysis(
        as_of=land.as_of,
        jurisdictions=list(land.selected),
        tables=all_tables(land) + pipeline_tables(land),
        findings=findings,
        complete_as_of=complete,
        product_count=len(land.products),
        authorization_count=len(land.authorizations()),
        data_hash=land.data_hash,
    )
