"""``/conditional``: the conditional-approval tracker; ``/designations``: designations and
their outcome."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from ctatlas.web import service
from ctatlas.web.api.common import ERRORS, json_response
from ctatlas.web.deps import SnapshotDep
from ctatlas.web.schemas import ConditionalPublic, DesignationsPublic

__all__ = ["router"]

router = APIRouter(tags=["conditional"], responses=ERRORS)

Limit = Annotated[int, Query(ge=1, le=500, description="Page size (max 500).")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Records to skip.")]


@router.get("/conditional", response_model=ConditionalPublic)
def list_conditional(
    snap: SnapshotDep,
    jurisdiction: Annotated[
        list[Annotated[str, Query(pattern=r"^[A-Za-z]{2}$")]],
        Query(description="Jurisdiction code (JP, KR, US, EU ...); repeatable."),
    ] = [],  # noqa: B006 (FastAPI copies the default)
    as_of: Annotated[
        dt.date | None,
        Query(description="Compute the outcomes for this day (YYYY-MM-DD) [default: today, UTC]."),
    ] = None,
    limit: Limit = 500,
    offset: Offset = 0,
) -> Response:
    """Every conditional, time-limited or accelerated approval (and every indication approved
    on such a pathway inside another authorization) with its deadline, days left (negative:
    overdue), confirmatory obligation and outcome, computed for ``as_of`` (today by default,
    the day is in ``as_of``), plus the conversion rate per jurisdiction."""
    day = as_of.isoformat() if as_of else None
    return json_response(service.conditional_tracker(snap, jurisdiction, day, limit, offset))


@router.get("/designations", response_model=DesignationsPublic, tags=["designations"])
def list_designations(
    snap: SnapshotDep,
    jurisdiction: Annotated[
        list[Annotated[str, Query(pattern=r"^[A-Za-z]{2}$")]],
        Query(description="Jurisdiction code (JP, KR, US, EU ...); repeatable."),
    ] = [],  # noqa: B006 (FastAPI copies the default)
    limit: Limit = 500,
    offset: Offset = 0,
) -> Response:
    """Therapies curated in the atlas with a designation or expedited route (SAKIGAKE, orphan,
    RMAT, breakthrough therapy, PRIME, Korea's expedited review ...): whether and when each was
    approved with it, or its development stage; plus the counts per designation."""
    return json_response(service.designations(snap, jurisdiction, limit, offset))
