"""Helpers shared by the API routers."""

from __future__ import annotations

from typing import Any

from ctatlas.web.schemas import ErrorEnvelope

__all__ = ["ERRORS", "page"]

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
