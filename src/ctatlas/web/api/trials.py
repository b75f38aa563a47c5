"""``GET /trials`` and ``GET /trials/{id}``: clinical trials of cell therapies from the trials
store, with the filters of ``ctatlas trials list``.

The trials store is separate from the atlas (``ctatlas trials ingest`` fills it; a rebuild of
the atlas never touches it), so its answers are not cached on the atlas's data hash: each
answer is kept in a byte-bounded cache keyed on the trials store's version (its state token,
re-read at most every refresh interval) and the validated, normalised query, so a repeated
question costs a dictionary look-up and a new ingest is seen within the interval. A page is
read with ``LIMIT``/``OFFSET`` in SQL and the count is one SQL count per filter set (cached
apart from the page, so paging through a result counts once).

Each trial carries the atlas's development programs it belongs to (``programs``, as the
trial pages show them: ``trials/program_links.py``), so an answer is also keyed on the atlas's
data hash.

A request never creates the store. Until one is loaded, and when the store cannot be read
(a damaged file, something that is not a trials database), both routes answer 503 in the
error envelope with a plain-words ``hint``.
"""

from __future__ import annotations

import gzip
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Path, Query, Request
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
from ctatlas.web.api.common import ERRORS
from ctatlas.web.errors import NotFound, Unavailable
from ctatlas.web.lru import ByteLRU
from ctatlas.web.schemas import ErrorEnvelope, ListEnvelope, Open

__all__ = ["TrialQuery", "router"]

NO_STORE = "no trials store is loaded"
NO_STORE_HINT = (
    "This atlas has no clinical trial records yet. Trials appear here once whoever runs the "
    "atlas has loaded registry records (from ClinicalTrials.gov, CRIS or ICTRP) into its "
    "trials store."
)
UNREADABLE = "the trials store cannot be read"
UNREADABLE_HINT = (
    "The trials store is damaged or is not a trials database. The products and the rest of "
    "the atlas still work; whoever runs the atlas can load the trials again."
)
#: Memory for cached trials answers (pages and counts), whatever the clients ask.
CACHE_BYTES = 32 * 1024 * 1024

TRIALS_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    503: {
        "model": ErrorEnvelope,
        "description": f"{NO_STORE[0].upper()}{NO_STORE[1:]} (or it cannot be read): the "
        "envelope with a plain-words `hint`.",
    },
}

router = APIRouter(tags=["trials"], responses=TRIALS_ERRORS)


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


class TrialProgram(Open):
    """A development program of the atlas that the trial belongs to."""

    slug: str = Field(description="The therapy's atlas slug (its page: /products/{slug}).")
    program: int = Field(
        description="The program's index among the therapy's programs (its anchor on the "
        "product page: #program-{program})."
    )
    name: str = Field(description="The therapy's name in the atlas.")
    jurisdiction: str = Field(description="Where the program runs (a jurisdiction code).")
    stage: str = Field(description="The program's development stage (a code).")
    status: str = Field(description="The program's status (a code).")


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
    programs: list[TrialProgram] = Field(
        description="Development programs of the atlas the trial belongs to: a program that "
        "lists one of its registry ids, or one of a therapy the trial names among its "
        "interventions in a country of the trial (as the trial pages show them)."
    )


class TrialsPublic(ListEnvelope):
    """A page of trials."""

    data: list[TrialPublic]


class TrialOne(TrialPublic):
    """One real trial, whichever of its ids was asked for."""


def _with_programs(request: Request, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of ``rows``, each with the ``programs`` it belongs to (the store's rows are
    never changed)."""
    from ctatlas.trials.program_links import ProgramLinker

    snap = request.app.state.atlas.current()
    linker = snap.derived("program_linker", lambda: ProgramLinker(snap.store.therapies()))
    return [{**row, "programs": linker.links(row)} for row in rows]


def _atlas_hash(request: Request) -> str:
    return str(request.app.state.atlas.current().data_hash)


def _cache(request: Request) -> ByteLRU:
    state = request.app.state
    cache = getattr(state, "trials_cache", None)
    if cache is None:
        cache = state.trials_cache = ByteLRU(CACHE_BYTES, max_entries=8192)
    return cache


def _store_and_version(request: Request) -> tuple[Any, str]:
    """The trials store and its version token; 503 when there is none or it is unreadable."""
    import sqlalchemy as sa

    trials = request.app.state.trials
    try:
        store = trials.store()
        version = trials.version()
    except sa.exc.SQLAlchemyError:
        raise Unavailable(UNREADABLE, hint=UNREADABLE_HINT) from None
    if store is None:
        raise Unavailable(NO_STORE, hint=NO_STORE_HINT)
    if version.startswith("unreadable:"):
        raise Unavailable(UNREADABLE, hint=UNREADABLE_HINT)
    return store, version


def _read(compute: Any) -> Any:
    """Run a read of the trials store; a store that fails to read is a 503, not a 500."""
    import sqlalchemy as sa

    try:
        return compute()
    except sa.exc.SQLAlchemyError:
        raise Unavailable(UNREADABLE, hint=UNREADABLE_HINT) from None


def _cached(cache: ByteLRU, key: Any, compute: Any) -> bytes:
    body = cache.get(key)
    if body is None:
        body = orjson.dumps(_read(compute))
        cache.put(key, body, len(body) + 200)
    return body  # type: ignore[no-any-return]


def _json(request: Request, cache: ByteLRU, key: Any, body: bytes) -> Response:
    """The JSON answer, gzipped (once, kept beside it) when the client accepts gzip: these
    routes bypass the response cache, which compresses every other answer."""
    from ctatlas.web.cache import MIN_COMPRESSED, VARY, request_encoding

    vary = {"Vary": VARY.decode()}
    if len(body) < MIN_COMPRESSED or request_encoding(dict(request.scope["headers"])) != "gzip":
        return Response(body, media_type="application/json", headers=vary)
    packed = cache.get(("gzip", key))
    if packed is None:
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        cache.put(("gzip", key), packed, len(packed) + 200)
    return Response(
        packed, media_type="application/json", headers={**vary, "Content-Encoding": "gzip"}
    )


@router.get("/trials", response_model=TrialsPublic)
def list_trials(request: Request, query: Annotated[TrialQuery, Query()]) -> Response:
    """Trials from the registries (ClinicalTrials.gov, CRIS, ICTRP ...), one per real trial,
    filtered as ``ctatlas trials list`` filters; newest start first. 503 (with a `hint`)
    while no trials store is loaded or when it cannot be read."""
    store, version = _store_and_version(request)
    filters = {
        "label": None if query.label == "all" else query.label,
        "country": query.country.upper() if query.country else None,
        "phase": query.phase,
        "status": query.status,
        "cell_class": query.cell_class,
        "family": query.family,
        "origin": query.origin,
        "start_year_from": query.start_year_from,
        "start_year_to": query.start_year_to,
        "sponsor_class": query.sponsor_class,
        "condition": query.condition,
        "product": query.product,
    }
    cache = _cache(request)
    where = tuple(sorted(filters.items()))
    count = orjson.loads(
        _cached(cache, ("count", version, where), lambda: store.count_trials(**filters))
    )

    def page() -> dict[str, Any]:
        rows = (
            list(store.query(**filters, limit=query.limit, offset=query.offset))
            if query.offset < count
            else []
        )
        return {
            "data": _with_programs(request, rows),
            "count": count,
            "limit": query.limit,
            "offset": query.offset,
        }

    key = ("page", version, _atlas_hash(request), where, query.limit, query.offset)
    return _json(request, cache, key, _cached(cache, key, page))


@router.get("/trials/{trial_id}", response_model=TrialOne)
def get_trial(
    request: Request,
    trial_id: Annotated[
        str,
        Path(
            min_length=1,
            max_length=64,
            description="Any registry id of the trial: its own (e.g. NCT01234567) or a "
            "secondary id another registry gives it (e.g. a jRCT or KCT number).",
        ),
    ],
) -> Response:
    """One real trial (its best record, every registry's ids merged, overrides applied),
    found by any of its registry ids. 404 when no record lists that id; 503 (with a
    `hint`) while no trials store is loaded or when it cannot be read."""
    store, version = _store_and_version(request)
    cache = _cache(request)
    key = ("one", version, _atlas_hash(request), trial_id.strip())
    body = cache.get(key)
    if body is None:
        found = _read(lambda: store.find(trial_id))
        if found is None:
            raise NotFound(
                f"no trial '{trial_id}' in the trials store",
                [{"loc": ["path", "trial_id"], "msg": f"no record lists the id '{trial_id}'"}],
            )
        body = orjson.dumps(_with_programs(request, [found])[0])
        cache.put(key, body, len(body) + 200)
    return _json(request, cache, key, body)
