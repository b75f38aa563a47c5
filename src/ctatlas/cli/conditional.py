"""``ctatlas conditional``: every conditional, time-limited or accelerated approval and its
outcome, computed for today or ``--as-of`` a day."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any

import typer

from ctatlas.cli.common import (
    DataOpt,
    DbOpt,
    FormatOpt,
    JurisdictionOpt,
    OutputFormat,
    check_jurisdictions,
    data_path,
    db_url,
    handle_errors,
)

__all__ = ["CSV_FIELDS", "register"]

CSV_FIELDS = (
    "jurisdiction",
    "brand_name",
    "slug",
    "indication",
    "pathway",
    "status",
    "granted",
    "deadline",
    "days_left",
    "outcome",
    "outcome_date",
    "confirmatory_obligation",
    "as_of",
)


def conditional(
    jurisdiction: JurisdictionOpt = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Compute the outcomes as they stood on this day (YYYY-MM-DD) [default: today].",
            show_default=False,
        ),
    ] = None,
    format: FormatOpt = OutputFormat.table,
    db: DbOpt = None,
    data: DataOpt = None,
) -> None:
    """Conditional approvals followed to their outcome: deadline, days left or overdue,
    outcome (converted, renewed, pending, expired, not renewed, withdrawn, revoked, in term),
    and the conversion rate per jurisdiction.

    Examples:
      ctatlas conditional
      ctatlas conditional -j JP --as-of 2024-01-01
      ctatlas conditional --format csv > conditional.csv
    """
    from ctatlas.analysis.landscape import parse_as_of
    from ctatlas.conditional import conversion_rates, today, tracker_rows
    from ctatlas.errors import BadInput
    from ctatlas.query import parse_multi
    from ctatlas.store import ensure_store

    with handle_errors():
        try:
            day = parse_as_of(as_of) or today()
        except ValueError as exc:
            raise BadInput(f"--as-of: {exc}") from None
        store = ensure_store(db_url(db), data_path(data))
        codes = [j.upper() for j in parse_multi(jurisdiction)]
        check_jurisdictions(codes, set(store.jurisdictions()))
        rows = tracker_rows(store.products(), day, codes or None)
        rates = conversion_rates(rows)
    if format is OutputFormat.json:
        payload = {"as_of": day.isoformat(), "data": rows, "conversion": rates}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if format is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buffer.getvalue(), nl=False)
        return
    typer.echo(render_tracker(rows, rates, day.isoformat()))


def days_text(row: dict[str, Any]) -> str:
    """'572 days left', '3 days overdue', 'no fixed term', or '—' once closed."""
    days = row.get("days_left")
    if days is None:
        return "no fixed term" if row["outcome"] in ("in_term", "renewed") else "—"
    if days < 0:
        return f"{-days} days overdue"
    return f"{days} days left"


def render_tracker(rows: list[dict[str, Any]], rates: list[dict[str, Any]], day: str) -> str:
    """The tracker as plain aligned text, then the conversion rates."""
    from ctatlas.cli.products import _fit

    widths = (3, 26, 10, 10, 17, 40)
    header = ("Jur", "Brand (indication)", "Granted", "Deadline", "Days", "Outcome")
    lines = [f"Conditional approvals as of {day}", ""]
    lines.append("  ".join(_fit(h, w) for h, w in zip(header, widths, strict=True)).rstrip())
    for row in rows:
        brand = row["brand_name"] + (f" ({row['indication']})" if row["indication"] else "")
        outcome = row["outcome_label"] + (
            f" {row['outcome_date']}"
            if row["outcome"] not in ("in_term",) and row["outcome_date"]
            else ""
        )
        cells = (
            row["jurisdiction"],
            brand,
            row["granted"] or "?",
            row["deadline"] or "none",
            days_text(row),
            outcome,
        )
        lines.append("  ".join(_fit(c, w) for c, w in zip(cells, widths, strict=True)).rstrip())
    lines.append(f"{len(rows)} conditional approvals")
    lines.append("")
    lines.append(
        "Conversion rate: converted / (converted + expired + not renewed + withdrawn "
        "+ revoked); in-term and pending excluded"
    )
    for rate in rates:
        share = (
            f"{rate['converted']}/{rate['closed']} = {rate['conversion_rate']:.0%}"
            if rate["conversion_rate"] is not None
            else "none closed yet"
        )
        lines.append(f"  {rate['jurisdiction']}: {share} ({rate['total']} approvals)")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(conditional)
