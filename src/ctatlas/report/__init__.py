"""The analysis as a document: HTML, Markdown, PDF or XLSX.

:func:`build_report` computes the analysis and its charts once; :func:`render` writes it in one
format. Long steps report through an optional ``progress(step, done, total)`` callback, so the
library never prints and the CLI can show a progress bar.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctatlas import __version__

if TYPE_CHECKING:  # the CLI imports this module to build its options: keep it light
    from ctatlas.analysis import Analysis, Landscape
    from ctatlas.analysis.charts import Chart

__all__ = [
    "Progress",
    "Report",
    "ReportFormat",
    "build_report",
    "default_output",
    "render",
]

#: ``progress(step description, steps done, steps in all)``.
Progress = Callable[[str, int, int], None]


class ReportFormat(str, Enum):
    """The formats ``ctatlas report`` writes."""

    html = "html"
    md = "md"
    pdf = "pdf"
    xlsx = "xlsx"


@dataclasses.dataclass
class Report:
    """The analysis, its charts, and when and from what it was made."""

    analysis: Analysis
    charts: list[Chart]
    generated: dt.datetime
    version: str = __version__
    #: the language of the words (en, ja, ko; the HTML and PDF documents): computed words
    #: through the message catalogues, curated text in English
    lang: str = "en"

    @property
    def title(self) -> str:
        """The document title."""
        from ctatlas.report.texts import translate

        if self.analysis.as_of:
            template = "Cell therapy products: the landscape as of %(date)s"
            words = translate(template, self.lang) or template
            return words % {"date": self.analysis.as_of.isoformat()}
        return translate("Cell therapy products: the landscape", self.lang) or ""


def build_report(land: Landscape, trials: Any = None, lang: str = "en") -> Report:
    """Compute every table, finding and chart for the landscape; with ``trials`` (a trials
    store) the Pipeline chapter gains its registries part (:mod:`ctatlas.analysis.registries`).
    ``lang``: the language of the charts and of the HTML and PDF documents' words."""
    from ctatlas.analysis import analyse
    from ctatlas.analysis.charts import all_charts

    analysis = analyse(land)
    tables = {t.id: t for t in analysis.tables}
    findings = {f.id: f for f in analysis.findings}
    area_names = {a["name"]: (a.get("names") or {}).get(lang) or a["name"] for a in land.areas}
    charts = all_charts(tables, findings, list(land.selected), lang, area_names)
    if land.programs and any(r["stage"] != "approved" for r in land.programs):
        from ctatlas.analysis.pipeline import family_origin_chart, funnel_chart, words, words_in

        codes = [c for c in land.selected if any(r["jurisdiction"] == c for r in land.programs)]
        say = words if lang == "en" else words_in(lang)
        charts += [funnel_chart(land.programs, codes, say),
                   family_origin_chart(land.programs, say)]
    if trials is not None:
        from ctatlas.analysis.registries import registries_part

        trial_tables, trial_charts = registries_part(trials, land.diseases, land.areas)
        analysis.tables += trial_tables
        charts += trial_charts
    return Report(analysis, charts, dt.datetime.now(dt.UTC).replace(microsecond=0), lang=lang)


def default_output(fmt: ReportFormat, as_of: dt.date | None = None) -> Path:
    """``ctatlas-report[-as-of-DATE].<ext>`` in the current folder."""
    stem = "ctatlas-report" + (f"-as-of-{as_of.isoformat()}" if as_of else "")
    return Path(f"{stem}.{fmt.value}")


def _atomic_write(path: Path, data: bytes) -> None:
    """Write through a temporary file, with the permissions of any new file (not 0600)."""
    from ctatlas.export import atomic_write

    atomic_write(path, data)


def render(
    report: Report, fmt: ReportFormat | str, out: Path | str, progress: Progress | None = None
) -> list[Path]:
    """Write the report to ``out`` in ``fmt``; return every file written (the document first).

    The document is written to a temporary file and moved into place when complete.
    """
    fmt = ReportFormat(fmt)
    out = Path(out)
    step = progress or (lambda _desc, _done, _total: None)
    if fmt is ReportFormat.html:
        from ctatlas.report.html import render_html

        data = render_html(report, step).encode("utf-8")
        _atomic_write(out, data)
        return [out]
    if fmt is ReportFormat.md:
        from ctatlas.report.markdown import render_markdown

        text, files = render_markdown(report, out, step)
        _atomic_write(out, text.encode("utf-8"))
        return [out, *files]
    if fmt is ReportFormat.pdf:
        from ctatlas.report.pdf import render_pdf

        _atomic_write(out, render_pdf(report, step))
        return [out]
    from ctatlas.report.xlsx import render_xlsx

    _atomic_write(out, render_xlsx(report, step))
    return [out]
