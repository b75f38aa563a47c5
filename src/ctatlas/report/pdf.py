"""The report as a printable PDF: the print HTML laid out by WeasyPrint.

Charts are embedded as images rendered by vl-convert in a child process
(:mod:`ctatlas.report.chart_images`: its JavaScript runtime and WeasyPrint's layout never share
one process's memory); text uses the Noto CJK fonts (Debian ``fonts-noto-cjk``) so Japanese and
Korean names print correctly. ``ctatlas report -f pdf`` goes further and makes the whole print
HTML in a child (:mod:`ctatlas.report.print_job`), laying it out with :func:`layout_pdf`.
"""

from __future__ import annotations

import logging
from types import ModuleType

from ctatlas.report import Progress, Report

__all__ = ["import_weasyprint", "layout_pdf", "render_pdf"]


def import_weasyprint() -> ModuleType:
    """WeasyPrint, or a clear error saying what to install."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: pango is missing
        from ctatlas.errors import BadInput

        raise BadInput(
            f"PDF output needs WeasyPrint and pango ({exc.__class__.__name__}: {exc}); "
            "pip install weasyprint and apt-get install libpango-1.0-0 fonts-noto-cjk"
        ) from None
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return weasyprint


def layout_pdf(html: str, step: Progress) -> bytes:
    """The print HTML laid out as a PDF."""
    weasyprint = import_weasyprint()
    step("laying out the PDF", 0, 1)
    data: bytes = weasyprint.HTML(string=html).write_pdf()
    step("laying out the PDF", 1, 1)
    return data


def render_pdf(report: Report, step: Progress) -> bytes:
    """The PDF's bytes."""
    from ctatlas.report.chart_images import ChartImages
    from ctatlas.report.html import PNG_SCALE, render_html

    step("drawing the charts", 0, 1)
    charts = ChartImages.start(report.charts, scale=PNG_SCALE)  # meanwhile, import WeasyPrint
    try:
        import_weasyprint()
    except BaseException:
        charts.discard()
        raise
    html = render_html(report, step, printable=True, pngs=charts.collect())
    return layout_pdf(html, step)
