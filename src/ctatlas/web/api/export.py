"""``GET /export/{format}``: the atlas (or a filtered part) as CSV, XLSX, JSON or a Data Package."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from ctatlas.export import ExportFormat, export_bytes
from ctatlas.web import service
from ctatlas.web.api.common import ERRORS
from ctatlas.web.deps import SnapshotDep
from ctatlas.web.params import ProductQueryDep

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
def export(snap: SnapshotDep, format: ExportFormat, query: ProductQueryDep) -> Response:
    """The products matching the filters (all by default; ``limit``/``offset`` are ignored)
    as ``csv`` (one row per authorization), ``xlsx`` (a sheet per table), ``json`` (the
    documents) or ``datapackage`` (a Frictionless Data Package: zip of CSVs and
    ``datapackage.json``) - the same bytes as ``ctatlas export``."""
    products = service.matching_products(snap, query)
    result = export_bytes(
        format,
        products,
        snap.jurisdictions(),
        snap.diseases(),
        {"data_hash": snap.data_hash, "built_at": snap.built_at.isoformat()},
    )
    return Response(
        result.content,
        media_type=result.media_type,
        headers={"Content-Disposition": f'attachment; filename="{result.filename}"'},
    )
