"""``GET /export/{format}``: the atlas (or a filtered part) as CSV, XLSX, JSON or a Data Package."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from ctatlas.export import ExportFormat, export_bytes
from ctatlas.web import service
from ctatlas.web.api.common import ERRORS
from ctatlas.web.deps import SnapshotDep
from ctatlas.web.params import ProductFiltersDep

__all__ = ["router"]

router = APIRouter(tags=["export"], responses=ERRORS)

_MEDIA = {
    "text/csv": {"schema": {"type": "string"}},
    "application/json": {"schema": {"type": "object"}},
    "application/zip": {"schema": {"type": "string", "format": "binary"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}
    },
}


@router.get(
    "/export/{format}",
    response_class=Response,
    responses={200: {"description": "The export file.", "content": _MEDIA}},
)
def export(snap: SnapshotDep, format: ExportFormat, query: ProductFiltersDep) -> Response:
    """The products matching the filters (all by default; an export has no pages, so
    ``limit`` and ``offset`` are refused like any unknown parameter) as ``csv`` (one row per
    authorization), ``programs_csv`` (one row per development program), ``xlsx`` (a sheet per
    table), ``json`` (the documents) or ``datapackage`` (a Frictionless Data Package: zip of
    CSVs and ``datapackage.json``) - the same bytes as ``ctatlas export``. Programs are those
    in the filter's jurisdictions of therapies that pass the product-level filters (modality,
    cell class, origin, q). The whole atlas is exported once per data version."""
    from ctatlas.pipeline import programs_for_export
    from ctatlas.web.params import product_filter

    def build() -> Any:
        flt = product_filter(query, snap.jurisdictions())
        programs = programs_for_export(
            snap.therapies(), flt, snap.search_texts() if flt.search else None
        )
        return export_bytes(
            format,
            service.matching_products(snap, query),
            snap.jurisdictions(),
            snap.diseases(),
            {"data_hash": snap.data_hash, "built_at": snap.built_at.isoformat()},
            programs,
        )

    result = build() if query.filters_given() else snap.derived(f"export:{format.value}", build)
    return Response(
        result.content,
        media_type=result.media_type,
        headers={"Content-Disposition": f'attachment; filename="{result.filename}"'},
    )
