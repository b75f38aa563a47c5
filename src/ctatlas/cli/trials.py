"""``ctatlas trials``: ingest, fetch, link, list and count cell-therapy trials.

Heavy libraries (SQLAlchemy, orjson, httpx, rich progress) are imported inside the commands.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from typing import Annotated, Any

import typer

__all__ = ["register"]

trials_app = typer.Typer(
    name="trials",
    help="Clinical trials of cell therapies from ClinicalTrials.gov, CRIS and WHO ICTRP.",
    no_args_is_help=True,
)

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--trials-db",
        "--db",
        help="Trials store URL or SQLite path "
        "(default: CTATLAS_TRIALS_DB, else beside the atlas store).",
    ),
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table | json | csv")]

EXIT_PARTIAL = 3  # ran to the end, but some files / records were skipped (listed on stderr)


def _store(db: str | None) -> Any:
    from ctatlas.config import trials_db_url
    from ctatlas.trials.store import TrialStore

    return TrialStore(trials_db_url(db))


def _choice(name: str, value: str | None, allowed: tuple[str, ...] | list[str]) -> None:
    if value is not None and value not in allowed:
        raise typer.BadParameter(f"{value!r} is not one of: {', '.join(allowed)}", param_hint=name)


SLUG_RE = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _atlas_products(required: bool) -> tuple[Any, Any]:
    """The atlas products as link specs, and its cell-therapy names and codes for the
    classifier (the atlas store, built from the data if stale; the global ``--db`` /
    ``--data`` choose it). When it cannot be had: an error if ``required``, else a warning and
    ``(None, None)`` (trials are stored unlinked, labelled by the text rules alone)."""
    from ctatlas.cli.common import STATE, err, fail
    from ctatlas.errors import CtatlasError
    from ctatlas.store import ensure_store
    from ctatlas.trials.atlas_cache import specs_and_terms

    try:
        atlas = ensure_store(STATE.db, STATE.data)
        return specs_and_terms(atlas)  # kept between runs while the data and code are the same
    except CtatlasError as exc:
        if required:
            raise fail(f"cannot read the atlas products: {exc}", 1) from None
        err(
            f"warning: trials are stored without product links (cannot read the atlas: {exc}); "
            "run `ctatlas trials link` once the atlas builds"
        )
        return None, None


def _run_ingest(
    items: Any,
    store: Any,
    total: int | None,
    workers: int,
    quiet: bool,
    products: Any = None,
    terms: Any = None,
) -> Any:
    from ctatlas.cli.common import handle_errors
    from ctatlas.trials.ingest import ingest_items
    from ctatlas.trials.store import write_errors

    if quiet:  # no bar: rich is not even imported (~0.05 s)
        with handle_errors(), write_errors(store.url):
            return ingest_items(
                items, store, workers=workers, products=products, terms=terms
            )
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with handle_errors(), write_errors(store.url), Progress(
        TextColumn("[bold]trials"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
        console=None,
    ) as progress:
        task = progress.add_task("ingest", total=total)
        return ingest_items(
            items,
            store,
            workers=workers,
            progress=lambda n: progress.advance(task, n),
            products=products,
            terms=terms,
        )


def _report(summary: Any, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False))
    else:
        labels = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_label.items()))
        typer.echo(
            f"{summary.records} records: {summary.inserted} new, {summary.updated} updated, "
            f"{summary.unchanged} unchanged; {summary.skipped} skipped"
            + (f" ({labels})" if labels else "")
        )
    for p in summary.problems:
        typer.echo(f"skipped: {p['name']}: {p['reason']}", err=True)
    if summary.problems:
        raise typer.Exit(EXIT_PARTIAL)


@trials_app.command("ingest")
def ingest_cmd(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files or folders: bulk .zip, .json, .jsonl, .csv (also .gz)."),
    ],
    registry: Annotated[
        str | None, typer.Option(help="ctgov | cris | ictrp (default: detect from each record)")
    ] = None,
    workers: Annotated[int, typer.Option(help="Processes for decoding and classifying.")] = 1,
    db: DbOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Summary as JSON.")] = False,
) -> None:
    """Ingest registry records; re-running updates changed records and adds new ones.

    Each trial is linked to the atlas products it names (codes, names, aliases); the atlas
    is the one the global --db / --data choose. A corrupt or truncated file or zip member is
    reported with its name and skipped; the rest lands and nothing already stored is lost.
    Exit 3 when something was skipped.

    Examples:
      ctatlas trials ingest ctg-studies.json.zip --workers 2
      ctatlas trials ingest cris_list.json --registry cris
      ctatlas trials ingest ictrp_export.csv
    """
    from ctatlas.trials.sources import REGISTRIES, count_hint, iter_items

    _choice("--registry", registry, REGISTRIES)
    if workers < 1:
        raise typer.BadParameter("must be at least 1", param_hint="--workers")
    products, terms = _atlas_products(required=False)
    store = _store(db)
    run = store.start_run(list(paths))
    summary = _run_ingest(
        iter_items(paths, registry),
        store,
        None if quiet else count_hint(paths),  # the bar's total (a zip's directory read twice)
        workers,
        quiet,
        products,
        terms,
    )
    store.finish_run(run, summary.to_dict())
    _close_for_exit(store)
    _report(summary, as_json)


def _close_for_exit(store: Any) -> None:
    """Close the store (SQLite's last checkpoint: the WAL is copied into the database file
    and synced) and let the console script end the process without the interpreter's
    teardown: everything written is in the store file before the process ends."""
    from ctatlas.cli.common import STATE

    store.close()
    STATE.exit_fast = True


@trials_app.command("fetch")
def fetch_cmd(
    query: Annotated[str | None, typer.Option(help="Free-text search (query.term).")] = None,
    condition: Annotated[str | None, typer.Option(help="Condition (query.cond).")] = None,
    intervention: Annotated[str | None, typer.Option(help="Intervention (query.intr).")] = None,
    country: Annotated[str | None, typer.Option(help="Location, e.g. Japan (query.locn).")] = None,
    preset: Annotated[
        str | None,
        typer.Option(help="A ready-made search: jp-kr-cell (every study sited in Japan or "
                     "Korea that could be a cell therapy, or that names a development code "
                     "of one of the atlas's cell therapies). Resumable."),
    ] = None,
    state: Annotated[
        str | None,
        typer.Option(help="Where a --preset run saves its progress (default: beside the "
                     "trials store, or in the current folder for PostgreSQL)."),
    ] = None,
    restart: Annotated[
        bool, typer.Option("--restart", help="Ignore a saved --preset state; start over.")
    ] = False,
    rate: Annotated[float, typer.Option(help="At most this many requests per second.")] = 1.0,
    retries: Annotated[
        int, typer.Option(help="Retries of a failed request (back-off 2, 4, 8… s).")
    ] = 4,
    page_size: Annotated[
        int | None, typer.Option(help="Studies per page (1-1000; 100, a preset 200).")
    ] = None,
    max_pages: Annotated[int | None, typer.Option(help="Stop after this many pages.")] = None,
    db: DbOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Summary as JSON.")] = False,
) -> None:
    """Query the live ClinicalTrials.gov API v2 (needs internet) and ingest every page.

    Example: ctatlas trials fetch --preset jp-kr-cell
    """
    from ctatlas.trials.fetch import PRESETS, Pacer, fetch_items
    from ctatlas.trials.fetch import preset as preset_for

    if preset is not None:
        _choice("--preset", preset, sorted(PRESETS))
        if any((query, condition, intervention, country)):
            raise typer.BadParameter("a preset is its own search", param_hint="--preset")
        if max_pages is not None:
            raise typer.BadParameter(
                "a preset fetches every page (interrupt it and run it again to resume)",
                param_hint="--max-pages",
            )
    elif not any((query, condition, intervention, country)):
        raise typer.BadParameter(
            "give at least one of --query, --condition, --intervention, --country, --preset",
            param_hint="--query",
        )
    size = page_size if page_size is not None else (200 if preset else 100)
    if not 1 <= size <= 1000:
        raise typer.BadParameter("must be between 1 and 1000", param_hint="--page-size")
    if rate < 0:
        raise typer.BadParameter("must be 0 (no pacing) or more", param_hint="--rate")
    if retries < 0:
        raise typer.BadParameter("must be 0 or more", param_hint="--retries")
    products, terms = _atlas_products(required=False)
    store = _store(db)
    if preset is not None:
        # the atlas's cell-therapy codes are searched too: a trial may name only a code
        chosen = preset_for(preset, terms.codes if terms is not None else ())
        _fetch_preset(chosen, store, state, restart, size, Pacer(rate=rate), retries,
                      quiet, as_json, products, terms)
        return
    run = store.start_run(
        [f"api:{query or ''}|{condition or ''}|{intervention or ''}|{country or ''}"]
    )
    with _client() as client:
        items = fetch_items(
            client,
            query=query,
            condition=condition,
            intervention=intervention,
            country=country,
            page_size=size,
            max_pages=max_pages,
            pacer=Pacer(rate=rate),
            retries=retries,
        )
        summary = _run_ingest(items, store, None, 1, quiet, products, terms)
    store.finish_run(run, summary.to_dict())
    _report(summary, as_json)


def _fetch_preset(
    preset: Any, store: Any, state: str | None, restart: bool, page_size: int, pacer: Any,
    retries: int, quiet: bool, as_json: bool, products: Any, terms: Any = None,
) -> None:
    from pathlib import Path

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ctatlas.cli.common import handle_errors
    from ctatlas.trials.fetch import page_items, run_preset
    from ctatlas.trials.ingest import IngestSummary, ingest_items
    from ctatlas.trials.store import write_errors

    if state is None:
        url = store.url
        state = (
            url.removeprefix("sqlite:///") + f".fetch-{preset.name}.json"
            if url.startswith("sqlite:///")
            else f"ctatlas-fetch-{preset.name}.json"
        )
    if restart:
        Path(state).unlink(missing_ok=True)
    from ctatlas.trials.atlas_terms import rule_version

    total = IngestSummary(rules=rule_version(terms))
    run = store.start_run([f"api-preset:{preset.name}"])
    with handle_errors(), write_errors(store.url), Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=quiet,
    ) as progress:
        tasks = [
            progress.add_task(f"{preset.name} {s.get('query.locn', i + 1)}", total=None)
            for i, s in enumerate(preset.searches)
        ]

        def on_total(i: int, n: int | None) -> None:
            progress.update(tasks[i], total=n)

        def store_page(page: Any) -> None:
            name = f"{preset.name} search {page.search + 1} page {page.number}"
            s = ingest_items(page_items(page, name), store, products=products, terms=terms)
            for key in ("records", "inserted", "updated", "unchanged", "skipped", "bytes"):
                setattr(total, key, getattr(total, key) + getattr(s, key))
            for k, v in s.by_label.items():
                total.by_label[k] = total.by_label.get(k, 0) + v
            total.problems.extend(s.problems)
            progress.advance(tasks[page.search], len(page.studies))

        with _client() as client:
            done = run_preset(client, preset, state, store_page, page_size=page_size,
                              pacer=pacer, retries=retries, on_total=on_total)
    total.problems.extend(done.problems)
    store.finish_run(run, total.to_dict())
    if not as_json:
        typer.echo(
            f"{done.pages_fetched} pages fetched, {done.pages_skipped} already stored"
            + (f", {done.restarted} searches restarted" if done.restarted else "")
            + ("" if done.complete else f"; not finished: run again to resume ({state})")
        )
    _report(total, as_json)


@trials_app.command("link")
def link_cmd(
    db: DbOpt = None,
    batch_size: Annotated[int, typer.Option(help="Records read and written at a time.")] = 2000,
    as_json: Annotated[bool, typer.Option("--json", help="Summary as JSON.")] = False,
) -> None:
    """Label and link every stored trial again (run it after the atlas data changed: a new
    development code makes a trial that names only that code a cell therapy; ingest labels and
    links new records itself). Links that no longer hold are removed.

    The store is read and written in batches, never loaded whole. The atlas is the one the
    global --db / --data choose.

    Example: ctatlas trials link
    """
    import sqlalchemy as sa

    from ctatlas.cli.common import fail
    from ctatlas.trials.relabel import relabel

    if batch_size < 1:
        raise typer.BadParameter("must be at least 1", param_hint="--batch-size")
    products, terms = _atlas_products(required=True)
    try:
        summary = relabel(_store(db), products, terms, batch_size)
    except sa.exc.SQLAlchemyError as exc:
        raise fail(f"the trials store failed: {exc.__class__.__name__}: {exc}", 1) from None
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
    else:
        typer.echo(
            f"{summary['linked']} of {summary['records']} records linked to "
            f"{summary['products']} atlas products; {summary['relabelled']} labels changed; "
            f"{summary['changed']} records changed"
        )
    for p in summary["problems"]:
        typer.echo(f"skipped: {p['name']}: {p['reason']}", err=True)


def _client() -> Any:
    """The HTTP client ``fetch`` uses; tests replace this with a MockTransport client."""
    import httpx

    return httpx.Client(
        headers={"User-Agent": "ctatlas (Cell Therapy Atlas)"}, follow_redirects=True
    )


_LIST_COLUMNS = (
    "registry",
    "trial_id",
    "phases",
    "status",
    "start_date",
    "countries",
    "label",
    "cell_family",
    "origin",
    "title",
)


@trials_app.command("list")
def list_cmd(
    label: Annotated[
        str | None,
        typer.Option(
            help="cell_therapy | hsct_procedure | acellular_cell_derived | not_cell | all"
        ),
    ] = "cell_therapy",
    country: Annotated[str | None, typer.Option(help="ISO alpha-2, e.g. JP, KR.")] = None,
    phase: Annotated[str | None, typer.Option(help="early_1 | 1 | 2 | 3 | 4 | na")] = None,
    status: Annotated[str | None, typer.Option(help="e.g. recruiting, completed")] = None,
    cell_class: Annotated[str | None, typer.Option(help="somatic | stem")] = None,
    family: Annotated[str | None, typer.Option(help="MSC, CAR_T, NK, iPSC_derived …")] = None,
    origin: Annotated[
        str | None, typer.Option(help="autologous | allogeneic | mixed | unknown")
    ] = None,
    start_year_from: Annotated[int | None, typer.Option(help="First start year.")] = None,
    start_year_to: Annotated[int | None, typer.Option(help="Last start year.")] = None,
    sponsor_class: Annotated[
        str | None, typer.Option(help="industry | academic | government | other | unknown")
    ] = None,
    condition: Annotated[str | None, typer.Option(help="Words in a condition.")] = None,
    product: Annotated[
        str | None,
        typer.Option(
            help="Atlas product slug, e.g. tisagenlecleucel: trials linked to it "
            "(with --label all for gene therapies, whose trials are not cell therapy)."
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many trials.")] = None,
    fmt: FormatOpt = "table",
    db: DbOpt = None,
) -> None:
    """List trials (one per real trial, with ids from every registry), filtered.

    JSON fields: registry, trial_id, secondary_ids, title, phases, status, start_date,
    countries, sponsor, sponsor_class, conditions, interventions, label, cell_class,
    cell_family, stem_type, origin, evidence [{field, text, rule}], product_slugs.

    Examples:
      ctatlas trials list --country JP --phase 2
      ctatlas trials list --family MSC --format json
      ctatlas trials list --product tisagenlecleucel --label all
    """
    from ctatlas.trials.record import (
        CELL_FAMILIES,
        LABELS,
        ORIGINS,
        PHASES,
        SPONSOR_CLASSES,
        STATUSES,
    )

    _choice("--label", label, (*LABELS, "all"))
    _choice("--phase", phase, PHASES)
    _choice("--status", status, STATUSES)
    _choice("--cell-class", cell_class, ("somatic", "stem"))
    _choice("--family", family, CELL_FAMILIES)
    _choice("--origin", origin, ORIGINS)
    _choice("--sponsor-class", sponsor_class, SPONSOR_CLASSES)
    _choice("--format", fmt, ("table", "json", "csv"))
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise typer.BadParameter("use an ISO alpha-2 code such as JP or KR", param_hint="--country")
    if product is not None and not re.match(SLUG_RE, product):
        raise typer.BadParameter(
            "use a product slug such as tisagenlecleucel (see `ctatlas products`)",
            param_hint="--product",
        )
    store = _store(db)
    rows = store.query(
        label=None if label == "all" else label,
        country=country,
        phase=phase,
        status=status,
        cell_class=cell_class,
        family=family,
        origin=origin,
        start_year_from=start_year_from,
        start_year_to=start_year_to,
        sponsor_class=sponsor_class,
        condition=condition,
        product=product,
        limit=limit,
    )
    if fmt == "json":
        typer.echo(json.dumps(list(rows), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        w = None
        for r in rows:
            flat = {
                k: (json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v)
                for k, v in r.items()
            }
            if w is None:
                w = csv.DictWriter(sys.stdout, fieldnames=list(flat))
                w.writeheader()
            w.writerow(flat)
    else:
        _table([{k: _cell(r[k]) for k in _LIST_COLUMNS} for r in rows], _LIST_COLUMNS)


def _cell(v: Any) -> str:
    if isinstance(v, list):
        return ",".join(str(x) for x in v)
    return "" if v is None else str(v)


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...] | list[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    # A terminal (or COLUMNS) gives the real width; piped output gets room for every column.
    known = console.is_terminal or bool(os.environ.get("COLUMNS"))
    width = console.width if known else max(console.width, 160)
    if "title" in columns and width < _WIDE:
        columns = [c for c in columns if c in _NARROW_COLUMNS]
    table = Table()
    for c in columns:
        if c in _ID_COLUMNS:
            # the id is what `trials show` takes next: never cut or wrapped
            longest = max((len(_cell(r[c])) for r in rows), default=0)
            table.add_column(c, no_wrap=True, overflow="fold", min_width=max(len(c), longest))
        else:
            table.add_column(c, no_wrap=c != "title", overflow="ellipsis")
    for r in rows:
        table.add_row(*(_cell(r[c]) if c in _ID_COLUMNS else _cell(r[c])[:70] for c in columns))
    console.print(table, width=width if "title" in columns else None)
    typer.echo(f"{len(rows)} trials")


#: Below this many columns `trials list` keeps only the columns in _NARROW_COLUMNS.
_WIDE = 120
_NARROW_COLUMNS = ("trial_id", "phases", "status", "title")
_ID_COLUMNS = ("trial_id",)


@trials_app.command("stats")
def stats_cmd(
    label: Annotated[str, typer.Option(help="Which label to count (or all).")] = "cell_therapy",
    by: Annotated[
        str,
        typer.Option(
            help="Comma-separated: region (JP, KR, world), country, phase, cell_class, "
            "family, origin, year, status, sponsor_class, label"
        ),
    ] = "country,phase,cell_class,year",
    country: Annotated[str | None, typer.Option(help="Only trials with a site here.")] = None,
    fmt: FormatOpt = "table",
    db: DbOpt = None,
) -> None:
    """Count trials by country x phase x cell class x start year (or any other split).

    Examples:
      ctatlas trials stats
      ctatlas trials stats --by country,year --country KR
      ctatlas trials stats --by region,cell_class,year
    """
    from ctatlas.trials.record import LABELS
    from ctatlas.trials.stats import DIMENSIONS, pipeline_stats

    _choice("--label", label, (*LABELS, "all"))
    _choice("--format", fmt, ("table", "json", "csv"))
    dims = [d.strip() for d in by.split(",") if d.strip()]
    for d in dims:
        _choice("--by", d, DIMENSIONS)
    store = _store(db)
    rows = pipeline_stats(
        store.stats_counts(dims, label=None if label == "all" else label, country=country),
        dims,
    )
    if country:
        rows = [r for r in rows if "country" not in r or r["country"] == country.upper()]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=[*dims, "trials"])
        w.writeheader()
        w.writerows(rows)
    else:
        _table(rows, [*dims, "trials"])


def register(app: typer.Typer) -> None:
    app.add_typer(trials_app, name="trials")
