"""The report as Markdown, with its charts as PNG and SVG files in a folder beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ctatlas.analysis import Table
from ctatlas.analysis.charts import to_png, to_svg
from ctatlas.report import Progress, Report
from ctatlas.report.common import (
    FINDING_CHARTS,
    SourceIndex,
    cell_text,
    finding_rows,
    pct,
    sections_for,
    shown_columns,
)

__all__ = ["charts_dir", "render_markdown"]


def charts_dir(out: Path) -> Path:
    """``report.md`` -> ``report_files/``."""
    return out.with_name(out.stem + "_files")


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _refs(links: list[tuple[int, str]]) -> str:
    return "".join(f" [[{n}]]({url})" for n, url in links)


def _table(table: Table, sources: SourceIndex) -> list[str]:
    lines = [f"### {table.title}", "", table.description, ""]
    columns = shown_columns(table, printable=True)
    if not table.rows:
        lines += ["_No rows for this selection._", ""]
    else:
        lines.append("| " + " | ".join(_esc(c.label) or " " for c in columns) + " |")
        lines.append(
            "|" + "|".join("---:" if c.type in ("int", "share") else "---" for c in columns) + "|"
        )
        for row in table.rows:
            cells = []
            for col in columns:
                value = row.get(col.key)
                if col.type == "links":
                    cells.append(_refs(sources.numbers(value or [])).strip())
                elif col.type == "cited":
                    refs = sources.numbers((value or {}).get("citations", []))
                    cells.append(_esc(cell_text(value, col)) + _refs(refs))
                else:
                    cells.append(_esc(cell_text(value, col)))
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += [f"_{note}_" for note in table.notes]
    return [*lines, ""]


def render_markdown(report: Report, out: Path, step: Progress) -> tuple[str, list[Path]]:
    """The Markdown text, and the chart files written beside ``out``."""
    analysis = report.analysis
    folder = charts_dir(out)
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    images: dict[str, str] = {}
    total = len(report.charts) + 1
    for i, chart in enumerate(report.charts):
        step(f"chart: {chart.title}", i, total)
        png, svg = folder / f"{chart.id}.png", folder / f"{chart.id}.svg"
        png.write_bytes(to_png(chart))
        svg.write_text(to_svg(chart), encoding="utf-8")
        files += [png, svg]
        images[chart.id] = f"![{chart.title}]({folder.name}/{png.name})"
    step("tables", len(report.charts), total)
    tables = {t.id: t for t in analysis.tables}
    sources = SourceIndex()
    complete = "; ".join(
        f"{code} {day.isoformat() if day else 'not curated'}"
        for code, day in analysis.complete_as_of.items()
    )
    lines = [
        f"# {report.title}",
        "",
        f"Computed from the Cell Therapy Atlas dataset on "
        f"{report.generated.strftime('%Y-%m-%d %H:%M UTC')} by ctatlas {report.version}. "
        f"Jurisdictions: {', '.join(analysis.jurisdictions)}. {analysis.product_count} products, "
        f"{analysis.authorization_count} authorizations"
        + (f" as they stood on {analysis.as_of.isoformat()}." if analysis.as_of else "."),
        "",
        f"Complete as of: {complete}.",
        "",
        *_summary(report, next((t for k, t, _, _ in sections_for(tables) if k == "findings"),
                               "Findings")),
    ]
    for key, title, table_ids, chart_ids in sections_for(tables):
        lines += [f"## {title}", ""]
        if key == "findings":
            lines += _findings(report, images)
        lines += [images[c] + "\n" for c in chart_ids if c in images]
        for table_id in table_ids:
            lines += _table(tables[table_id], sources)
        if key == "sources":
            lines += ["### Sources", ""]
            lines += [f"{i}. {_esc(s['title'])} — <{s['url']}>" for i, s in
                      enumerate(sources.entries, 1)]
            lines.append("")
    step("done", total, total)
    return "\n".join(lines), files


VERDICT = {True: " — supports the claim", False: " — does not support the claim", None: ""}


def _summary(report: Report, findings_title: str) -> list[str]:
    """The findings first, one line each, before the chapters."""
    lines = ["## Findings at a glance", ""]
    lines += [f"- **{f.title}**{VERDICT[f.supports_claim]}. {f.statement}"
              for f in report.analysis.findings]
    return [*lines, "", f"Each finding is set out in full in the chapter “{findings_title}”.",
            ""]


def _findings(report: Report, images: dict[str, str]) -> list[str]:
    lines: list[str] = ['Computed from the data each time the report is made. "Most" means '
                        "more than half.", ""]
    for f in report.analysis.findings:
        verdict = VERDICT[f.supports_claim]
        lines += [f"### {f.title}{verdict}", ""]
        if f.claim:
            lines += [f"> Claim (founding analysis): {f.claim}", ""]
        lines += [
            f"**{f.statement}**",
            "",
            f"- Numerator: {f.numerator} — {f.numerator_label}",
            f"- Denominator: {f.denominator} — {f.denominator_label}",
            f"- Share: {pct(f.share)}",
            *[f"- {rule}" for rule in f.rules],
            "",
        ]
        rows: list[dict[str, Any]] = finding_rows(f)
        if rows:
            lines += [f"| {f.breakdown_label} | Count | Of | Share | Which |",
                      "|---|---:|---:|---:|---|"]
            lines += [f"| {r['label']} | {r['numerator']} | {r['denominator']} | "
                      f"{pct(r['share'])} | {_esc(r['which'])} |" for r in rows]
            lines.append("")
        chart = FINDING_CHARTS.get(f.id)
        if chart and chart in images:
            lines += [images[chart], ""]
        if f.excluded:
            lines.append("Excluded: " + "; ".join(
                f"{e.name}{f' ({e.jurisdiction})' if e.jurisdiction else ''}: {e.reason}"
                for e in f.excluded) + ".")
        else:
            lines.append("Nothing excluded.")
        lines.append("")
    return lines
