"""``ctatlas pipeline``: development programs, filtered."""

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
    data_path,
    db_url,
    handle_errors,
)
from ctatlas.labels import label
from ctatlas.vocab import ProgramStatus, Stage

__all__ = ["register"]

#: Plain words for the table (JSON and CSV keep the codes): the atlas's English labels.
STAGE_LABELS = {s.value: label("stage", s.value) for s in Stage}
STATUS_LABELS = {s.value: label("program_status", s.value) for s in ProgramStatus}


def pipeline(
    jurisdiction: JurisdictionOpt = None,
    stage: Annotated[
        list[str] | None,
        typer.Option(help="phase1, phase1_2, phase2, phase3, filed, approved", show_default=False),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(help="active, discontinued, on_hold, unknown", show_default=False),
    ] = None,
    family: Annotated[
        list[str] | None,
        typer.Option(
            help="The trial classifier's cell family: MSC, iPSC_derived, CAR_T, NK ...",
            show_default=False,
        ),
    ] = None,
    origin: Annotated[
        list[str] | None,
        typer.Option(help="autologous, allogeneic, xenogeneic", show_default=False),
    ] = None,
    disease: Annotated[
        list[str] | None,
        typer.Option(
            help="Disease or area id from diseases.yaml (an area means all its diseases).",
            show_default=False,
        ),
    ] = None,
    developer: Annotated[
        str | None,
        typer.Option(help="Text in the developer's or a partner's name.", show_default=False),
    ] = None,
    format: FormatOpt = OutputFormat.table,
    db: DbOpt = None,
    data: DataOpt = None,
) -> None:
    """List development programs: one per therapy, jurisdiction and indication set. With no
    filter every program is listed, discontinued and on hold included. Every filter takes
    several values (repeat it or give a comma list). The table ends with how complete each
    jurisdiction's programs are ("complete as of D" or "not yet complete"); the API's
    `completeness` carries the same in JSON.

    Examples:
      ctatlas pipeline --jurisdiction KR --family MSC --stage phase3
      ctatlas pipeline --stage filed --format json
      ctatlas pipeline --disease neurodegeneration --status discontinued
    """
    from ctatlas.errors import BadInput
    from ctatlas.pipeline import (
        PipelineFilter,
        check_filter,
        completeness,
        filter_programs,
        program_rows,
    )
    from ctatlas.query import parse_multi
    from ctatlas.store import ensure_store

    with handle_errors():
        flt = PipelineFilter(
            jurisdictions=[j.upper() for j in parse_multi(jurisdiction)],
            stage=parse_multi(stage),
            status=parse_multi(status),
            family=parse_multi(family),
            origin=parse_multi(origin),
            disease=parse_multi(disease),
            developer=developer,
        )
        store = ensure_store(db_url(db), data_path(data))
        problems, diseases = check_filter(flt, store.jurisdictions(), store.diseases())
        if problems:
            raise BadInput("; ".join(f"--{flag} {message}" for flag, message in problems))
        rows = filter_programs(program_rows(store.therapies()), flt, diseases)
        codes = flt.jurisdictions or {r["jurisdiction"] for r in rows}
        covered = completeness(store.jurisdictions(), codes)
    _emit(rows, format, covered)


def _emit(
    rows: list[dict[str, Any]], format: OutputFormat, covered: list[dict[str, Any]]
) -> None:
    from ctatlas.pipeline import PIPELINE_FIELDS, completeness_line, flat_row, part_line

    if format is OutputFormat.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if format is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=PIPELINE_FIELDS)
        writer.writeheader()
        writer.writerows(flat_row(r) for r in rows)
        typer.echo(buffer.getvalue(), nl=False)
        return
    typer.echo(render_table(rows))
    therapies = len({r["slug"] for r in rows})
    typer.echo(f"{len(rows)} programs of {therapies} therapies")
    if covered:
        typer.echo("Programs recorded, how complete:")
        for entry in covered:
            typer.echo("  " + completeness_line(entry))
            for part in entry["parts"]:
                typer.echo("    - " + part_line(part))


def render_table(rows: list[dict[str, Any]], width: int | None = None) -> str:
    """A plain, aligned table of programs that fits the terminal (80 columns when piped)."""
    import shutil

    from ctatlas.cli.products import ORIGIN_SHORT, _fit
    from ctatlas.vocab import STAGE_ORDER

    total = width or max(80, min(shutil.get_terminal_size((80, 24)).columns, 160))
    fixed = [("Jur", 3), ("Stage", 9), ("Status", 12), ("Family", 12), ("Origin", 6)]
    gaps = 2 * (len(fixed) + 1)
    flexible = total - sum(w for _, w in fixed) - gaps
    name_w = max(10, flexible * 9 // 20)
    dev_w = max(8, flexible - name_w)
    widths = [name_w] + [w for _, w in fixed] + [dev_w]
    header = ["Therapy", *(name for name, _ in fixed), "Developer"]
    order = {s.value: i for i, s in enumerate(STAGE_ORDER)}
    lines = ["  ".join(_fit(h, w) for h, w in zip(header, widths, strict=True)).rstrip()]
    for row in sorted(rows, key=lambda r: (r["jurisdiction"], -order[r["stage"]], r["slug"])):
        origin = row["origin"] or "?"
        therapy = (row["brand_names"] or row["codes"] or [row["name"]])[0]
        cells = [
            therapy,
            row["jurisdiction"],
            STAGE_LABELS[row["stage"]],
            STATUS_LABELS[row["status"]],
            label("cell_family", row["cell_family"]),
            ORIGIN_SHORT.get(origin, origin),
            row["developer"] or "?",
        ]
        lines.append("  ".join(_fit(c, w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(pipeline)
