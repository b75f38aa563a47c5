"""``/api``: every endpoint of the REST API with a one-line description and an example URL.

Built from the app's own OpenAPI document (which FastAPI generates from the routes), so a new
endpoint is listed as soon as it exists and a removed one disappears: the list cannot go stale.
Browsers (``Accept: text/html``) get a page in the reader's language; anything else gets JSON.
The examples use real records of the atlas (the first product, Japan, a trial id the data
cites), so each one answers.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from ctatlas.web.deps import SnapshotDep
from ctatlas.web.state import Snapshot

__all__ = ["api_endpoints", "router"]

router = APIRouter(include_in_schema=False)


def _first_sentence(text: str) -> str:
    """The description's first sentence (up to a full stop outside parentheses), on one line,
    without reStructuredText quotes."""
    flat = " ".join(text.replace("``", "").split())
    depth = 0
    for i, char in enumerate(flat):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "." and depth <= 0 and (i + 1 == len(flat) or flat[i + 1] == " "):
            return flat[: i + 1]
    return flat


def _examples(snap: Snapshot) -> dict[str, str]:
    """A real value for each path parameter the API has."""
    products = sorted(doc["slug"] for doc in snap.products())
    codes = list(snap.jurisdictions())
    programs = [p for doc in snap.products() for p in doc.get("programs", [])]
    trial_ids = sorted(t for p in programs for t in p.get("trial_ids", []))
    return {
        "slug": products[0] if products else "",
        "code": "JP" if "JP" in codes else (codes[0] if codes else ""),
        "trial_id": trial_ids[0] if trial_ids else "",
    }


def _param_example(param: dict[str, Any], doc: dict[str, Any], values: dict[str, str]) -> str:
    if values.get(param["name"]):
        return values[param["name"]]
    schema = param.get("schema", {})
    if "$ref" in schema:  # an enum of the components (the export formats)
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if schema.get("enum"):
        return str(schema["enum"][0])
    return "{" + param["name"] + "}"


def api_endpoints(doc: dict[str, Any], snap: Snapshot) -> list[dict[str, str]]:
    """Every operation of the OpenAPI document ``doc``: method, path, summary, description
    (its first sentence) and an example URL."""
    values = _examples(snap)
    out = []
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            example = path
            query: list[tuple[str, str]] = []
            for param in op.get("parameters", []):
                if param["in"] == "path":
                    value = _param_example(param, doc, values)
                    example = example.replace("{" + param["name"] + "}", value)
                elif param["in"] == "query" and param["name"] == "limit":
                    query.append(("limit", "5"))
            if query:
                example += "?" + urlencode(query)
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": _first_sentence(op.get("description") or op.get("summary", "")),
                    "example": example,
                }
            )
    return out


@router.get("/api")
def api_index(request: Request, snap: SnapshotDep) -> Response:
    """The API's endpoints: a page for browsers, JSON otherwise."""
    endpoints = api_endpoints(request.app.openapi(), snap)
    if "text/html" in request.headers.get("accept", ""):
        from ctatlas.web import contexts
        from ctatlas.web.rendering import render_page

        return render_page(request, contexts.ApiIndexContext(endpoints=endpoints))
    from ctatlas.web.api.common import json_response

    return json_response(  # type: ignore[no-any-return]
        {
            "data": endpoints,
            "count": len(endpoints),
            "openapi": "/api/v1/openapi.json",
            "docs": "/api/docs",
        }
    )
