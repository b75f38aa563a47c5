"""The report's comparison of the routes to patients beside product approval (issue 19).

Japan's clinic and hospital tier (the ASRM), Korea's hospital tier (research and, since 2025,
treatment), Taiwan's hospital techniques and the EU's hospital exemption sit beside product
approval. Two tables compare them from the jurisdiction files: every route with who may use it,
who decides, what evidence it demands and its risk classes; and every published figure over time.
Rows keep codes where a vocabulary labels them (jurisdiction, providers); the route and class
names are the jurisdiction file's own labels.
"""

from __future__ import annotations

from typing import Any

from ctatlas.analysis.landscape import Landscape, jurisdiction_order
from ctatlas.analysis.tables import Column, Table

__all__ = ["designation_outcomes_table", "tier_figures_table", "tier_routes_table"]


def _with_routes(land: Landscape) -> list[tuple[str, dict[str, Any]]]:
    codes = jurisdiction_order(land.jurisdictions)
    return [(c, land.jurisdictions[c]) for c in codes if land.jurisdictions[c].get("tier_routes")]


def _class_labels(jur: dict[str, Any], route_id: str) -> str:
    tiers = sorted(
        (t for t in jur.get("risk_tiers") or [] if t.get("route") == route_id),
        key=lambda t: (t.get("rank") is None, t.get("rank") or 0),
    )
    return "; ".join(t["label"] for t in tiers)


def tier_routes_table(land: Landscape) -> Table:
    """Every route beside product approval: who may use it, who decides, what it demands."""
    rows = []
    counts = []
    for code, jur in _with_routes(land):
        running = 0
        for route in jur["tier_routes"]:
            running += route.get("until") is None
            rows.append(
                {
                    "jurisdiction": code,
                    "route_id": route["id"],
                    "route": route["label"],
                    "providers": ", ".join(route.get("providers") or []),
                    "reviewer": route.get("reviewer") or "",
                    "evidence": route.get("evidence") or "not recorded",
                    "classes": _class_labels(jur, route["id"]) or "none",
                    "in_force": route.get("in_force"),
                    "until": route.get("until"),
                }
            )
        counts.append(f"{jur.get('name', code)} {running}")
    return Table(
        "tier_routes",
        "Routes to patients beside product approval",
        "Each way a patient can receive cells outside (or before) product approval, as the "
        "law sets it up: who may give them, who reviews and decides, what evidence the route "
        "demands and its risk classes. Routes still running, per jurisdiction: "
        + (", ".join(counts) if counts else "none recorded")
        + " (product approval comes on top of these everywhere).",
        [
            Column("jurisdiction", "Jurisdiction"),
            Column("route", "Route"),
            Column("providers", "Who may give it"),
            Column("reviewer", "Who decides"),
            Column("evidence", "Evidence demanded"),
            Column("classes", "Risk classes"),
            Column("in_force", "In force since", "date"),
            Column("until", "Ended", "date"),
        ],
        rows,
        [
            "Jurisdictions whose files record no such route (the US, China, the Gulf and others) "
            "are left out: for them product approval (or a trial) is the only route recorded.",
        ],
    )


def tier_figures_table(land: Landscape) -> Table:
    """The published figures of those routes, oldest first within each jurisdiction."""
    rows = []
    for code, jur in _with_routes(land):
        routes = {r["id"]: r["label"] for r in jur["tier_routes"]}
        tiers = {t["id"]: t["label"] for t in jur.get("risk_tiers") or []}
        figures = sorted(jur.get("tier_figures") or [], key=lambda f: str(f["as_of"]))
        for f in figures:
            part = f" ({f['breakdown']})" if f.get("breakdown") else ""
            rows.append(
                {
                    "jurisdiction": code,
                    "route": routes.get(f["route"], f["route"]),
                    "as_of": f["as_of"],
                    "measure": f["measure"] + part,
                    "class": tiers.get(f.get("tier") or "", ""),
                    "value": f["value"],
                    "unit": "%" if f.get("unit") == "percent" else "",
                    "publisher": "; ".join(s["publisher"] for s in f.get("sources") or []),
                }
            )
    return Table(
        "tier_figures",
        "Those routes in figures, over time",
        "Every figure the regulators (or reports of their figures) published about these "
        "routes: plans submitted or approved, by class where given, institutions designated.",
        [
            Column("jurisdiction", "Jurisdiction"),
            Column("route", "Route"),
            Column("as_of", "As of", "date"),
            Column("measure", "What is counted"),
            Column("class", "Risk class"),
            Column("value", "Figure", "int"),
            Column("unit", "Unit"),
            Column("publisher", "Published by"),
        ],
        rows,
        [
            "Figures are as published; counts from different dates may count different things "
            "(plans submitted, plans on a list, plans found suitable), as each row says.",
        ],
    )


def designation_outcomes_table(land: Landscape) -> Table:
    """Per jurisdiction and designation: therapies designated, approved, still in development
    (development programs are today's: none for a past as-of date), the median days from
    designation to approval where sources date the designation, and the designation's running
    published total beside them (:func:`ctatlas.designations.published_totals`)."""
    from ctatlas.designations import designation_rows, designation_stats, published_totals

    docs = list(land.products)
    approved = {d["slug"] for d in docs}
    # programs of therapies without an authorization in the selection come from the landscape's
    # program rows (a therapy may be designated and not yet approved)
    pending = [
        {"slug": r["slug"], "name": r["name"], "programs": [r]}
        for r in land.programs
        if r["slug"] not in approved or r["stage"] != "approved"
    ]
    rows = designation_stats(designation_rows(docs + pending, land.selected))
    # the newest running total per designation (a count for one period is not compared)
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    for total in published_totals(land.jurisdictions, rows, land.selected):
        key = (total["jurisdiction"], total["designation"])
        if total["atlas_names"] is not None and (
            key not in totals or str(total["as_of"]) > str(totals[key]["as_of"])
        ):
            totals[key] = total
    for row in rows:
        total = totals.get((row["jurisdiction"], row["designation"]))
        row["published_total"] = total["value"] if total else None
        row["published_as_of"] = total["as_of"] if total else None
    return Table(
        "designation_outcomes",
        "Designations and expedited routes, and what became of them",
        "Therapies curated in the atlas with each designation (SAKIGAKE, orphan, RMAT, "
        "breakthrough therapy, PRIME, Korea's expedited review...), how many were approved with "
        "it, how many are still in development there, the median days from designation to "
        "approval where sources date the designation, and the published total of the "
        "designation where there is one.",
        [
            Column("jurisdiction", "Jurisdiction"),
            Column("designation", "Designation"),
            Column("designated", "Therapies designated", "int"),
            Column("approved", "Approved with it", "int"),
            Column("in_development", "Still in development", "int"),
            Column("stopped", "Stopped", "int"),
            Column("approved_share", "Share approved", "share"),
            Column("first_approval", "First approval", "date"),
            Column("latest_approval", "Latest approval", "date"),
            Column("median_days_to_approval", "Median days from designation to approval", "int"),
            Column("timed_approvals", "Approvals with a dated designation", "int"),
            Column("published_total", "Published total", "int"),
            Column("published_as_of", "Published total as of", "date"),
        ],
        rows,
        [
            "Only designated therapies curated in the atlas are counted: a regulator's own total "
            "(e.g. FDA's count of RMAT designations granted) is larger, so the share approved is "
            "the atlas's, not the route's.",
            "The median counts only approvals whose designation day a source gives as a full "
            "date, and only designations granted before the approval.",
            "The published total is the newest running count of that designation, the "
            "regulator's own or a tally of its lists (the jurisdiction file names the source); "
            "it counts every product the route covers, not only the atlas's cell therapies. "
            "Counts for one period, or of all medicines, are on each jurisdiction's page.",
        ],
    )
