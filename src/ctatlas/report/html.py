"""The report as one self-contained HTML file (interactive charts), or as print HTML (static
chart images) that the PDF renderer lays out."""

from __future__ import annotations

import base64
import functools
import json
from importlib import resources
from typing import Any

from ctatlas.analysis import Table
from ctatlas.analysis.charts import Chart, to_png, to_svg
from ctatlas.report import Progress, Report
from ctatlas.report.common import (
    FINDING_CHARTS,
    SECTIONS,
    SourceIndex,
    cell_text,
    finding_rows,
    pct,
    sections_for,
    shown_columns,
)

__all__ = ["render_html", "report_context", "vega_bundle"]

PNG_SCALE = 2


#: The Vega libraries the web atlas serves (vendored from npm, see web/static/vendor/README.md),
#: in load order: each defines a global (vega, vegaLite, vegaEmbed).
VEGA_FILES = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")


@functools.lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one inline script (no CDN): the web atlas's vendored
    builds, read from the package. vl-convert's ``javascript_bundle()`` starts its JavaScript
    runtime to bundle the same libraries, on every run: about 9x the time of reading these
    files, and over half of the HTML report's (see benchmarks/report_speed.py)."""
    vendor = resources.files("ctatlas") / "web" / "static" / "vendor"  # not importing the app
    scripts = [(vendor / name).read_text(encoding="utf-8") for name in VEGA_FILES]
    return "\n;\n".join(scripts).replace("</script", "<\\/script")


def _static(name: str) -> str:
    return (resources.files("ctatlas.report") / "static" / name).read_text(encoding="utf-8")


def _cells(
    table: Table, sources: SourceIndex, printable: bool, lang: str = "en"
) -> dict[str, Any]:
    from ctatlas import labels
    from ctatlas.report.texts import table_description, table_note, translate

    columns = shown_columns(table, printable)
    rows = []
    for row in table.rows:
        cells = []
        for col in columns:
            value = row.get(col.key)
            cell: dict[str, Any] = {"type": col.type, "key": col.key, "links": []}
            if col.type == "links":
                cell["links"] = sources.numbers(value or [])
                cell["text"] = ""
            elif col.type == "cited":
                cell["text"] = cell_text(value, col, lang)
                cell["links"] = sources.numbers((value or {}).get("citations", []))
                cell["titles"] = [c["title"] for c in (value or {}).get("citations", [])]
            else:
                cell["text"] = cell_text(value, col, lang)
            cells.append(cell)
        rows.append(cells)
    if lang == "en":
        return {
            "id": table.id,
            "title": table.title,
            "description": table.description,
            "notes": table.notes,
            "headers": [{"label": c.label, "type": c.type} for c in columns],
            "rows": rows,
        }

    def heading(column: Any) -> str:
        if column.label == column.key and len(column.key) == 2 and column.key.isupper():
            return labels.jurisdiction_name(column.key, lang)
        return translate(column.label, lang) or ""

    return {
        "id": table.id,
        "title": translate(table.title, lang),
        "description": table_description(table, lang),
        "notes": [table_note(n, lang) for n in table.notes],
        "headers": [{"label": heading(c), "type": c.type} for c in columns],
        "rows": rows,
    }


def _chart_view(
    chart: Chart, printable: bool, fmt: str = "png", png: bytes | None = None
) -> dict[str, Any]:
    """How the template shows a chart: a Vega-Lite spec, or an image when printable (``png``
    already drawn, e.g. by :class:`~ctatlas.report.chart_images.ChartImages`, else drawn here)."""
    view: dict[str, Any] = {"id": chart.id, "title": chart.title}
    if printable:
        if fmt == "svg":
            view["img"] = "data:image/svg+xml;base64," + base64.b64encode(
                to_svg(chart).encode("utf-8")
            ).decode("ascii")
        else:
            png = png if png is not None else to_png(chart, scale=PNG_SCALE)
            view["img"] = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            view["width"] = int.from_bytes(png[16:20], "big") // PNG_SCALE  # IHDR width
    else:
        view["spec"] = json.dumps(chart.spec, ensure_ascii=False).replace("</", "<\\/")
    return view


def report_context(
    report: Report,
    step: Progress,
    printable: bool,
    extra_steps: int = 0,
    pngs: list[bytes] | None = None,
) -> dict[str, Any]:
    """Everything the template needs, sources numbered in reading order; ``pngs``: the charts'
    images drawn beforehand, in the order of ``report.charts``."""
    from ctatlas.report.texts import local_finding, translate

    lang = report.lang
    analysis = report.analysis
    tables = {t.id: t for t in analysis.tables}
    charts = {c.id: c for c in report.charts}
    total = len(SECTIONS) + len(report.charts) + extra_steps
    done = 0
    sources = SourceIndex()
    chart_views: dict[str, dict[str, Any]] = {}
    for i, chart in enumerate(report.charts):
        step(f"chart: {chart.title}", done, total)
        chart_views[chart.id] = _chart_view(
            chart, printable, png=pngs[i] if pngs is not None else None
        )
        done += 1
    sections = []
    for key, title, table_ids, chart_ids in sections_for(tables):
        step(f"section: {title}", done, total)
        if lang != "en":
            number, _dot, heading = title.partition(". ")
            title = f"{number}. {translate(heading, lang)}"
        sections.append(
            {
                "key": key,
                "title": title,
                "tables": [
                    {**_cells(tables[t], sources, printable, lang), "single": len(table_ids) == 1}
                    for t in table_ids
                ],
                "charts": [chart_views[c] for c in chart_ids if c in charts],
            }
        )
        done += 1
    findings = []
    for finding in analysis.findings:
        words = finding if lang == "en" else local_finding(finding, lang)
        findings.append(
            {
                "f": words,
                "share": pct(finding.share, lang),
                "rows": [{**r, "share": pct(r["share"], lang)} for r in finding_rows(words)],
                "chart": chart_views.get(FINDING_CHARTS.get(finding.id, "")),
            }
        )
    findings_title = next((s["title"] for s in sections if s["key"] == "findings"), "Findings")
    return {
        "lang": lang,
        "findings_title": findings_title,
        "report": report,
        "analysis": analysis,
        "sections": sections,
        "findings": findings,
        "sources": sources.entries,
        "printable": printable,
        "css": _static("report.css"),
        "complete_as_of": analysis.complete_as_of,
        "jurisdiction_names": {t["code"]: t["name"] for t in tables["completeness"].rows},
    }


def render_html(
    report: Report, step: Progress, printable: bool = False, pngs: list[bytes] | None = None
) -> str:
    """The report as HTML: interactive (vega-embed inlined) or printable (chart images;
    ``pngs`` if they were drawn beforehand)."""
    import jinja2

    from ctatlas import labels
    from ctatlas.i18n import translations
    from ctatlas.report.texts import exclusion_reason

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ctatlas.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(report.lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["jurisdiction_name"] = lambda code: labels.jurisdiction_name(code, report.lang)
    env.filters["exclusion_reason"] = lambda reason: exclusion_reason(reason, report.lang)
    env.filters["curated_english"] = lambda text: (
        isinstance(text, str) and any(c.isascii() and c.isalpha() for c in text)
        and labels.script_lang(text) is None
    )
    context = report_context(
        report, step, printable, extra_steps=0 if printable else 1, pngs=pngs
    )
    total = len(SECTIONS) + len(report.charts) + (0 if printable else 1)
    if not printable:
        step("inlining the Vega libraries", total - 1, total)
        context["vega_js"] = vega_bundle()
    step("writing", total, total)
    return env.get_template("report.html.j2").render(**context)
