"""The application factory: the REST API, the pages, the vendored assets, the error envelope.

    >>> app = create_app()                       # the default store, built from data/ if stale
    >>> app = create_app("postgresql://...")     # doctest: +SKIP
    >>> app = create_app(store=my_store)         # tests inject a store built from fixtures

The app only reads: every route is GET except ``POST /api/v1/classify``, which computes and
stores nothing. OpenAPI is at ``/api/v1/openapi.json`` with Swagger UI at ``/api/docs`` and
ReDoc-free offline docs: every script and stylesheet is served from ``/static``, under names
holding a hash of their content (:mod:`ctatlas.web.assets`). ``/api`` lists every endpoint
(:mod:`ctatlas.web.api_index`); the icon is at ``/favicon.ico`` too.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from starlette.responses import FileResponse, HTMLResponse

from ctatlas import __version__
from ctatlas.store import Store, ensure_store
from ctatlas.web.cache import ResponseCache
from ctatlas.web.errors import install_error_handlers
from ctatlas.web.guard import Guard
from ctatlas.web.state import Atlas, Trials

__all__ = ["create_app", "served_app"]

DESCRIPTION = """\
Cell therapy products, their authorizations in each jurisdiction, the jurisdictions'
definitions, and a classifier, from the curated and sourced Cell Therapy Atlas data.

Read-only. Every list returns `{"data", "count", "limit", "offset"}`; every error returns
`{"ok": false, "status", "error", "errors": [{"loc", "msg"}], "suggestions"}`. Data responses
carry `ETag` and `Last-Modified`; send `If-None-Match` to get `304 Not Modified`.
"""


#: Swagger UI, started by a script file rather than an inline one (the Content-Security-Policy
#: allows only the atlas's own script files); no call to an online validator.
SWAGGER_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{css}">
<link rel="icon" href="{icon}" type="image/svg+xml">
<title>Cell Therapy Atlas API</title>
</head>
<body>
<div id="swagger-ui"></div>
<script src="{bundle}"></script>
<script src="{init}"></script>
</body>
</html>
"""


def static_dir() -> Path:
    """The folder of the vendored assets and the site's CSS/JS."""
    return Path(str(resources.files("ctatlas.web") / "static"))


def create_app(
    db_url: str | None = None,
    data: str | Path | None = None,
    *,
    store: Store | None = None,
    trials_db: str | None = None,
    refresh_seconds: float = 10.0,
    warm: bool = False,
) -> FastAPI:
    """The web atlas over ``store`` (or the store at ``db_url``, rebuilt from ``data`` when
    missing or stale). ``trials_db``: the trials store (default: ``ctatlas.config.trials_db_url``
    for this atlas). ``refresh_seconds``: how often to look for a rebuilt store (0: never).
    ``warm``: compute the report and the caches now rather than on the first request.

    Product pages list the trials linked to the product, from the trials store; their cache
    entries and ETags are keyed on the trials store's state as well as the atlas's data
    hash, so an ingest or ``ctatlas trials link`` shows within ``refresh_seconds``."""
    if store is None:
        store = ensure_store(db_url, data)
    atlas = Atlas(store, refresh_seconds=refresh_seconds)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.trials.close()  # its connections close with the server

    app = FastAPI(
        lifespan=lifespan,
        title="Cell Therapy Atlas API",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.atlas = atlas
    from ctatlas.config import trials_db_url

    trials = Trials(trials_db_url(trials_db, atlas_url=store.url), refresh_seconds)
    app.state.trials = trials
    install_error_handlers(app)
    from ctatlas.web.openapi import install_openapi

    install_openapi(app)

    from ctatlas.web.api import router as api_router
    from ctatlas.web.api_index import router as api_index_router
    from ctatlas.web.assets import FingerprintedStatic, package_assets
    from ctatlas.web.pages import router as pages_router

    app.include_router(api_router)
    app.include_router(api_index_router)
    app.include_router(pages_router)
    assets = package_assets()
    app.mount("/static", FingerprintedStatic(assets), name="static")
    swagger_page = SWAGGER_PAGE.format(
        css=assets.url("vendor/swagger-ui.css"),
        icon=assets.url("favicon.svg"),
        bundle=assets.url("vendor/swagger-ui-bundle.js"),
        init=assets.url("swagger-init.js"),
    )

    @app.get("/api/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(swagger_page)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        """The icon browsers ask for at the root (a day's cache: its name cannot change)."""
        return FileResponse(
            assets.folder / "favicon.ico",
            media_type="image/vnd.microsoft.icon",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.add_middleware(ResponseCache, atlas=atlas, trials=trials)
    app.add_middleware(Guard)  # outermost: headers on every response, even cached ones
    if warm:
        warm_up(app)
    return app


def warm_up(app: FastAPI) -> None:
    """Read the store and compute the report once, before the first request; then move
    everything read so far out of the garbage collector's way (the data is read-only, and
    full collections walking it would otherwise add tens of milliseconds to some requests)."""
    import gc

    from ctatlas.web import service

    snap = app.state.atlas.current()
    snap.warm()
    service.jurisdiction_summaries(snap)
    service.disease_list(snap)
    service.stats(snap)
    service.charts(snap)
    service.classify_jurisdictions(snap)
    service.classification(snap, {})  # imports the rule modules
    from ctatlas.web.pages import templates

    for name in templates.env.list_templates():  # compile every page template once
        templates.env.get_template(name)
    gc.collect()
    gc.freeze()


def served_app() -> FastAPI:
    """What each worker of ``ctatlas serve --workers N`` runs: the store named by the
    environment (``CTATLAS_DB``, ``CTATLAS_DATA``, ``CTATLAS_TRIALS_DB``), warmed."""
    from ctatlas.web.memory import limit_malloc_arenas

    limit_malloc_arenas()
    return create_app(warm=True)
