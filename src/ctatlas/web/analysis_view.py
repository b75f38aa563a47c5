"""How the ``/analysis`` page arranges the analysis: a table of contents, each finding with the
chart that supports it beside it, each remaining chart with the table it draws, and a plain
note where a chart has no data (the chart is left out rather than drawn with empty axes).

Kept apart from :mod:`ctatlas.web.pages` (one concern: the analysis page's arrangement). The
pairing of charts with findings and tables is the report's (:mod:`ctatlas.report.common`), so
the page and the documents agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ctatlas.report.common import FINDING_CHARTS, TABLE_CHARTS

__all__ = ["WEB_CHARTS", "arrange"]

#: The charts the page can draw (those of :func:`ctatlas.analysis.charts.all_charts`); a
#: finding or table whose chart is one of these but has no data gets a note instead.
WEB_CHARTS = frozenset(
    {"approvals_over_time", "autologous_share", "allogeneic_over_time", "approval_lag",
     "disease_areas"}
)


def arrange(findings: Iterable[Any], tables: Iterable[Any], views: list[dict[str, Any]]
            ) -> dict[str, Any]:
    """The page's parts: ``findings`` and ``tables`` as lists of ``{"item", "charts",
    "no_chart"}`` (``no_chart``: the page would show a chart here, but it has no data), and
    ``other_charts``, any chart the pairing does not place."""
    by_id = {v["id"]: v for v in views}
    placed: set[str] = set()

    def charts_for(ids: Iterable[str]) -> tuple[list[dict[str, Any]], bool]:
        wanted = [c for c in ids if c in WEB_CHARTS]
        shown = [by_id[c] for c in wanted if c in by_id and c not in placed]
        placed.update(v["id"] for v in shown)
        missing = any(c not in by_id for c in wanted)
        return shown, missing

    finding_parts = []
    for f in findings:
        shown, missing = charts_for([FINDING_CHARTS[f.id]] if f.id in FINDING_CHARTS else [])
        finding_parts.append({"item": f, "charts": shown, "no_chart": missing and not shown})
    table_parts = []
    for t in tables:
        shown, missing = charts_for(TABLE_CHARTS.get(t.id, ()))
        table_parts.append({"item": t, "charts": shown, "no_chart": missing and not shown})
    # a chart the arrangement does not know still shows, after the tables
    rest = [v for v in views if v["id"] not in placed]
    return {
        "findings": finding_parts,
        "tables": table_parts,
        "other_charts": rest,
    }
