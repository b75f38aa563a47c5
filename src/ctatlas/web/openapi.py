"""The OpenAPI document, as strict as the API: the data's vocabularies as enums.

Jurisdiction codes, disease areas and the jurisdictions the classifier covers come from the
data, not from the code, so FastAPI documents them as free strings (a pattern) while the API
answers an unknown one with 422. Here the generated document gets them as ``enum`` lists from
the current data version (re-made when the store is rebuilt), so a client, Swagger UI or a
fuzzer knows exactly which values are accepted.

One looseness stays, documented on the operation: a classifier profile whose attributes
contradict each other is a 422 (JSON Schema ``not`` clauses could say it, but the fuzzers
that read the document cannot generate from them).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

__all__ = ["install_openapi"]


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` add the data's vocabularies (cached per data version)."""
    cache: dict[str, dict[str, Any]] = {}

    def openapi() -> dict[str, Any]:
        snap = app.state.atlas.current()
        doc = cache.get(snap.data_hash)
        if doc is None:
            doc = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            _add_vocabularies(doc, _vocabularies(snap))
            cache.clear()
            cache[snap.data_hash] = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]


def _vocabularies(snap: Any) -> dict[tuple[str, str], list[str]]:
    """(operation path or "*", parameter name) -> allowed values."""
    from ctatlas.web import service

    codes = sorted(snap.jurisdictions())
    classified = sorted(service.classify_jurisdictions(snap))
    areas = sorted(a["id"] for a in snap.areas())
    return {
        ("*", "jurisdiction"): codes,
        ("/api/v1/classify", "jurisdiction"): classified,
        ("/api/v1/jurisdictions/{code}", "code"): codes,
        ("/api/v1/diseases", "area"): areas,
        ("/api/v1/pipeline", "disease"): sorted({d["id"] for d in snap.diseases()} | set(areas)),
    }


def _add_vocabularies(doc: dict[str, Any], vocab: dict[tuple[str, str], list[str]]) -> None:
    for path, operations in doc.get("paths", {}).items():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                name = param.get("name")
                values = vocab.get((path, name)) or vocab.get(("*", name))
                if values and "schema" in param:
                    _set_enum(param["schema"], values)


def _set_enum(schema: dict[str, Any], values: list[str]) -> None:
    """Put ``enum`` on the string schema(s) inside ``schema`` (arrays' items, anyOf arms)."""
    if schema.get("type") == "string":
        schema["enum"] = list(values)
        schema.pop("pattern", None)
        return
    if "items" in schema:
        _set_enum(schema["items"], values)
    for arm in schema.get("anyOf", []):
        _set_enum(arm, values)

