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

    problem = _cannot_listen(host, port)
    if problem:
        raise fail(problem, 2)
    with handle_errors():
        url = atlas_db_url(db_url(db))
        store = ensure_store(url, data_path(data))
    err(f"Serving the atlas from {_redact(url)} at http://{host}:{port}/ (Ctrl+C stops)")
    if workers == 1:
        from ctatlas.web.app import create_app
        from ctatlas.web.memory import limit_malloc_arenas

        limit_malloc_arenas()  # memory flat across rebuilds (see ctatlas.web.memory)

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


def _cannot_listen(host: str, port: int) -> str | None:
    """Why the atlas cannot listen on ``host:port`` (with the option that fixes it), or None.

    Checked before the store is built, so a busy port is a quick, clear usage error rather than
    a uvicorn traceback after the build.
    """
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return f"cannot listen on host '{host}': {exc.strerror}; choose another with --host"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        # uvicorn sets SO_REUSEADDR too, so a port held only by TIME_WAIT counts as free
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (
                    f"port {port} on {host} is already in use (is another atlas running?); "
                    f"choose another with --port, e.g. ctatlas serve --port {_next_port(port)}"
                )
            if exc.errno == errno.EACCES:
                return (
                    f"no permission to listen on port {port}; ports below 1024 need root: "
                    "choose another with --port, e.g. --port 8000"
                )
            if exc.errno == errno.EADDRNOTAVAIL:
                return f"'{host}' is not an address of this machine; choose another with --host"
            return f"cannot listen on {host}:{port}: {exc.strerror}; try another --port or --host"
    return None


def _next_port(port: int) -> int:
    return port + 1 if port < 65535 else 8000


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
