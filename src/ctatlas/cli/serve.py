"""``ctatlas serve``: the web atlas and REST API on a local port."""

from __future__ import annotations

from typing import Annotated

import typer

from ctatlas.cli.common import DataOpt, DbOpt, data_path, db_url, err, fail, handle_errors

__all__ = ["register"]


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (each holds the data).")
    ] = 1,
    log_level: Annotated[
        str, typer.Option("--log-level", help="critical, error, warning, info, debug")
    ] = "info",
    trials_db: Annotated[
        str | None,
        typer.Option("--trials-db", help="Trials store URL [env: CTATLAS_TRIALS_DB]"),
    ] = None,
    db: DbOpt = None,
    data: DataOpt = None,
) -> None:
    """Serve the atlas: pages at / and the REST API at /api/v1 (docs at /api/docs), with the
    trials store's trials at /api/v1/trials.

    The store is built from the data folder first when it is missing or stale. Works offline:
    every script and stylesheet is served by the atlas itself.

    Examples:
      ctatlas serve
      ctatlas serve --port 8080 --host 0.0.0.0
      ctatlas serve --db postgresql://atlas@db.example.org/atlas
    """
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - a declared dependency
        raise fail("`serve` needs uvicorn: pip install 'uvicorn[standard]'", 2) from None
    from ctatlas.config import atlas_db_url
    from ctatlas.store import ensure_store
    from ctatlas.web.server import uvicorn_options

    with handle_errors():
        url = atlas_db_url(db_url(db))
        store = ensure_store(url, data_path(data))
    err(f"Serving the atlas from {_redact(url)} at http://{host}:{port}/ (Ctrl+C stops)")
    if workers == 1:
        from ctatlas.web.app import create_app

        app = create_app(store=store, trials_db=trials_db, warm=True)
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level=log_level,
            access_log=False,
            **uvicorn_options(),
        )
        return
    import os

    os.environ["CTATLAS_DB"] = url  # each worker opens the same store
    if data_path(data):
        os.environ["CTATLAS_DATA"] = str(data_path(data))
    if trials_db:
        os.environ["CTATLAS_TRIALS_DB"] = trials_db
    uvicorn.run(
        "ctatlas.web.app:served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=False,
        **uvicorn_options(),
    )


def _redact(url: str) -> str:
    """The URL without its password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return url


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the app."""
    app.command()(serve)
