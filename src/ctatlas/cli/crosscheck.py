"""``ctatlas crosscheck fda|ema FILE``: the atlas against a regulator's own list.

Exit codes: 0 no difference, 1 differences found, 2 bad input (unreadable or unrecognised file).
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ctatlas.cli.common import DataOpt, DbOpt, data_path, db_url, handle_errors

__all__ = ["register"]


class CheckFormat(str, Enum):
    """Output formats of the cross-checks."""

    table = "table"
    json = "json"


FileArg = Annotated[
    Path,
    typer.Argument(
        help="The exported list (see the command's help for the formats).", show_default=False
    ),
]
CheckFormatOpt = Annotated[
    CheckFormat, typer.Option("--format", "-f", help="table (readable) or json")
]
ExplainedOpt = Annotated[
    Path | None,
    typer.Option(
        "--explained",
        help="YAML list of known differences {list, key, reason[, kind]}: reported as "
        "explained, not as differences. Default: crosscheck_explained.yaml in the data "
        "folder, when there is one.",
        show_default=False,
    ),
]

StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Also count differences the atlas already records as conflicts between sources.",
    ),
]

#: Read from the data folder when --explained is not given.
DEFAULT_EXPLAINED = "crosscheck_explained.yaml"

app = typer.Typer(
    name="crosscheck",
    help="Compare the atlas with a regulator's own list (FDA, EMA). Exit 1 on differences.",
    no_args_is_help=True,
)


def _run(
    which: str,
    file: Path,
    format: CheckFormat,
    explained: Path | None,
    strict: bool,
    db: str | None,
    data: str | None,
) -> None:
    from ctatlas.config import data_dir
    from ctatlas.crosscheck import compare, load_explained, read_list, render_report
    from ctatlas.store import ensure_store

    with handle_errors():
        listfile = read_list(which, file)
        if explained is None:
            default = data_dir(data_path(data)) / DEFAULT_EXPLAINED
            explained = default if default.is_file() else None
        explanations = load_explained(explained) if explained else []
        store = ensure_store(db_url(db), data_path(data))
        report = compare(
            listfile, store.products(), explanations, use_recorded_conflicts=not strict
        )
        report.explained_file = str(explained) if explained else None
    if format is CheckFormat.json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_report(report))
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def fda(
    file: FileArg,
    format: CheckFormatOpt = CheckFormat.table,
    explained: ExplainedOpt = None,
    strict: StrictOpt = False,
    db: DbOpt = None,
    data: DataOpt = None,
) -> None:
    """Check the US records against FDA CBER's list of cell and gene therapy products.

    FILE: the CSV scrape (product,approval_date,url,excluded) or the page's HTML table.
    Reports list entries the atlas lacks (cell-based or not), atlas US records
    the list lacks, and approval dates that differ. Exit 1 on any unexplained
    difference, 2 on a file it cannot read.

    Example: ctatlas crosscheck fda fda_cber_approved_cgt_products.csv
    """
    _run("fda", file, format, explained, strict, db, data)


@app.command()
def ema(
    file: FileArg,
    format: CheckFormatOpt = CheckFormat.table,
    explained: ExplainedOpt = None,
    strict: StrictOpt = False,
    db: DbOpt = None,
    data: DataOpt = None,
) -> None:
    """Check the EU records against EMA's medicines report (XLSX or CSV).

    Keeps human medicines with Advanced therapy = Yes; refusals and withdrawn
    applications are set aside. Reports entries the atlas lacks, atlas EU records
    the list lacks, and differing authorisation dates, statuses and end dates.
    Exit 1 on any unexplained difference, 2 on a file it cannot read.

    Example: ctatlas crosscheck ema medicines-output-medicines-report_en.xlsx -f json
    """
    _run("ema", file, format, explained, strict, db, data)


def register(root: typer.Typer) -> None:
    """Add the ``crosscheck`` command group to the app."""
    root.add_typer(app, name="crosscheck")
