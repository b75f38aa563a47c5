"""The report's conditional-approval tables: every conditional approval with its deadline,
days left or overdue and outcome, and the conversion rate per jurisdiction
(:mod:`ctatlas.conditional` computes them for the landscape's day). Cells keep codes (pathway,
outcome, jurisdiction); the report and the pages show their labels."""

from __future__ import annotations

from ctatlas.analysis.landscape import Landscape, jurisdiction_order
from ctatlas.analysis.tables import Column, Table
from ctatlas.conditional import conversion_rates, tracker_rows

__all__ = ["conditional_approvals", "conversion_rate_table"]

def _rows(land: Landscape) -> list[dict[str, object]]:
    rows = tracker_rows(land.products, land.reference_day, land.selected)
    order = {code: i for i, code in enumerate(jurisdiction_order(r["jurisdiction"] for r in rows))}
    return sorted(rows, key=lambda r: order[r["jurisdiction"]])  # stable: keeps deadline order


def conditional_approvals(land: Landscape) -> Table:
    """Every conditional, time-limited or accelerated approval, with its outcome that day."""
    day = land.reference_day.isoformat()
    rows = [
        {
            "jurisdiction": r["jurisdiction"],
            "brand_name": r["brand_name"],
            "indication": r["indication"] or "",
            "pathway": r["pathway"],
            "granted": r["granted"],
            "deadline": r["deadline"],
            "days_left": r["days_left"],
            "conditional_outcome": r["outcome"],
            "outcome_date": r["outcome_date"],
            "obligation": r["confirmatory_obligation"] or "not recorded",
        }
        for r in _rows(land)
    ]
    return Table(
        "conditional_approvals",
        "Conditional approvals and their outcome",
        f"Every conditional, time-limited or accelerated approval (and every indication approved "
        f"that way inside another authorization), with its deadline and outcome as of {day}.",
        [
            Column("jurisdiction", "Jurisdiction"),
            Column("brand_name", "Brand"),
            Column("indication", "Indication (when only one was)"),
            Column("pathway", "Pathway"),
            Column("granted", "Granted", "date"),
            Column("deadline", "Deadline", "date"),
            Column("days_left", "Days left (negative: overdue)", "int"),
            Column("conditional_outcome", "Outcome"),
            Column("outcome_date", "Outcome date", "date"),
            Column("obligation", "Confirmatory obligation"),
        ],
        rows,
        [
            "The outcome is computed from each authorization's dated history and its term, never "
            "typed in: a term that has passed with no application for full approval recorded "
            "reads 'expired' even while the legal status is still 'authorized'.",
            "Days left are counted to the end of the current term (a month or year means its "
            "last day); they are blank once the approval is closed or when it has no fixed term "
            "(US accelerated approvals run until the confirmatory trial is assessed).",
        ],
    )


def conversion_rate_table(land: Landscape) -> Table:
    """Conditional approvals by outcome and the conversion rate, per jurisdiction."""
    rates = {r["jurisdiction"]: r for r in conversion_rates(_rows(land))}
    rows = []
    for code in jurisdiction_order(rates):
        r = rates[code]
        rows.append(
            {
                "jurisdiction": code,
                "total": r["total"],
                "converted": r["converted"],
                "expired": r["expired"],
                "not_renewed": r["not_renewed"],
                "withdrawn": r["withdrawn"],
                "revoked": r["revoked"],
                "pending": r["full_application_pending"],
                "open": r["in_term"] + r["renewed"],
                "conversion_rate": r["conversion_rate"],
            }
        )
    return Table(
        "conditional_conversion",
        "Conversion of conditional approvals to full approval",
        "Per jurisdiction: converted / (converted + expired + not renewed + withdrawn + "
        "revoked). Approvals still within their term (or renewed) and those with a full "
        "application pending are left out of the rate.",
        [
            Column("jurisdiction", "Jurisdiction"),
            Column("total", "Conditional approvals", "int"),
            Column("converted", "Converted", "int"),
            Column("expired", "Expired", "int"),
            Column("not_renewed", "Not renewed", "int"),
            Column("withdrawn", "Withdrawn", "int"),
            Column("revoked", "Revoked", "int"),
            Column("pending", "Full application pending", "int"),
            Column("open", "Within term or renewed", "int"),
            Column("conversion_rate", "Conversion rate", "share"),
        ],
        rows,
        ["A blank rate means no conditional approval there has closed yet."],
    )
