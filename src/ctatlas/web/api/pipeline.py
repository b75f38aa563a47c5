"""``GET /pipeline``: development programs, with the filters of ``ctatlas pipeline``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from ctatlas.pipeline import (
    CELL_FAMILIES,
    PipelineFilter,
    check_filter,
    completeness,
    filter_programs,
)
from ctatlas.vocab import CellClass, Modality, Origin, ProgramStatus, Stage
from ctatlas.web.api.common import ERRORS, json_response, page
from ctatlas.web.deps import SnapshotDep
from ctatlas.web.errors import Unprocessable
from ctatlas.web.schemas import ListEnvelope, Open, SourcePublic
from ctatlas.web.state import Snapshot

__all__ = ["PipelineQuery", "router", "program_rows_of"]

router = APIRouter(tags=["pipeline"], responses=ERRORS)


class PipelineQuery(BaseModel):
    """The filters of ``ctatlas pipeline``, as query parameters; every one repeatable."""

    model_config = ConfigDict(extra="forbid")

    jurisdiction: list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]] = Field(
        default_factory=list, description="Where the program runs (JP, KR, US ...)."
    )
    stage: list[Stage] = Field(default_factory=list, description="Furthest stage there.")
    status: list[ProgramStatus] = Field(default_factory=list, description="Program status.")
    family: list[Literal[CELL_FAMILIES]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="The trial classifier's cell family."
    )
    origin: list[Origin] = Field(default_factory=list, description="Whose cells.")
    disease: list[Annotated[str, Field(pattern=r"^[a-z0-9_]+$", max_length=120)]] = Field(
        default_factory=list,
        description="Disease or area id (an area stands for all its diseases).",
    )
    developer: str | None = Field(
        default=None, max_length=200, description="Text in the developer's or a partner's name."
    )
    limit: int = Field(default=50, ge=1, le=500, description="Page size (max 500).")
    offset: int = Field(default=0, ge=0, le=1_000_000, description="Records to skip.")


def _pipeline_query(query: Annotated[PipelineQuery, Query()]) -> PipelineQuery:
    return query


PipelineQueryDep = Annotated[PipelineQuery, Depends(_pipeline_query)]


class PartnerPublic(Open):
    """A licensee, partner, co-developer or distributor."""

    name: str
    role: str
    territories: list[str]


class ProgramIndication(Open):
    """What the program is developed for."""

    text: str
    disease_ids: list[str]


class ProgramRow(Open):
    """One development program, with its therapy's attributes."""

    slug: str = Field(description="The therapy's slug (GET /products/{slug}).")
    program: int = Field(description="The program's position in the therapy's record.")
    name: str
    brand_names: list[str] = Field(description="Brand names of the therapy's authorizations.")
    codes: list[str]
    developer: str | None
    home_jurisdiction: str
    jurisdiction: str
    stage: Stage
    stage_note: str | None
    status: ProgramStatus
    authorization: str | None = Field(description="Approved: the authorization's jurisdiction.")
    modality: Modality
    cell_class: CellClass
    stem_type: str | None
    cell_family: str | None = Field(description="The trial classifier's cell family.")
    origin: Origin | None
    indications: list[ProgramIndication]
    partners: list[PartnerPublic]
    trial_ids: list[str]
    first_trial_start: str | None
    filed: str | None
    expected_decision: str | None
    discontinued: str | None
    discontinuation_reason: str | None
    designations: list[str]
    sources: list[SourcePublic]


class ProgramCompletenessPart(Open):
    """A part of a jurisdiction's programs whose completeness is said on its own."""

    scope: str = Field(description="Which programs the part holds.")
    complete_as_of: str | None = Field(
        description="Every program of the part is believed recorded through this day; null: "
        "not yet complete."
    )
    basis: str = Field(description="Why it is (or is not yet) complete, with the figures.")


class ProgramCompleteness(Open):
    """How complete the programs recorded for one jurisdiction are (its file's ``pipeline``)."""

    jurisdiction: str
    name: str
    complete: bool = Field(description="Whether the jurisdiction is said complete.")
    complete_as_of: str | None = Field(
        description="Every program there is believed recorded through this day; null: not "
        "yet complete."
    )
    sources_through: str | None = Field(description="The newest source found for its programs.")
    coverage: str | None = Field(description="What the recorded programs cover.")
    method: str | None = Field(description="How they were searched.")
    excludes: list[str] = Field(description="What is known not to be covered.")
    parts: list[ProgramCompletenessPart] = Field(
        default_factory=list,
        description="Parts whose completeness differs from the jurisdiction's (e.g. company "
        "programs complete, academic research not).",
    )


class PipelinePublic(ListEnvelope):
    """A page of development programs, with how complete each jurisdiction in it is."""

    data: list[ProgramRow]
    completeness: list[ProgramCompleteness] = Field(
        description="One entry per jurisdiction filtered on (or, with no jurisdiction filter, "
        "per jurisdiction of the matching programs)."
    )


def program_rows_of(snap: Snapshot) -> list[dict[str, Any]]:
    """Every program row, computed once per data version."""
    from ctatlas.pipeline import program_rows

    return snap.derived(  # type: ignore[no-any-return]
        "program_rows", lambda: program_rows(snap.therapies())
    )


@router.get("/pipeline", response_model=PipelinePublic)
def list_pipeline(snap: SnapshotDep, query: PipelineQueryDep) -> Response:
    """Development programs matching every filter (all of them, discontinued and on hold
    included, when there is none): one per therapy, jurisdiction and indication set."""
    flt = PipelineFilter(
        jurisdictions=[j.upper() for j in query.jurisdiction],
        stage=[s.value for s in query.stage],
        status=[s.value for s in query.status],
        family=list(query.family),
        origin=[o.value for o in query.origin],
        disease=list(query.disease),
        developer=(query.developer or "").strip() or None,
    )
    problems, diseases = check_filter(flt, snap.jurisdictions(), snap.diseases())
    if problems:
        errors = [{"loc": ["query", flag], "msg": msg} for flag, msg in problems]
        raise Unprocessable("invalid input: " + errors[0]["msg"], errors)
    rows = filter_programs(program_rows_of(snap), flt, diseases)
    body = page(rows, query.limit, query.offset)
    codes = flt.jurisdictions or {r["jurisdiction"] for r in rows}
    body["completeness"] = completeness(snap.jurisdictions(), codes)
    return json_response(body)
