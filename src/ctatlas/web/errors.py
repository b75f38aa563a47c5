"""One error envelope for every error, and the handlers that make sure of it.

Errors carry their HTTP status (:class:`ApiError` and subclasses). Every handler here builds its
body with :func:`error_body`, so a 404, a 405, FastAPI's 422 and an unexpected exception all
look alike: ``{"ok": false, "status", "error", "errors": [{"loc", "msg"}], "suggestions"}``.
Pages (paths outside ``/api``, asked for by a browser) get the same content as an HTML page.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from ctatlas.errors import BadInput, CtatlasError, RecordNotFound, StoreError

__all__ = [
    "ApiError",
    "BadRequest",
    "NotFound",
    "Unavailable",
    "Unprocessable",
    "error_body",
    "install_error_handlers",
]

log = logging.getLogger("ctatlas.web")

REASONS = {
    400: "bad request",
    404: "not found",
    405: "method not allowed",
    406: "not acceptable",
    413: "request too large",
    415: "unsupported media type",
    422: "invalid input",
    500: "internal error",
    503: "store unavailable",
}


class ApiError(Exception):
    """An error with its HTTP status and the problems behind it."""

    status = 400

    def __init__(
        self,
        message: str,
        errors: Sequence[dict[str, Any]] | None = None,
        suggestions: Sequence[str] = (),
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errors = list(errors) if errors else [{"loc": [], "msg": message}]
        self.suggestions = list(suggestions)
        self.hint = hint


class BadRequest(ApiError):
    """The request cannot be read."""

    status = 400


class NotFound(ApiError):
    """No such record."""

    status = 404


class Unavailable(ApiError):
    """What the request needs is not there (no trials store) or cannot be read."""

    status = 503


class Unprocessable(ApiError):
    """A parameter or body value is not acceptable."""

    status = 422


def error_body(
    status: int,
    message: str,
    errors: Sequence[dict[str, Any]] | None = None,
    suggestions: Sequence[str] = (),
    hint: str | None = None,
) -> dict[str, Any]:
    """The envelope (the only shape an error ever has; ``hint`` only when there is one)."""
    items = [
        {"loc": [x if isinstance(x, int) else str(x) for x in e.get("loc", [])], "msg": e["msg"]}
        for e in (errors or [])
    ] or [{"loc": [], "msg": message}]
    body = {
        "ok": False,
        "status": status,
        "error": message,
        "errors": items,
        "suggestions": list(suggestions),
    }
    if hint:
        body["hint"] = hint
    return body


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api"):
        return False
    return "text/html" in request.headers.get("accept", "")


def respond(
    request: Request,
    status: int,
    message: str,
    errors: Sequence[dict[str, Any]] | None = None,
    suggestions: Sequence[str] = (),
    headers: dict[str, str] | None = None,
    hint: str | None = None,
) -> Response:
    """The error as JSON, or as an HTML page for a browser on a page path."""
    body = error_body(status, message, errors, suggestions, hint)
    if _wants_html(request):
        from ctatlas.web.rendering import render_error

        try:
            return render_error(request, body, headers)
        except Exception:  # a broken template must not turn a 404 into a 500
            log.exception("error page failed to render")
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_items(exc: RequestValidationError) -> list[dict[str, Any]]:
    items = []
    for err in exc.errors():
        loc = list(err.get("loc", []))
        msg = str(err.get("msg", "invalid"))
        ctx = err.get("ctx") or {}
        if err.get("type") == "extra_forbidden":
            msg = "unknown parameter"
        elif "expected" in ctx:
            msg = f"{msg}"
        items.append({"loc": loc, "msg": msg})
    return items


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers: every error path ends in :func:`respond`."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return respond(
            request, exc.status, exc.message, exc.errors, exc.suggestions, hint=exc.hint
        )

    @app.exception_handler(RecordNotFound)
    async def _not_found(request: Request, exc: RecordNotFound) -> Response:
        return respond(
            request,
            404,
            str(exc),
            [{"loc": ["path", "slug" if exc.what == "product" else "code"], "msg": str(exc)}],
            exc.suggestions,
        )

    @app.exception_handler(BadInput)
    async def _bad_input(request: Request, exc: BadInput) -> Response:
        return respond(request, 422, str(exc))

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> Response:
        log.error("store error: %s", exc)
        return respond(request, 503, f"the store cannot be read: {exc}")

    @app.exception_handler(CtatlasError)
    async def _ctatlas_error(request: Request, exc: CtatlasError) -> Response:
        return respond(request, 422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        items = _validation_items(exc)
        where = ", ".join(
            ".".join(str(x) for x in i["loc"][1:]) or str(i["loc"][0]) for i in items if i["loc"]
        )
        message = f"invalid input: {where}" if where else "invalid input"
        return respond(request, 422, message, items)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        detail = exc.detail if isinstance(exc.detail, str) else REASONS.get(status, "error")
        if status == 404 and detail == "Not Found":
            detail = f"no such path: {request.url.path}"
        elif status == 405 and detail == "Method Not Allowed":
            detail = f"{request.method} is not allowed on {request.url.path} (read-only API)"
        return respond(request, status, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # the catch-all: a bug still answers in the envelope, and is logged for a fix
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return respond(request, 500, "internal error (logged); please report it")
