"""Designations and expedited routes linked to their outcome (issue 19).

SAKIGAKE and Japan's orphan regenerative products, Korea's expedited review, RMAT and
breakthrough therapy, PRIME: a designation is recorded on an authorization (the product was
approved with it) or on a development program (designated, not approved there yet). One row per
therapy, jurisdiction and designation says whether and when it was approved; the statistics count
them per designation. Only products and programs curated in the atlas are counted: regulators'
own totals (e.g. FDA's count of RMAT designations granted) are larger: the jurisdiction files
carry them as ``designation_totals``, and :func:`published_totals` sets each beside the atlas's
own count. Where a source dates the designation (``designation_dates`` on the authorization or
the program), the row carries the day and the statistics the median time to approval.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ctatlas.analysis.landscape import approval_date, jurisdiction_order

__all__ = ["designation_rows", "designation_stats", "published_totals"]


def designation_rows(
    therapies: Iterable[dict[str, Any]], only: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """One row per therapy, jurisdiction and designation: approved (when) or still in
    development (its stage), or stopped."""
    wanted = {c.upper() for c in only} if only else None
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for doc in therapies:
        granted = _grant_dates(doc)
        for auth in doc.get("authorizations") or ():
            code = auth["jurisdiction"]
            for designation in auth.get("designations") or ():
                key = (doc["slug"], code, str(designation))
                row = rows.get(key)
                day = approval_date(auth)
                if row and row["approved"] and (row["approval_date"] or "9") <= (day or "9"):
                    continue  # the earliest approval with the designation stands
                rows[key] = _row(doc, code, str(designation)) | {
                    "approved": True,
                    "approval_date": day,
                    "brand_name": auth.get("brand_name"),
                    "status": auth.get("status"),
                    "stage": "approved",
                } | _dated(granted.get(key), day)
        for program in doc.get("programs") or ():
            code = program["jurisdiction"]
            for designation in program.get("designations") or ():
                key = (doc["slug"], code, str(designation))
                if key in rows:
                    continue  # approved with it: the authorization says more
                stopped = program.get("status") == "discontinued"
                rows[key] = _row(doc, code, str(designation)) | {
                    "approved": False,
                    "approval_date": None,
                    "brand_name": None,
                    "status": program.get("status"),
                    "stage": "discontinued" if stopped else program.get("stage"),
                } | _dated(granted.get(key), None)
    out = [r for r in rows.values() if wanted is None or r["jurisdiction"] in wanted]
    order = {c: i for i, c in enumerate(jurisdiction_order(r["jurisdiction"] for r in out))}
    return sorted(
        out,
        key=lambda r: (order[r["jurisdiction"]], r["designation"], not r["approved"],
                       r["approval_date"] or "", r["slug"]),
    )


def _grant_dates(doc: Mapping[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The earliest dated grant of each designation per jurisdiction, from the therapy's
    authorizations and programs (a designation given in development is often dated on the
    program, and the approval recorded on the authorization)."""
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for holder in [*(doc.get("authorizations") or ()), *(doc.get("programs") or ())]:
        for grant in holder.get("designation_dates") or ():
            key = (doc["slug"], holder["jurisdiction"], str(grant["id"]))
            if key not in out or str(grant["date"]) < str(out[key]["date"]):
                out[key] = grant
    return out


def _dated(grant: Mapping[str, Any] | None, approved: str | None) -> dict[str, Any]:
    """The designation day, its source and the days from it to approval (full dates only)."""
    if grant is None:
        return {"designation_date": None, "designation_source": None, "days_to_approval": None}
    day = str(grant["date"])
    return {
        "designation_date": day,
        "designation_source": (grant.get("sources") or [{}])[0].get("url"),
        "days_to_approval": _days_between(day, approved),
    }


def _days_between(start: str, end: str | None) -> int | None:
    """Whole days from start to end, when both are full dates (a month alone is not enough)."""
    if end is None or len(start) != 10 or len(end) != 10:
        return None
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


def _row(doc: dict[str, Any], code: str, designation: str) -> dict[str, Any]:
    return {
        "slug": doc["slug"],
        "name": doc["name"],
        "jurisdiction": code,
        "designation": designation,
    }


def designation_stats(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per jurisdiction and designation: therapies designated, approved (first and latest
    approval), still in development, stopped, and the share approved."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["jurisdiction"], row["designation"]), []).append(row)
    out = []
    for (code, designation), members in groups.items():
        approved = [r for r in members if r["approved"]]
        stopped = [r for r in members if r["stage"] == "discontinued"]
        days = sorted(r["approval_date"] for r in approved if r["approval_date"])
        # a designation dated after the approval (e.g. for a later indication) is not a wait
        waits = [w for r in approved if (w := r.get("days_to_approval")) is not None and w >= 0]
        out.append(
            {
                "jurisdiction": code,
                "designation": designation,
                "designated": len(members),
                "approved": len(approved),
                "in_development": len(members) - len(approved) - len(stopped),
                "stopped": len(stopped),
                "approved_share": len(approved) / len(members) if members else None,
                "first_approval": days[0] if days else None,
                "latest_approval": days[-1] if days else None,
                "dated": sum(1 for r in members if r.get("designation_date")),
                "median_days_to_approval": statistics.median(waits) if waits else None,
                "timed_approvals": len(waits),
            }
        )
    order = {c: i for i, c in enumerate(jurisdiction_order(r["jurisdiction"] for r in out))}
    return sorted(out, key=lambda r: (order[r["jurisdiction"]], r["designation"]))


def published_totals(
    jurisdictions: Mapping[str, Mapping[str, Any]],
    stats: Iterable[Mapping[str, Any]],
    only: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Each regulator's published count (the jurisdiction files' ``designation_totals``) beside
    the number of designated therapies the atlas names for that designation: "the atlas names
    N of FDA's M RMAT designations". The atlas's count is set only beside running totals; a
    count for one year or period is listed with ``atlas_names`` null."""
    wanted = {c.upper() for c in only} if only else None
    named = {(s["jurisdiction"], s["designation"]): s["designated"] for s in stats}
    out = []
    for code, jur in jurisdictions.items():
        if wanted is not None and code not in wanted:
            continue
        for total in jur.get("designation_totals") or ():
            designation = str(total["designation"])
            cumulative = bool(total.get("cumulative"))
            out.append(
                {
                    "jurisdiction": code,
                    "designation": designation,
                    "measure": total["measure"],
                    "period_start": total.get("period_start"),
                    "as_of": total["as_of"],
                    "value": total["value"],
                    "cumulative": cumulative,
                    "scope": total.get("scope"),
                    "atlas_names": named.get((code, designation), 0) if cumulative else None,
                    "source": (total.get("sources") or [{}])[0].get("url"),
                    "note": total.get("note"),
                }
            )
    order = {c: i for i, c in enumerate(jurisdiction_order(r["jurisdiction"] for r in out))}
    # within a jurisdiction the file's order stands (running totals first, then by period)
    return sorted(out, key=lambda r: order[r["jurisdiction"]])
