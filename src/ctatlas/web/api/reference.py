"""``/jurisdictions``, ``/jurisdictions/{code}``, ``/diseases``, ``/stats``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from ctatlas.web import service
from ctatlas.web.api.common import ERRORS, json_response, page
from ctatlas.web.deps import SnapshotDep
from ctatlas.web.schemas import (
    DiseasesPublic,
    JurisdictionDetail,
    JurisdictionsPublic,
    StatsPublic,
)

__all__ = ["router"]

router = APIRouter(responses=ERRORS)

Limit = Annotated[int, Query(ge=1, le=500, description="Page size (max 500).")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Records to skip.")]


@router.get("/jurisdictions", response_model=JurisdictionsPublic, tags=["jurisdictions"])
def list_jurisdictions(snap: SnapshotDep, limit: Limit = 50, offset: Offset = 0) -> Response:
    """Every jurisdiction with its regulators and how many products it has authorized."""
    return json_response(page(service.jurisdiction_summaries(snap), limit, offset))


@router.get("/jurisdictions/{code}", response_model=JurisdictionDetail, tags=["jurisdictions"])
def get_jurisdiction(
    snap: SnapshotDep,
    code: Annotated[str, Path(max_length=8, description="Jurisdiction code, e.g. JP.")],
) -> Response:
    """A jurisdiction's framework: regulators, laws, definitions, categories, pathways,
    designations, risk tiers and its entries of the side-by-side comparison, all cited."""
    return json_response(service.jurisdiction_detail(snap, code))


@router.get("/diseases", response_model=DiseasesPublic, tags=["diseases"])
def list_diseases(
    snap: SnapshotDep,
    area: Annotated[
        str | None, Query(max_length=60, pattern=r"^[a-z0-9_]+$", description="Area id.")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """The disease vocabulary, with the products indicated for each disease."""
    rows = service.disease_list(snap)
    if area is not None:
        known = {a["id"] for a in snap.areas()}
        if area not in known:
            from ctatlas.web.errors import Unprocessable

            message = f"unknown area '{area}'; known: {', '.join(sorted(known))}"
            raise Unprocessable(message, [{"loc": ["query", "area"], "msg": message}])
        rows = [r for r in rows if r["area"] == area]
    return json_response(page(rows, limit, offset))


@router.get("/stats", response_model=StatsPublic, tags=["stats"])
def get_stats(snap: SnapshotDep) -> Response:
    """The counts behind the report's findings, and the findings (``ctatlas.analysis``)."""
    return json_response(service.stats(snap))
