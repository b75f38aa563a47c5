"""``ctatlas designations``: designations and expedited routes (SAKIGAKE, orphan, RMAT,
breakthrough, PRIME, Korea's expedited review) linked to their outcome, with counts per route."""

from __future__ import annotations

import csv
import io
import json

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
    "designation",
    "slug",
    "name",
    "approved",
    "approval_date",
    "brand_name",
    "stage",
    "status",
    "designation_date",
    "days_to_approval",
    "designation_source",
)


def designations(
    jurisdiction: JurisdictionOpt = None,
    format: FormatOpt = OutputFormat.table,
    db: DbOpt = None,
    data: DataOpt = None,
) -> None:
    """Designated therapies and whether and when each was approved, then the counts per
    designation (designated, approved, still in development, stopped).

    Examples:
      ctatlas designations
      ctatlas designations -j JP
      ctatlas designations --format csv > designations.csv
    """
    from ctatlas.designations import designation_rows, designation_stats, published_totals
    from ctatlas.query import parse_multi
    from ctatlas.store import ensure_store

    with handle_errors():
        store = ensure_store(db_url(db), data_path(data))
        codes = [j.upper() for j in parse_multi(jurisdiction)]
        check_jurisdictions(codes, set(store.jurisdictions()))
        rows = designation_rows(store.therapies(), codes or None)
        stats = designation_stats(rows)
        published = published_totals(store.jurisdictions(), stats, codes or None)
    if format is OutputFormat.json:
        typer.echo(
            json.dumps(
                {"data": rows, "stats": stats, "published": published},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if format is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buffer.getvalue(), nl=False)
        return
    typer.echo(render(rows, stats, published))


def render(rows: list[dict], stats: list[dict], published: list[dict] | None = None) -> str:
    """The designated therapies as aligned text (labels, not codes), then the counts, then
    the regulators' own published totals beside the atlas's counts."""
    from ctatlas.cli.products import _fit
    from ctatlas.labels import jurisdiction_name, label

    widths = (3, 34, 44, 24, 10)
    lines = ["  ".join(_fit(h, w) for h, w in zip(
        ("Jur", "Designation", "Therapy", "Outcome", "Designated"), widths, strict=True)).rstrip()]
    for r in rows:
        outcome = (
            f"approved {r['approval_date'] or '(date unknown)'}"
            if r["approved"]
            else label("stage", r["stage"])
        )
        cells = (r["jurisdiction"], label("designation", r["designation"]), r["name"], outcome,
                 r.get("designation_date") or "")
        lines.append("  ".join(_fit(c, w) for c, w in zip(cells, widths, strict=True)).rstrip())
    lines += ["", "Per designation: designated / approved / in development / stopped"]
    for s in stats:
        lines.append(
            f"  {jurisdiction_name(s['jurisdiction'])}, "
            f"{label('designation', s['designation'])}: {s['designated']} / {s['approved']} / "
            f"{s['in_development']} / {s['stopped']}"
            + (
                f"; median {s['median_days_to_approval']:g} days from designation to approval "
                f"({s['timed_approvals']} dated)"
                if s.get("median_days_to_approval") is not None
                else ""
            )
        )
    lines.append(
        "Only therapies curated in the atlas are counted; regulators' own totals are larger."
    )
    if published:
        lines += ["", "Published totals (the regulator's own where it publishes one)"]
        for p in published:
            period = (
                f"({p['period_start']} to {p['as_of']})"
                if p["period_start"]
                else f"(to {p['as_of']})"
            )
            beside = (
                f"; the atlas names {p['atlas_names']} of {p['value']}"
                if p["atlas_names"] is not None
                else ""
            )
            lines.append(
                f"  {jurisdiction_name(p['jurisdiction'])}, "
                f"{label('designation', p['designation'])}: {p['measure']} {period}: "
                f"{p['value']}{beside}"
            )
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(designations)
