"""Designations and expedited routes linked to their outcome (issue 19).

SAKIGAKE and Japan's orphan regenerative products, Korea's expedited review, RMAT and
breakthrough therapy, PRIME: a designation is recorded on an authorization (the product was
approved with it) or on a development program (designated, not approved there yet). One row per
therapy, jurisdiction and designation says whether and when it was approved; the statistics count
them per designation. Only products and programs curated in the atlas are counted: regulators'
own totals (e.g. FDA's count of RMAT designations granted) are larger, and each jurisdiction file
says where its list is incomplete.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ctatlas.analysis.landscape import approval_date, jurisdiction_order

__all__ = ["designation_rows", "designation_stats"]


def designation_rows(
    therapies: Iterable[dict[str, Any]], only: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """One row per therapy, jurisdiction and designation: approved (when) or still in
    development (its stage), or stopped."""
    wanted = {c.upper() for c in only} if only else None
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for doc in therapies:
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
                }
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
                }
    out = [r for r in rows.values() if wanted is None or r["jurisdiction"] in wanted]
    order = {c: i for i, c in enumerate(jurisdiction_order(r["jurisdiction"] for r in out))}
    return sorted(
        out,
        key=lambda r: (order[r["jurisdiction"]], r["designation"], not r["approved"],
                       r["approval_date"] or "", r["slug"]),
    )


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
            }
        )
    order = {c: i for i, c in enumerate(jurisdiction_order(r["jurisdiction"] for r in out))}
    return sorted(out, key=lambda r: (order[r["jurisdiction"]], r["designation"]))
