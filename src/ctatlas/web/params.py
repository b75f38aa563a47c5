"""Query parameters shared by the API and the pages: one parser, one set of rules, the CLI's.

:class:`ProductQuery` is the API's query model (unknown parameters are rejected) and
:func:`product_filter` turns it into :class:`ctatlas.query.ProductFilter`, checking what a model
cannot: that every jurisdiction exists in the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ctatlas.query import SORT_FIELDS, ProductFilter
from ctatlas.vocab import CellClass, Modality, Origin, Pathway, Status
from ctatlas.web.errors import Unprocessable

__all__ = [
    "PARTIAL_DATE",
    "ProductFilters",
    "ProductFiltersDep",
    "ProductQuery",
    "ProductQueryDep",
    "SORT_PATTERN",
    "parse_page_query",
    "product_filter",
]

PARTIAL_DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
SORT_PATTERN = "^-?(" + "|".join(SORT_FIELDS) + ")$"
MAX_LIMIT = 500


class ProductFilters(BaseModel):
    """The product filters of ``ctatlas products`` and the sort order, as query parameters;
    every one validated (an export takes these: it has no pages)."""

    model_config = ConfigDict(extra="forbid")

    jurisdiction: list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]] = Field(
        default_factory=list, description="Jurisdiction code (JP, KR, US, EU ...); repeatable."
    )
    modality: list[Modality] = Field(default_factory=list, description="Repeatable.")
    cell_class: list[CellClass] = Field(default_factory=list, description="Repeatable.")
    origin: list[Origin] = Field(default_factory=list, description="Repeatable.")
    status: list[Status] = Field(default_factory=list, description="Repeatable.")
    pathway: list[Pathway] = Field(default_factory=list, description="Repeatable.")
    approved_from: str | None = Field(
        default=None, pattern=PARTIAL_DATE, description="Approved on or after YYYY[-MM[-DD]]."
    )
    approved_to: str | None = Field(
        default=None, pattern=PARTIAL_DATE, description="Approved on or before YYYY[-MM[-DD]]."
    )
    q: str | None = Field(
        default=None,
        max_length=200,
        description="Text in brand, local name, name, holder, indication, disease (any script; "
        "NFKC, case-insensitive substring).",
    )
    sort: str | None = Field(
        default=None,
        pattern=SORT_PATTERN,
        description="field or -field (descending): " + ", ".join(SORT_FIELDS) + ".",
    )

    def filters_given(self) -> bool:
        """Whether any filter or sort differs from its default."""
        return bool(self.model_dump(exclude_defaults=True))


class ProductQuery(ProductFilters):
    """:class:`ProductFilters` and a page (``limit``, ``offset``)."""

    limit: int = Field(default=50, ge=1, le=MAX_LIMIT, description="Page size (max 500).")
    offset: int = Field(default=0, ge=0, le=1_000_000, description="Records to skip.")


def _product_query(query: Annotated[ProductQuery, Query()]) -> ProductQuery:
    return query


ProductQueryDep = Annotated[ProductQuery, Depends(_product_query)]


def _product_filters(query: Annotated[ProductFilters, Query()]) -> ProductFilters:
    return query


ProductFiltersDep = Annotated[ProductFilters, Depends(_product_filters)]


def product_filter(query: ProductFilters, known_jurisdictions: Iterable[str]) -> ProductFilter:
    """The query as a filter; :class:`Unprocessable` for an unknown jurisdiction code (as the
    CLI). A reversed date range is not an error: nothing is approved in it."""
    known = set(known_jurisdictions)
    codes = [code.upper() for code in query.jurisdiction]
    problems = [
        {
            "loc": ["query", "jurisdiction"],
            "msg": f"unknown jurisdiction '{code}'; known: {', '.join(sorted(known))}",
        }
        for code in codes
        if code not in known
    ]
    if problems:
        raise Unprocessable("invalid input: " + problems[0]["msg"], problems)
    search = query.q.strip() if query.q else None
    return ProductFilter(
        jurisdictions=codes,
        modality=[m.value for m in query.modality],
        cell_class=[c.value for c in query.cell_class],
        origin=[o.value for o in query.origin],
        status=[s.value for s in query.status],
        pathway=[p.value for p in query.pathway],
        approved_from=query.approved_from,
        approved_to=query.approved_to,
        search=search or None,
    )


LIST_FIELDS = {"jurisdiction", "modality", "cell_class", "origin", "status", "pathway"}


def parse_page_query(items: Iterable[tuple[str, str]]) -> tuple[ProductQuery, list[dict[str, Any]]]:
    """A page's query string as a :class:`ProductQuery`, lenient: bad values are dropped and
    reported (the page shows them), empty form fields and unknown parameters are ignored."""
    raw: dict[str, Any] = {}
    for key, value in items:
        value = value.strip()
        if not value or key not in ProductQuery.model_fields:
            continue
        if key in LIST_FIELDS:
            raw.setdefault(key, []).append(value)
        else:
            raw[key] = value
    problems: list[dict[str, Any]] = []
    for _ in range(len(raw) + 1):
        try:
            return ProductQuery.model_validate(raw), problems
        except ValidationError as exc:
            for err in exc.errors():
                name = str(err["loc"][0])
                problems.append({"loc": ["query", name], "msg": f"{name}: {err['msg']}"})
                raw.pop(name, None)
    return ProductQuery(), problems
