"""``ctatlas export``: the atlas as CSV, XLSX, JSON or a Frictionless Data Package."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ctatlas.cli.common import (
    DataOpt,
    DbOpt,
    JurisdictionOpt,
    check_jurisdictions,
    data_path,
    db_url,
    err,
    handle_errors,
)
from ctatlas.export import ExportFormat

__all__ = ["register"]


def export(
    format: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="csv (one row per authorization), programs_csv "
                     "(one row per development program), xlsx, json, "
                     "datapackage (zip: datapackage.json + one CSV per table)."),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="File to write (replaced atomically).", dir_okay=False),
    ],
    jurisdiction: JurisdictionOpt = None,
    db: DbOpt = None,
    data: DataOpt = None,
) -> None:
    """Export the atlas: the same bytes as GET /api/v1/export/{format}.

    Examples:
      ctatlas export --format csv --out atlas.csv
      ctatlas export --format datapackage --out atlas-datapackage.zip
      ctatlas export --format xlsx --out japan.xlsx --jurisdiction JP
    """
    from ctatlas.export import write_export
    from ctatlas.pipeline import programs_for_export
    from ctatlas.query import ProductFilter, filter_products, parse_multi, sort_products
    from ctatlas.store import ensure_store

    with handle_errors():
        store = ensure_store(db_url(db), data_path(data))
        codes = [c.upper() for c in parse_multi(jurisdiction)]
        check_jurisdictions(codes, set(store.jurisdictions()))
        flt = ProductFilter(jurisdictions=codes)
        products = sort_products(filter_products(store.products(), flt), None)
        programs = programs_for_export(store.therapies(), flt)
        path = write_export(
            format,
            out,
            products,
            store.jurisdictions(),
            store.diseases(),
            store.meta(),
            programs,
        )
    err(f"Wrote {len(products)} products and {len(programs)} programs as {format.value} to {path}")


def register(app: typer.Typer) -> None:
    """Add ``export`` to the app."""
    app.command()(export)
