"""The report as an Excel workbook: one sheet per table, typed cells, frozen header, filters."""

from __future__ import annotations

import io
from typing import Any

from ctatlas.analysis import Table
from ctatlas.analysis.tables import Column
from ctatlas.model import date_precision, date_start
from ctatlas.report import Progress, Report

__all__ = ["SHEET_NAMES", "render_xlsx"]

#: table id -> sheet name (Excel allows 31 characters).
SHEET_NAMES = {
    "definitions": "Definitions",
    "japan_somatic": "Japan somatic",
    "asia_stem": "Asia stem cell",
    "approvals_over_time": "Approvals over time",
    "approvals_by_year": "Approvals by year",
    "approval_lag": "Approval lag",
    "approval_lag_medians": "Approval lag medians",
    "disease_areas": "Disease areas",
    "conditional_approvals": "Conditional approvals",
    "conditional_conversion": "Conditional conversion",
    "tier_routes": "Routes beside approval",
    "tier_figures": "Route figures",
    "designation_outcomes": "Designation outcomes",
    "completeness": "Completeness",
}

DATE_FORMATS = {"day": "yyyy-mm-dd", "month": "yyyy-mm", "year": "yyyy"}


def _clean(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def _headers(table: Table) -> list[tuple[Column, str]]:
    """(column, part) pairs: a cited column becomes text + its citations."""
    out: list[tuple[Column, str]] = []
    for col in table.columns:
        out.append((col, "value"))
        if col.type == "cited":
            out.append((col, "citations"))
    return out


def _write_cell(ws: Any, row: int, col: int, value: Any, column: Column, part: str) -> None:
    cell = ws.cell(row=row, column=col)
    if value is None:
        return
    if part == "citations":
        cites = value.get("citations", [])
        cell.value = _clean("\n".join(f"{c['title']}: {c['url']}" for c in cites))
        if cites:
            cell.hyperlink = cites[0]["url"]
        return
    kind = column.type
    if kind == "date":
        cell.value = date_start(value)
        cell.number_format = DATE_FORMATS[date_precision(value)]
    elif kind == "int":
        whole = isinstance(value, int) or float(value).is_integer()
        cell.value = int(value) if whole else float(value)  # a median can end in .5
        cell.number_format = "0" if whole else "0.0"
    elif kind == "share":
        cell.value = float(value)
        cell.number_format = "0%"
    elif kind == "bool":
        cell.value = bool(value)
    elif kind == "cited":
        cell.value = _clean(value["text"])
    elif kind == "links":
        cell.value = _clean("\n".join(link["url"] for link in value))
        if value:
            cell.hyperlink = value[0]["url"]
    else:
        cell.value = _clean(str(value))


def _finish(ws: Any, widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EDF3")
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(8, min(width + 2, 60))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def _table_sheet(wb: Any, table: Table) -> None:
    from ctatlas.labels import COLUMN_VOCABS, cell_label

    ws = wb.create_sheet(SHEET_NAMES.get(table.id, table.id[:31]))
    headers = _headers(table)
    for j, (col, part) in enumerate(headers, 1):
        label = col.label or "Aspect"
        ws.cell(row=1, column=j, value=label if part == "value" else f"{label} — citations")
    widths = [len(col.label or "Aspect") + (12 if part != "value" else 0) for col, part in headers]
    for i, row in enumerate(table.rows, 2):
        for j, (col, part) in enumerate(headers, 1):
            value = row.get(col.key)
            if COLUMN_VOCABS.get(col.key) != "jurisdiction":  # codes a sheet filters on stay
                value = cell_label(col.key, value)  # words, not codes
            _write_cell(ws, i, j, value, col, part)
            text = ws.cell(row=i, column=j).value
            widths[j - 1] = max(widths[j - 1], min(len(str(text or "")), 60))
    _finish(ws, widths)


def _rows_sheet(wb: Any, name: str, header: list[str], rows: list[list[Any]],
                formats: dict[int, str] | None = None) -> None:
    ws = wb.create_sheet(name)
    ws.append(header)
    widths = [len(h) for h in header]
    for row in rows:
        ws.append([_clean(v) if isinstance(v, str) else v for v in row])
        for j, v in enumerate(row):
            widths[j] = max(widths[j], min(len(str(v if v is not None else "")), 60))
    for j, fmt in (formats or {}).items():
        for cell in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            cell[0].number_format = fmt
    _finish(ws, widths)


def render_xlsx(report: Report, step: Progress) -> bytes:
    """The workbook's bytes."""
    from openpyxl import Workbook

    analysis = report.analysis
    wb = Workbook()
    about = wb.active
    about.title = "About"
    about.append(["Field", "Value"])
    about.append(["Title", report.title])
    about.append(["Generated (UTC)", report.generated.replace(tzinfo=None)])
    about.append(["ctatlas version", report.version])
    about.append(["As of", analysis.as_of])
    about.append(["Jurisdictions", ", ".join(analysis.jurisdictions)])
    about.append(["Products", analysis.product_count])
    about.append(["Authorizations", analysis.authorization_count])
    about.append(["Data hash", analysis.data_hash])
    for code, day in analysis.complete_as_of.items():
        about.append([f"Complete as of ({code})", day])
    for row in about.iter_rows(min_row=2, min_col=2, max_col=2):
        if hasattr(row[0].value, "year"):
            row[0].number_format = "yyyy-mm-dd hh:mm" if row[0].row == 3 else "yyyy-mm-dd"
    _finish(about, [24, 60])
    total = len(analysis.tables) + 2
    for i, table in enumerate(analysis.tables):
        step(f"sheet: {table.title}", i, total)
        _table_sheet(wb, table)
    step("sheet: findings", len(analysis.tables), total)
    _rows_sheet(
        wb,
        "Findings",
        ["Id", "Finding", "Claim", "Statement", "Numerator", "Denominator", "Share",
         "Supports claim", "Numerator counts", "Denominator counts", "Counting rules"],
        [[f.id, f.title, f.claim, f.statement, f.numerator, f.denominator, f.share,
          f.supports_claim, f.numerator_label, f.denominator_label, "\n".join(f.rules)]
         for f in analysis.findings],
        {7: "0%"},
    )
    _rows_sheet(
        wb,
        "Finding breakdown",
        ["Finding", "Group", "Numerator", "Denominator", "Share", "Which"],
        [[f.id, b.label, b.numerator, b.denominator, b.share, ", ".join(b.items)]
         for f in analysis.findings for b in f.breakdown],
        {5: "0%"},
    )
    _rows_sheet(
        wb,
        "Finding exclusions",
        ["Finding", "Slug", "Product", "Jurisdiction", "Reason"],
        [[f.id, e.slug, e.name, e.jurisdiction, e.reason]
         for f in analysis.findings for e in f.excluded],
    )
    step("saving", total, total)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
