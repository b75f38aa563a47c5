"""The report's charts: one Vega-Lite definition each (built with Altair), for every format.

Functions return Vega-Lite specs as dicts, with their data inlined, so the HTML report embeds
them as they are, and the static formats render them with vl-convert (no browser).

Every chart is drawn in one language (``lang``: en, ja or ko): titles and axes through the
message catalogues (:mod:`ctatlas.i18n`), modalities and jurisdictions as labels
(:mod:`ctatlas.labels`), never as codes. Each function takes ``_``, the catalogue's gettext.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from ctatlas import labels
from ctatlas.analysis.findings import Finding
from ctatlas.analysis.tables import Table

__all__ = [
    "Chart",
    "all_charts",
    "allogeneic_chart",
    "approval_lag_chart",
    "approvals_chart",
    "autologous_chart",
    "disease_area_chart",
    "to_png",
    "to_svg",
]

Gettext = Callable[[str], str]


def _same(text: str) -> str:
    return text


MODALITY_COLOURS = {
    "cell_therapy": "#4c78a8",
    "tissue_engineered": "#72b7b2",
    "gene_modified_cell": "#f58518",
    "gene_therapy": "#bab0ac",
}


@dataclasses.dataclass
class Chart:
    """A named chart: its id (file stem), title, and Vega-Lite spec."""

    id: str
    title: str
    spec: dict[str, Any]


def _alt() -> Any:
    import altair as alt
    from altair.utils import schemapi

    # Altair also checks every object against the schema as it is made (its "debug mode"):
    # two thirds of drawing the /trials charts. Off with the check of the whole spec.
    schemapi.DEBUG_MODE = VALIDATE_SPECS
    return alt


#: Whether Altair checks each spec against the Vega-Lite JSON Schema as it is built. Off at run
#: time (the check was a tenth of the HTML report's time); the tests turn it on for every chart.
VALIDATE_SPECS = False


def _spec(chart: Any) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict(validate=VALIDATE_SPECS)
    spec.setdefault("config", {})["view"] = {"stroke": None}
    return spec


def approvals_chart(
    table: Table, order: list[str], _: Gettext = _same, lang: str = "en"
) -> Chart:
    """Stacked bars of approvals per year by modality, one panel per jurisdiction."""
    alt = _alt()
    rank = {c: i for i, c in enumerate(order)}
    # panels come out in the order of first appearance, whatever the sort says: sort the data
    rows = sorted(table.rows, key=lambda r: (rank.get(r["jurisdiction"], 99), r["year"]))
    values = [
        {
            **r,
            "rank": rank.get(r["jurisdiction"], 99),
            "modality": labels.label("modality", r["modality"], lang),
            "jurisdiction": labels.jurisdiction_name(r["jurisdiction"], lang),
        }
        for r in rows
    ]
    modality_labels = [labels.label("modality", m, lang) for m in MODALITY_COLOURS]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=_("Year of approval"), axis=alt.Axis(labelFontSize=8)),
            y=alt.Y("sum(approvals):Q", title=_("Approvals")),
            color=alt.Color(
                "modality:N",
                title=_("Modality"),
                scale=alt.Scale(domain=modality_labels, range=list(MODALITY_COLOURS.values())),
            ),
            tooltip=[
                alt.Tooltip("year:O", title=_("Year")),
                alt.Tooltip("jurisdiction:N", title=_("Jurisdiction")),
                alt.Tooltip("modality:N", title=_("Modality")),
                alt.Tooltip("approvals:Q", title=_("Approvals")),
            ],
        )
        .properties(width=260, height=110)
        .facet(
            facet=alt.Facet(
                "jurisdiction:N", title=None, sort=alt.EncodingSortField("rank", op="min")
            ),
            columns=3,
        )
    )
    return Chart(
        "approvals_over_time", _("Approvals per year, by jurisdiction and modality"), _spec(chart)
    )


def _share_bars(
    finding: Finding, title: str, label: str, _: Gettext = _same, lang: str = "en"
) -> dict[str, Any]:
    alt = _alt()
    rows = [
        {"group": labels.jurisdiction_name(b.label, lang), "share": b.share,
         "numerator": b.numerator, "denominator": b.denominator,
         "text": f"{b.numerator}/{b.denominator}"}
        for b in finding.breakdown
        if b.denominator
    ]
    rows.append({"group": _("Overall"), "share": finding.share, "numerator": finding.numerator,
                 "denominator": finding.denominator,
                 "text": f"{finding.numerator}/{finding.denominator}"})
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("group:N", title=None, sort=[r["group"] for r in rows]),
        x=alt.X("share:Q", title=label, axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("group:N", title=_("Group")),
                 alt.Tooltip("numerator:Q", title=_("Products")),
                 alt.Tooltip("denominator:Q", title=_("Total")),
                 alt.Tooltip("share:Q", format=".0%", title=_("Share"))],
    )
    bars = base.mark_bar(color="#4c78a8")
    text = base.mark_text(align="left", dx=3).encode(text="text:N")
    rule = alt.Chart(alt.Data(values=[{"x": 0.5}])).mark_rule(
        color="#e45756", strokeDash=[4, 3]
    ).encode(x="x:Q")
    chart = (bars + text + rule).properties(width=420, height=max(60, 18 * len(rows)),
                                            title=title)
    return _spec(chart)


def autologous_chart(finding: Finding, _: Gettext = _same, lang: str = "en") -> Chart:
    """Autologous share per jurisdiction and overall, with the 50 % line."""
    return Chart(
        "autologous_share",
        _("Autologous share of marketed cell products"),
        _share_bars(
            finding, _("Autologous share (dashed: half)"), _("Autologous share"), _, lang
        ),
    )


def allogeneic_chart(finding: Finding, _: Gettext = _same, lang: str = "en") -> Chart:
    """Cumulative allogeneic share by year of first approval."""
    alt = _alt()
    rows = [{"year": b.label, "share": b.share, "products": b.denominator,
             "allogeneic": b.numerator} for b in finding.breakdown]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("year:O", title=_("Year of first approval")),
        tooltip=[alt.Tooltip("year:O", title=_("Year")),
                 alt.Tooltip("allogeneic:Q", title=_("Allogeneic")),
                 alt.Tooltip("products:Q", title=_("Products")),
                 alt.Tooltip("share:Q", format=".0%", title=_("Share"))],
    )
    line = base.mark_line(point=True, color="#f58518").encode(
        y=alt.Y("share:Q", title=_("Allogeneic share (cumulative)"), axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]))
    )
    chart = line.properties(width=480, height=200)
    return Chart("allogeneic_over_time", _("Allogeneic share of cell products over time"),
                 _spec(chart))


def approval_lag_chart(table: Table, _: Gettext = _same, lang: str = "en") -> Chart:
    """Lag from first approval anywhere to Japan and to Korea, per therapy (named by its
    brand)."""
    alt = _alt()
    rows = []
    for row in table.rows:
        for code in ("JP", "KR"):
            lag = row.get(f"{code.lower()}_lag_days")
            if lag is not None:
                rows.append({"therapy": row.get("brand_name") or row["name"],
                             "name": row["name"], "to": labels.jurisdiction_name(code, lang),
                             "lag_years": lag / 365.25, "lag_days": lag,
                             "first": labels.jurisdiction_name(row["first_jurisdiction"], lang)})
    to_domain = [labels.jurisdiction_name(c, lang) for c in ("JP", "KR")]
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            y=alt.Y("therapy:N", title=None, sort="-x", axis=alt.Axis(labelLimit=320)),
            x=alt.X("lag_years:Q", title=_("Years after first approval anywhere")),
            color=alt.Color("to:N", title=_("Approval in"),
                            scale=alt.Scale(domain=to_domain, range=["#e45756", "#4c78a8"])),
            yOffset="to:N",
            tooltip=[alt.Tooltip("therapy:N", title=_("Brand")),
                     alt.Tooltip("name:N", title=_("Therapy")),
                     alt.Tooltip("to:N", title=_("Approval in")),
                     alt.Tooltip("first:N", title=_("First in")),
                     alt.Tooltip("lag_days:Q", title=_("Days"))],
        )
        .properties(width=420, height=max(60, 22 * len({r["therapy"] for r in rows})))
    )
    return Chart("approval_lag", _("Approval lag to Japan and Korea"), _spec(chart))


def disease_area_chart(
    table: Table,
    codes: list[str],
    _: Gettext = _same,
    lang: str = "en",
    area_names: dict[str, str] | None = None,
) -> Chart:
    """Heat map: marketed products per disease area and jurisdiction. ``area_names``: English
    area name -> its name in ``lang``."""
    alt = _alt()
    area_names = area_names or {}
    rows = [
        {"area": area_names.get(row["area"], row["area"])
         + (" *" if row["named_in_founding_analysis"] else ""),
         "jurisdiction": labels.jurisdiction_name(code, lang), "products": row[code]}
        for row in table.rows
        for code in codes
    ]
    columns = [labels.jurisdiction_name(code, lang) for code in codes]
    order = list(dict.fromkeys(r["area"] for r in rows))
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("jurisdiction:N", title=None, sort=columns, axis=alt.Axis(orient="top")),
        y=alt.Y("area:N", title=None, sort=order, axis=alt.Axis(labelLimit=400)),
    )
    background = base.mark_rect(color="#f5f7fa", stroke="#ffffff")
    heat = base.transform_filter("datum.products > 0").mark_rect(stroke="#ffffff").encode(
        color=alt.Color("products:Q", title=_("Products"), scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("area:N", title=_("Area")),
                 alt.Tooltip("jurisdiction:N", title=_("Jurisdiction")),
                 alt.Tooltip("products:Q", title=_("Products"))],
    )
    text = base.mark_text(fontSize=10).encode(
        text=alt.condition("datum.products > 0", "products:Q", alt.value("")),
    )
    chart = (background + heat + text).properties(
        width=max(120, 34 * len(codes)), height=16 * len(order)
    )
    return Chart(
        "disease_areas", _("Marketed products per disease area (* named in the analysis)"),
        _spec(chart),
    )


def all_charts(
    tables: dict[str, Table],
    findings: dict[str, Finding],
    codes: list[str],
    lang: str = "en",
    area_names: dict[str, str] | None = None,
) -> list[Chart]:
    """Every chart of the report (skipping those with no data), in ``lang``. ``area_names``:
    English disease-area name -> its name in ``lang`` (where the data has one)."""
    from ctatlas.i18n import translations

    _ = translations(lang).gettext
    out = []
    if tables["approvals_over_time"].rows:
        out.append(approvals_chart(tables["approvals_over_time"], codes, _, lang))
    if findings["autologous_share"].denominator:
        out.append(autologous_chart(findings["autologous_share"], _, lang))
    if findings["allogeneic_over_time"].breakdown:
        out.append(allogeneic_chart(findings["allogeneic_over_time"], _, lang))
    if any(r.get("jp_lag_days") is not None or r.get("kr_lag_days") is not None
           for r in tables["approval_lag"].rows):
        out.append(approval_lag_chart(tables["approval_lag"], _, lang))
    if tables["disease_areas"].rows and codes:
        out.append(
            disease_area_chart(tables["disease_areas"], codes, _, lang, area_names)
        )
    return out


def to_svg(chart: Chart) -> str:
    """The chart as SVG (vl-convert; no browser)."""
    import vl_convert as vlc

    return str(vlc.vegalite_to_svg(chart.spec))


def to_png(chart: Chart, scale: float = 2.0) -> bytes:
    """The chart as PNG (vl-convert; no browser)."""
    import vl_convert as vlc

    return bytes(vlc.vegalite_to_png(chart.spec, scale=scale))
