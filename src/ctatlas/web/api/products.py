"""``/products``, ``/products/{slug}``, ``/authorizations``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from ctatlas.web import service
from ctatlas.web.api.common import ERRORS, json_response, page
from ctatlas.web.deps import SnapshotDep
from ctatlas.web.params import ProductQueryDep
from ctatlas.web.schemas import AuthorizationsPublic, ProductPublic, ProductsPublic

__all__ = ["router"]

router = APIRouter(tags=["products"], responses=ERRORS)

SlugPath = Annotated[str, Path(max_length=200, description="The product's slug.")]


@router.get("/products", response_model=ProductsPublic)
def list_products(snap: SnapshotDep, query: ProductQueryDep) -> Response:
    """Products matching every filter, each with only its matching authorizations.

    A product matches when its own attributes match and at least one authorization matches
    every authorization-level filter (jurisdiction, status, pathway, approval dates): the
    semantics of ``ctatlas products``.
    """
    return json_response(page(service.matching_products(snap, query), query.limit, query.offset))


@router.get("/products/{slug}", response_model=ProductPublic)
def get_product(snap: SnapshotDep, slug: SlugPath) -> Response:
    """One product with all its authorizations and sources; 404 lists close matches."""
    doc = snap.by_slug().get(slug)
    if doc is None:
        snap.store.product(slug)  # raises RecordNotFound with suggestions
    return json_response(doc)


@router.get("/authorizations", response_model=AuthorizationsPublic)
def list_authorizations(snap: SnapshotDep, query: ProductQueryDep) -> Response:
    """One flat row per authorization matching the filters (same filters as /products)."""
    rows = service.matching_authorizations(snap, query)
    return json_response(page(rows, query.limit, query.offset))
