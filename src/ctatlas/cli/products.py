"""Listing and showing products."""

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

__all__ = ["register"]

Multi = Annotated[list[str] | None, typer.Option(show_default=False)]


def products(
    jurisdiction: JurisdictionOpt = None,
    modality: Annotated[
        list[str] | None,
        typer.Option(help="cell_therapy, tissue_engineered, gene_modified_cell, gene_therapy"),
    ] = None,
    cell_class: Annotated[
        list[str] | None, typer.Option("--cell-class", help="somatic, stem, not_applicable")
    ] = None,
    origin: Annotated[
        list[str] | None,
        typer.Option(help="autologous, allogeneic, xenogeneic, not_applicable"),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(help="authorized, expired, withdrawn, revoked, suspended, not_renewed"),
    ] = None,
    pathway: Annotated[
        list[str] | None,
        typer.Option(help="standard, conditional_time_limited, conditional, accelerated, ..."),
    ] = None,
    approved_from: Annotated[
        str | None, typer.Option("--approved-from", help="YYYY[-MM[-DD]]")
    ] = None,
    approved_to: Annotated[str | None, typer.Option("--approved-to", help="YYYY[-MM[-DD]]")] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search", "-s", help="Text in brand, name, holder, indication (any script)."
        ),
    ] = None,
    format: FormatOpt = OutputFormat.table,
    db: DbOpt = None,
    data: DataOpt = None,
) -> None:
    """List products, filtered. Every filter takes several values (repeat or comma list).

    Examples:
      ctatlas products --jurisdiction JP
      ctatlas products -j JP,KR --cell-class stem --format json
      ctatlas products --search テムセル
    """
    from ctatlas.query import ProductFilter, filter_products, parse_multi
    from ctatlas.store import ensure_store

    with handle_errors():
        flt = ProductFilter(
            jurisdictions=[j.upper() for j in parse_multi(jurisdiction)],
            modality=parse_multi(modality),
            cell_class=parse_multi(cell_class),
            origin=parse_multi(origin),
            status=parse_multi(status),
            pathway=parse_multi(pathway),
            approved_from=_check_date(approved_from, "--approved-from"),
            approved_to=_check_date(approved_to, "--approved-to"),
            search=search,
        )
        _check_vocabularies(flt)
        store = ensure_store(db_url(db), data_path(data))
        if flt.jurisdictions:
            check_jurisdictions(flt.jurisdictions, set(store.jurisdictions()))
        texts = store.search_texts() if flt.search else None
        found = filter_products(store.products(), flt, texts)
        if texts is not None and flt.search:  # best match first (an exact brand or code)
            from ctatlas.search import rank

            found = rank(found, flt.search, texts)
    _emit(found, format)


def _check_date(value: str | None, flag: str) -> str | None:
    from ctatlas.errors import BadInput
    from ctatlas.vocab import PARTIAL_DATE_RE

    if value is None:
        return None
    if not PARTIAL_DATE_RE.match(value):
        raise BadInput(f"{flag} '{value}' is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _check_vocabularies(flt: Any) -> None:
    from ctatlas.errors import BadInput
    from ctatlas.vocab import CellClass, Modality, Origin, Pathway, Status

    for name, enum in (
        ("modality", Modality),
        ("cell_class", CellClass),
        ("origin", Origin),
        ("status", Status),
        ("pathway", Pathway),
    ):
        allowed = [m.value for m in enum]
        for value in getattr(flt, name):
            if value not in allowed:
                flag = "--" + name.replace("_", "-")
                raise BadInput(f"{flag} '{value}' is not allowed; allowed: {', '.join(allowed)}")


CSV_FIELDS = (
    "slug",
    "name",
    "modality",
    "cell_class",
    "stem_type",
    "origin",
    "tissue_source",
    "jurisdiction",
    "brand_name",
    "local_name",
    "holder",
    "approval_date",
    "pathway",
    "category",
    "status",
    "conditional_outcome",
    "conditional_outcome_date",
    "indications",
)


def _emit(found: list[dict[str, Any]], format: OutputFormat) -> None:
    if format is OutputFormat.json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    from ctatlas.query import authorization_rows

    rows = authorization_rows(found)
    if format is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buffer.getvalue(), nl=False)
        return
    typer.echo(render_table(rows))
    typer.echo(f"{len(found)} products, {len(rows)} authorizations")


ORIGIN_SHORT = {"autologous": "auto", "allogeneic": "allo", "xenogeneic": "xeno"}
#: The table's narrow "Class" column: short words, not codes.
CLASS_SHORT = {"somatic": "somatic", "stem": "stem", "not_applicable": "-"}
#: The conditional outcome beside the status in the narrow table (`ctatlas conditional` has it
#: in full).
OUTCOME_SHORT = {
    "converted": "full",
    "renewed": "renewed",
    "full_application_pending": "pending",
    "expired": "expired",
    "not_renewed": "not renewed",
    "withdrawn": "withdrawn",
    "revoked": "revoked",
    "in_term": "in term",
}


def _fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` terminal cells (CJK counts double), padding with spaces."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def render_table(rows: list[dict[str, Any]], width: int | None = None) -> str:
    """A plain, aligned table that fits the terminal (80 columns when not a terminal)."""
    import shutil

    from rich.cells import cell_len

    from ctatlas.labels import label

    total = width or max(80, min(shutil.get_terminal_size((80, 24)).columns, 160))
    fixed = [("Jur", 3), ("Approved", 10), ("Status", 13), ("Class", 7), ("Origin", 6)]
    # The slug is what the user types next (`ctatlas show SLUG`): never cut it. It gets its
    # longest value's width; the brand takes what is left, at least 10 cells. When that does
    # not fit, columns are set one space apart; a slug longer still widens the line.
    slug_w = max([4, *(cell_len(row["slug"]) for row in rows)])
    sep = "  "
    if sum(w for _, w in fixed) + 2 * (len(fixed) + 1) + slug_w + 10 > total:
        sep = " "
    flexible = total - sum(w for _, w in fixed) - len(sep) * (len(fixed) + 1)
    brand_w = max(10, flexible - slug_w)
    widths = [brand_w] + [w for _, w in fixed] + [slug_w]
    header = ["Brand", *(name for name, _ in fixed), "Slug"]
    lines = [sep.join(_fit(h, w) for h, w in zip(header, widths, strict=True)).rstrip()]
    for row in sorted(rows, key=lambda r: (r["jurisdiction"], r["approval_date"] or "")):
        origin = row["origin"] or "?"
        status = label("status", row["status"])
        if row.get("conditional_outcome") and row["conditional_outcome"] != row["status"]:
            # never plain 'authorized' when the conditional term says otherwise
            short = OUTCOME_SHORT[row["conditional_outcome"]]
            fits = len(status) + len(short) < 13
            status = f"{status}/{short}" if fits else f"{status[:4]}./{short}"
        cells = [
            row["brand_name"],
            row["jurisdiction"],
            row["approval_date"] or "?",
            status,
            CLASS_SHORT.get(row["cell_class"], row["cell_class"])
            if row["modality"] != "gene_therapy"
            else "gene",
            "-" if origin == "not_applicable" else ORIGIN_SHORT.get(origin, origin),
            row["slug"],
        ]
        lines.append(sep.join(_fit(c, w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines)


def show(
    slug: Annotated[
        str,
        typer.Argument(
            help="The product's slug (any case) or a name: brand, local name, common name or "
            "code (see `ctatlas products`)."
        ),
    ],
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table (readable) or json")
    ] = OutputFormat.table,
    db: DbOpt = None,
    data: DataOpt = None,
) -> None:
    """Show one therapy with all its authorizations, development programs and sources.

    Examples: ctatlas show temcell-hs --format json; ctatlas show テムセル; ctatlas show Cartistem
    """
    from ctatlas.errors import RecordNotFound
    from ctatlas.search import brand_of, find_product, similar_names
    from ctatlas.store import ensure_store

    with handle_errors():
        store = ensure_store(db_url(db), data_path(data))
        therapies = store.therapies()
        doc, candidates = find_product(slug, therapies, store.search_texts())
        if doc is None and candidates:
            lines = [f"Error: '{slug}' names {len(candidates)} products; show one by its slug:"]
            lines += [f"  {c['slug']:32} {brand_of(c)}" for c in candidates[:20]]
            if len(candidates) > 20:
                lines.append(f"  … and {len(candidates) - 20} more (ctatlas products -s ...)")
            typer.echo("\n".join(lines), err=True)
            raise typer.Exit(2)
        if doc is None:
            by_slug = {d["slug"]: d for d in therapies}
            near = [f"{brand_of(by_slug[s])} ({s})" for s in similar_names(slug, therapies)]
            raise RecordNotFound("product", slug, near)
    if format is OutputFormat.json:
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    _print_product(doc)


def _print_product(doc: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.markup import escape

    from ctatlas.conditional import outcome_text
    from ctatlas.labels import category_label, label

    console = Console(width=80) if not Console().is_terminal else Console()
    console.print(f"[bold]{escape(doc['name'])}[/bold]  ({doc['slug']})")
    for title, key, vocabulary in (
        ("Modality", "modality", "modality"),
        ("Cell class", "cell_class", "cell_class"),
        ("Stem type", "stem_type", "stem_type"),
        ("Origin", "origin", "origin"),
        ("Tissue source", "tissue_source", None),
        ("Cell type", "cell_type", None),
        ("Gene-modified", "genetically_modified", "yes_no"),
        ("Developer", "developer", None),
    ):
        value = doc.get(key)
        shown = label(vocabulary or "yes_no", value) if vocabulary or value is None else value
        console.print(f"  {title + ':':15} {escape(str(shown))}")
    if doc.get("combined_with"):
        console.print(f"  {'Combined with:':15} {escape(', '.join(doc['combined_with']))}")
    for auth in doc["authorizations"]:
        local = f" / {auth['local_name']}" if auth.get("local_name") else ""
        words = (
            label("status", auth["status"]),
            label("pathway", auth["pathway"]),
            category_label(auth["jurisdiction"], auth["category"]),
        )
        console.print(
            f"\n[bold]{auth['jurisdiction']}[/bold] {escape(auth['brand_name'] + local)} — "
            + escape(", ".join(words))
        )
        outcome = outcome_text(auth)
        if outcome:
            console.print(
                f"  Conditional approval: {escape(outcome)} (as of {auth['conditional_as_of']})"
            )
        if auth.get("confirmatory_obligation"):
            console.print(f"  Obligation: {escape(auth['confirmatory_obligation'])}")
        console.print(f"  Holder: {escape(auth.get('holder') or 'unknown')}")
        console.print(f"  Approved: {auth.get('approval_date') or 'unknown'}")
        for event in auth["status_history"]:
            note = f" ({event['note']})" if event.get("note") else ""
            what = label("status_event", event["event"])
            if event.get("holder"):
                what += f": {event['holder']}"
            when = event["date"] or f"by {event.get('not_after')}"  # undated: its bound
            console.print(f"    {when}  {escape(what + note)}")
        for ind in auth["indications"]:
            console.print(f"  • {ind['text']}")
            if outcome_text(ind):
                way = label("pathway", ind["pathway"])
                console.print(f"    {escape(way)} approval: {escape(outcome_text(ind) or '')}")
        for source in auth["sources"]:
            console.print(f"  [dim]source:[/dim] {source['title']} — {source['url']}")
    if not doc["authorizations"]:
        console.print("\nNot authorized anywhere: in development only.")
    _print_programs(console, doc.get("programs") or [])


def _print_programs(console: Any, programs: list[dict[str, Any]]) -> None:
    from ctatlas.cli.pipeline import STAGE_LABELS, STATUS_LABELS
    from ctatlas.labels import label as vocab_label

    for program in programs:
        console.print(
            f"\n[bold]{program['jurisdiction']}[/bold] program — "
            f"{STAGE_LABELS[program['stage']]}, status {STATUS_LABELS[program['status']]}"
        )
        console.print(f"  Developer: {program.get('developer') or 'unknown'}")
        for partner in program.get("partners") or []:
            where = f" ({', '.join(partner['territories'])})" if partner.get("territories") else ""
            role = vocab_label("partner_role", partner["role"]).lower()
            console.print(f"  Partner: {partner['name']}, {role}{where}")
        for heading, key in (
            ("First trial", "first_trial_start"),
            ("Filed", "filed"),
            ("Decision expected", "expected_decision"),
            ("Discontinued", "discontinued"),
        ):
            if program.get(key):
                console.print(f"  {heading}: {program[key]}")
        if program.get("discontinuation_reason"):
            console.print(f"  Why discontinued: {program['discontinuation_reason']}")
        if program.get("trial_ids"):
            console.print(f"  Trials: {', '.join(program['trial_ids'])}")
        for ind in program["indications"]:
            console.print(f"  • {ind['text']}")
        for source in program["sources"]:
            console.print(f"  [dim]source:[/dim] {source['title']} — {source['url']}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(products)
    app.command()(show)
