"""Helpers shared by the API routers."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from ctatlas.web.schemas import ErrorEnvelope

__all__ = ["ERRORS", "json_response", "page"]

#: Every route documents the envelope for its errors (and FastAPI adds no other 422 shape).
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorEnvelope, "description": "Not found (with close matches)."},
    422: {"model": ErrorEnvelope, "description": "Invalid input."},
    "default": {"model": ErrorEnvelope, "description": "Any other error."},
}


def page(rows: list[Any], limit: int, offset: int) -> dict[str, Any]:
    """The list envelope: one page of ``rows`` and the total count."""
    return {
        "data": rows[offset : offset + limit],
        "count": len(rows),
        "limit": limit,
        "offset": offset,
    }


def json_response(content: Any) -> Response:
    """JSON bytes straight from the data (orjson). The route's ``response_model`` documents
    the shape; the Schemathesis run holds every response to it, so the data is not validated
    a second time on each request (that cost 10-20 ms for a page of 50 products)."""
    return Response(orjson.dumps(content), media_type="application/json")
