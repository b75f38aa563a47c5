"""``POST /classify``: the classifier's profile in, its decision per jurisdiction out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from ctatlas.model import RegulatoryProfile
from ctatlas.web import service
from ctatlas.web.api.common import ERRORS, json_response
from ctatlas.web.deps import SnapshotDep
from ctatlas.web.schemas import ClassificationPublic

__all__ = ["router"]

router = APIRouter(tags=["classify"], responses=ERRORS)


@router.post("/classify", response_model=ClassificationPublic)
def post_classify(
    snap: SnapshotDep,
    profile: RegulatoryProfile,
    jurisdiction: Annotated[
        list[Annotated[str, Query(pattern=r"^[A-Za-z]{2}$")]] | None,
        Query(description="Jurisdiction code; repeatable (default: every one classified)."),
    ] = None,
) -> Response:
    """Classify a product profile (the ``regulatory_profile`` attributes; unknown ones may be
    left out or null) in each jurisdiction, citing the law and article behind every rule.

    A contradictory profile (e.g. ``manipulation: minimal`` with
    ``genetically_modified: true``) is a 422. This reads; it stores nothing.
    """
    return json_response(
        service.classification(snap, profile.model_dump(mode="json"), jurisdiction)
    )
