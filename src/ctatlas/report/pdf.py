"""The report as a printable PDF: the print HTML laid out by WeasyPrint.

Charts are embedded as images rendered by vl-convert; text uses the Noto CJK fonts (Debian
``fonts-noto-cjk``) so Japanese and Korean names print correctly.
"""

from __future__ import annotations

import logging

from ctatlas.report import Progress, Report

__all__ = ["render_pdf"]


def render_pdf(report: Report, step: Progress) -> bytes:
    """The PDF's bytes."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: pango is missing
        from ctatlas.errors import BadInput

        raise BadInput(
            f"PDF output needs WeasyPrint and pango ({exc.__class__.__name__}: {exc}); "
            "pip install weasyprint and apt-get install libpango-1.0-0 fonts-noto-cjk"
        ) from None
    from ctatlas.report.html import render_html

    html = render_html(report, step, printable=True)
    step("laying out the PDF", 0, 1)
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    data: bytes = weasyprint.HTML(string=html).write_pdf()
    step("laying out the PDF", 1, 1)
    return data
