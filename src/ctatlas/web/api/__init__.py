"""The REST API, ``/api/v1``: one router per resource."""

from __future__ import annotations

from fastapi import APIRouter

from ctatlas.web.api import (
    classify,
    conditional,
    export,
    pipeline,
    products,
    reference,
    trials,
)

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")
router.include_router(products.router)
router.include_router(pipeline.router)
router.include_router(reference.router)
router.include_router(classify.router)
router.include_router(export.router)
router.include_router(trials.router)
router.include_router(conditional.router)
