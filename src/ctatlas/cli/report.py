"""``ctatlas report``: the analysis as HTML, Markdown, PDF or XLSX."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ctatlas.cli.common import (
    DataOpt,
    DbOpt,
    JurisdictionOpt,
    data_path,
    db_url,
    err,
    handle_errors,
)
from ctatlas.report import ReportFormat

if TYPE_CHECKING:
    from ctatlas.report import Progress, Report

__all__ = ["register"]

SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".pdf": "pdf", ".xlsx": "xlsx"}


def report(
    format: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="html (one offline file, interactive charts), md (charts beside it), pdf, "
            "xlsx. Default: from --out's suffix, else html.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Where to write it [default: ./ctatlas-report[-as-of-DATE].<format>]",
            show_default=False,
        ),
    ] = None,
    jurisdiction: JurisdictionOpt = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Rebuild the landscape as it stood on this day (YYYY-MM-DD): later approvals "
            "drop out, later withdrawals are undone.",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    db: DbOpt = None,
    data: DataOpt = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            help="The language of the HTML or PDF report's words: en, ja or ko (curated text "
            "stays English). Markdown and XLSX are English only.",
        ),
    ] = "en",
    trials_db: Annotated[
        str | None,
        typer.Option(
            "--trials-db",
            help="Trials store URL [env: CTATLAS_TRIALS_DB]; when it exists, the Pipeline "
            "chapter gains what the trial registries say.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Regenerate the analysis: definitions, Japan's and Asia's products, findings, approvals
    over time, approval lag, disease areas, sources.

    Examples:
      ctatlas report
      ctatlas report --format pdf --out atlas.pdf
      ctatlas report -f xlsx -j JP,KR --as-of 2018-12-31
      ctatlas report --lang ja --out atlas-ja.html
    """
    from ctatlas.errors import BadInput
    from ctatlas.i18n import LANGS
    from ctatlas.query import parse_multi

    with handle_errors():
        fmt = format
        if fmt is None:
            suffix = out.suffix.lower() if out else ""
            if out and suffix not in SUFFIXES:
                raise BadInput(
                    f"cannot tell the format from '{out.name}'; give --format "
                    f"({', '.join(f.value for f in ReportFormat)})"
                )
            fmt = ReportFormat(SUFFIXES.get(suffix, "html"))
        lang = lang.strip().lower()
        if lang not in LANGS:
            raise BadInput(f"--lang {lang!r}: use one of {', '.join(LANGS)}")
        if lang != "en" and fmt not in (ReportFormat.html, ReportFormat.pdf):
            raise BadInput(f"--lang {lang} is for the html and pdf reports; {fmt.value} is English")
        if fmt is ReportFormat.pdf:
            job = {
                "db": db_url(db),
                "data": data_path(data),
                "jurisdictions": parse_multi(jurisdiction) or None,
                "as_of": as_of,
                "trials_db": trials_db,
                "lang": lang,
            }
            pdf = _pdf_in_two_processes(job, out, quiet)
            err(f"Wrote {pdf} ({pdf.stat().st_size:,} bytes)")
            return
        from ctatlas.analysis import landscape_from_store
        from ctatlas.report import build_report, default_output
        from ctatlas.store import ensure_store

        store = ensure_store(db_url(db), data_path(data))
        land = landscape_from_store(store, parse_multi(jurisdiction) or None, as_of)
        target = out or default_output(fmt, land.as_of)
        if target.is_dir():
            raise BadInput(f"--out {target} is a folder; give a file name")
        trials = _trials_store(trials_db, store.url)
        try:
            written = _render(lambda: build_report(land, trials, lang), fmt, target, quiet)
        finally:
            if trials is not None:
                trials.close()
    for path in written[:1]:
        err(f"Wrote {path} ({path.stat().st_size:,} bytes)")
    if len(written) > 1:
        err(f"  and {len(written) - 1} chart file(s) in {written[1].parent}")


def _trials_store(explicit: str | None, atlas_url: str) -> Any:
    """The trials store when one exists (never created here), else None."""
    from ctatlas.config import trials_db_url, trials_store_exists

    url = trials_db_url(explicit, atlas_url=atlas_url)
    if not trials_store_exists(url):
        return None
    from ctatlas.trials.store import TrialStore

    return TrialStore(url, readonly=True)


def _render(
    make: Callable[[], Report], fmt: ReportFormat, target: Path, quiet: bool
) -> list[Path]:
    """Compute and write the report, with a progress display on a terminal."""
    from ctatlas.report import render

    with _progress(fmt, quiet) as step:
        return render(make(), fmt, target, step)


@contextlib.contextmanager
def _progress(fmt: ReportFormat, quiet: bool) -> Iterator[Progress]:
    """A ``step(description, done, total)`` that drives a progress bar on a terminal (the
    first step: computing the analysis), and does nothing otherwise."""
    if quiet:  # rich is not imported for nothing (about 0.05 s of a 1 s report)
        yield lambda _description, _done, _total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda _description, _done, _total: None
        return
    with Bar(
        TextColumn("[bold]{task.fields[fmt]}[/bold]"),
        BarColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("computing the analysis", total=None, fmt=fmt.value.upper())

        def step(description: str, done: int, total: int) -> None:
            bar.update(task, description=description, completed=done, total=total or None)

        yield step


def _pdf_in_two_processes(job: dict[str, Any], out: Path | None, quiet: bool) -> Path:
    """The PDF, its print HTML made by a child (:mod:`ctatlas.report.print_job`) while this
    process imports WeasyPrint, then laid out here: the layout never shares a process with
    the analysis's libraries (issue 20: memory). A child's error is printed as the child said
    it, with its exit code."""
    import datetime as dt
    import shutil
    import tempfile

    from ctatlas.errors import BadInput
    from ctatlas.report import _atomic_write, default_output
    from ctatlas.report.pdf import import_weasyprint, layout_pdf
    from ctatlas.report.print_job import ChildFailed, PrintJob

    if out is not None and out.is_dir():
        raise BadInput(f"--out {out} is a folder; give a file name")
    folder = Path(tempfile.mkdtemp(prefix="ctatlas-report-"))
    child = PrintJob.start({**job, "html": str(folder / "print.html")})
    try:
        import_weasyprint()
        with _progress(ReportFormat.pdf, quiet) as step:
            step("computing the analysis and drawing the charts", 0, 0)
            try:
                answer = child.wait()
            except ChildFailed as exc:
                err(exc.message)
                raise typer.Exit(exc.exit_code) from None
            as_of = dt.date.fromisoformat(answer["as_of"]) if answer.get("as_of") else None
            target = out or default_output(ReportFormat.pdf, as_of)
            if target.is_dir():
                raise BadInput(f"--out {target} is a folder; give a file name")
            data = layout_pdf((folder / "print.html").read_text(encoding="utf-8"), step)
        _atomic_write(target, data)
        return target
    finally:
        child.discard()
        shutil.rmtree(folder, ignore_errors=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(report)
