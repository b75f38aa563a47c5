"""``GET /trials``: clinical trials of cell therapies from the trials store, with the filters of
``ctatlas trials list``.

The trials store is separate from the atlas (``ctatlas trials ingest`` fills it; a rebuild of
the atlas never touches it), so its answers are not cached on the atlas's data hash. A request
never creates the store: until one has been ingested the list is empty.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from ctatlas.model import SLUG_RE
from ctatlas.trials.record import (
    CELL_FAMILIES,
    LABELS,
    ORIGINS,
    PHASES,
    SPONSOR_CLASSES,
    STATUSES,
)
from ctatlas.web.api.common import ERRORS, json_response
from ctatlas.web.schemas import ListEnvelope, Open

__all__ = ["TrialQuery", "router"]

router = APIRouter(tags=["trials"], responses=ERRORS)


class TrialQuery(BaseModel):
    """The filters of ``ctatlas trials list``, as query parameters."""

    model_config = ConfigDict(extra="forbid")

    label: Literal[(*LABELS, "all")] = Field(  # type: ignore[valid-type]
        default="cell_therapy", description="Detection label, or all."
    )
    country: str | None = Field(
        default=None, pattern=r"^[A-Za-z]{2}$", description="ISO alpha-2, e.g. JP, KR."
    )
    phase: Literal[PHASES] | None = None  # type: ignore[valid-type]
    status: Literal[STATUSES] | None = None  # type: ignore[valid-type]
    cell_class: Literal["somatic", "stem"] | None = None
    family: Literal[CELL_FAMILIES] | None = None  # type: ignore[valid-type]
    origin: Literal[ORIGINS] | None = None  # type: ignore[valid-type]
    start_year_from: int | None = Field(default=None, ge=1900, le=2100)
    start_year_to: int | None = Field(default=None, ge=1900, le=2100)
    sponsor_class: Literal[SPONSOR_CLASSES] | None = None  # type: ignore[valid-type]
    condition: str | None = Field(default=None, max_length=200, description="Words in a condition.")
    product: str | None = Field(
        default=None,
        max_length=200,
        pattern=SLUG_RE,
        description="Atlas product slug (e.g. tisagenlecleucel): trials linked to that product. "
        "Gene therapies' trials are labelled not_cell: add label=all.",
    )
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=10_000_000)


class TrialPublic(Open):
    """One real trial (its best record, with every registry's ids)."""

    registry: str
    trial_id: str
    secondary_ids: list[Any]
    title: str | None
    phases: list[Any]
    status: str | None
    start_date: str | None
    countries: list[Any]
    label: str
    product_slugs: list[Any] = Field(description="Atlas products the trial names.")


class TrialsPublic(ListEnvelope):
    """A page of trials."""

    data: list[TrialPublic]


def _trials_store(request: Request) -> Any:
    """The trials store, or None while there is none (nothing is created)."""
    return request.app.state.trials.store()


@router.get("/trials", response_model=TrialsPublic)
def list_trials(
    query: Annotated[TrialQuery, Query()], store: Annotated[Any, Depends(_trials_store)]
) -> Response:
    """Trials from the registries (ClinicalTrials.gov, CRIS, ICTRP ...), one per real trial,
    filtered as ``ctatlas trials list`` filters; newest start first. Empty until
    ``ctatlas trials ingest`` has filled the trials store."""
    if store is None:
        return json_response({"data": [], "count": 0, "limit": query.limit, "offset": query.offset})
    rows = store.query(
        label=None if query.label == "all" else query.label,
        country=query.country.upper() if query.country else None,
        phase=query.phase,
        status=query.status,
        cell_class=query.cell_class,
        family=query.family,
        origin=query.origin,
        start_year_from=query.start_year_from,
        start_year_to=query.start_year_to,
        sponsor_class=query.sponsor_class,
        condition=query.condition,
        product=query.product,
    )
    page: list[dict[str, Any]] = []
    count = 0
    end = query.offset + query.limit
    for row in rows:
        if query.offset <= count < end:
            page.append(row)
        count += 1
    return json_response(
        {"data": page, "count": count, "limit": query.limit, "offset": query.offset}
    )
