"""Commands on the curated data: validate, fmt, schema, build."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ctatlas.cli.common import DataOpt, DbOpt, data_path, db_url, err, handle_errors, print_problems

__all__ = ["register"]


def validate(
    path: Annotated[
        Path | None, typer.Argument(help="Data folder (default: --data / CTATLAS_DATA / packaged)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Problems as JSON on stdout.")] = False,
    data: DataOpt = None,
    stats: Annotated[
        bool,
        typer.Option(
            "--stats",
            help="Also print, per jurisdiction, how many authorizations date their approval "
            "from the regulator's own record, and how many carry an approval number.",
        ),
    ] = False,
) -> None:
    """Check every data file and the dataset as a whole; list every problem at once.

    Each problem names the file, line, field path, the reason and a hint. Exit 1 on any error.
    The folder is PATH, else --data (as `build --data` takes it), else the global one.

    Example: ctatlas validate data/
    """
    from ctatlas.config import data_dir
    from ctatlas.dataset import validate_dataset

    if path and data and Path(path).resolve() != Path(data).resolve():
        err(f"Error: two data folders given ({path} and --data {data}); give one")
        raise typer.Exit(2)
    root = data_dir(str(path) if path else data_path(data))
    dataset, problems = validate_dataset(root)
    if as_json:
        typer.echo(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
    elif problems:
        print_problems(problems)
    if dataset is None:
        raise typer.Exit(1)
    if not as_json:
        typer.echo(
            f"ok: {_counts(dataset)}, {len(dataset.jurisdictions)} jurisdictions, "
            f"{len(dataset.diseases.diseases)} diseases"
        )
        if stats:
            _print_stats(dataset)


def _print_stats(dataset: Any) -> None:
    from ctatlas.sources import HOSTS_FILE, regulator_share

    if dataset.source_hosts is None:
        err(f"no {HOSTS_FILE} in the data folder: no regulator hosts to count")
        raise typer.Exit(1)
    names = {code: j.name for code, j in dataset.jurisdictions.items()}
    rows = regulator_share(dataset.products, dataset.source_hosts, names)
    typer.echo("")
    typer.echo(
        "Approval date backed by the regulator's own record (a source of kind regulator on "
        "the regulator's website that supports approval_date), per jurisdiction:"
    )
    header = (
        "Jurisdiction",
        "Authorizations",
        "Regulator-dated",
        "Share",
        "Only via a copy",
        "Approval number",
    )
    typer.echo(
        f"{header[0]:<24} {header[1]:>14} {header[2]:>15} {header[3]:>6} "
        f"{header[4]:>15} {header[5]:>15}"
    )
    for row in rows:
        share = f"{row.share:.0%}" if row.authorizations else "-"
        typer.echo(
            f"{names.get(row.jurisdiction, row.jurisdiction):<24} {row.authorizations:>14} "
            f"{row.regulator_dated:>15} {share:>6} {row.read_via_copy:>15} "
            f"{row.approval_numbers:>15}"
        )


def _counts(dataset: Any) -> str:
    """``111 products, 155 authorizations, 3 in development only, 4 programs``."""
    authorized = sum(1 for p in dataset.products if p.authorizations)
    auths = sum(len(p.authorizations) for p in dataset.products)
    programs = sum(len(p.programs) for p in dataset.products)
    text = f"{authorized} products, {auths} authorizations"
    if programs or authorized != len(dataset.products):
        text += (
            f", {len(dataset.products) - authorized} in development only, {programs} programs"
        )
    return text


def fmt(
    check: Annotated[
        bool, typer.Option("--check", help="Only list files that are not canonical; exit 1 if any.")
    ] = False,
    data: DataOpt = None,
) -> None:
    """Rewrite the data files in the one canonical style (key order from the model).

    Example: ctatlas fmt --check
    """
    from ctatlas.canonical import format_data
    from ctatlas.config import data_dir

    root = data_dir(data_path(data))
    result = format_data(root, check=check)
    if result.problems:
        print_problems(result.problems)
    for rel in result.changed:
        typer.echo(f"{'would reformat' if check else 'reformatted'} {rel}")
    typer.echo(f"{len(result.changed)} changed, {result.unchanged} already canonical")
    if result.problems or (check and result.changed):
        if check and result.changed:
            err("run `ctatlas fmt` to fix")
        raise typer.Exit(1)


def schema(
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder to write to (default: <data>/schema).")
    ] = None,
    data: DataOpt = None,
) -> None:
    """Write the JSON Schema of every data file, generated from the pydantic models.

    Example: ctatlas schema
    """
    from ctatlas.canonical import write_schemas
    from ctatlas.config import data_dir

    target = out or data_dir(data_path(data)) / "schema"
    for path in write_schemas(target):
        typer.echo(f"wrote {path}")


def build(db: DbOpt = None, data: DataOpt = None) -> None:
    """Build the store from the data, atomically (the old store stays if anything fails).

    Example: ctatlas build --db postgresql://user@localhost/ctatlas
    """
    from ctatlas.config import data_dir
    from ctatlas.dataset import load_dataset
    from ctatlas.store import build_store

    with handle_errors():
        dataset = load_dataset(data_dir(data_path(data)))
        url = build_store(dataset, db_url(db))
    typer.echo(f"built {url}: {_counts(dataset)}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(validate)
    app.command()(fmt)
    app.command()(schema)
    app.command()(build)
