"""What the ``/products`` table shows: rows with each authorization's holder, pathway, status
and conditional term; counts beside every filter value; numbered pages.

Kept apart from :mod:`ctatlas.web.pages` (one concern: the products table's view). Without a
search and without an explicit ``sort`` the newest first approvals come first, products with no
known date last; with a search the results are ranked; an explicit ``sort`` wins.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from ctatlas.query import SORT_FIELDS, filter_products
from ctatlas.web import service
from ctatlas.web.params import ProductQuery, product_filter
from ctatlas.web.state import Snapshot

__all__ = ["DEFAULT_SORT", "facet_counts", "page_numbers", "products_view", "query_string"]

#: The table's order when the URL names neither a sort nor a search.
DEFAULT_SORT = "-approval_date"
#: Filter parameter -> (ProductFilter field, whether it applies to authorizations).
FACETS = {
    "jurisdiction": ("jurisdictions", True),
    "modality": ("modality", False),
    "cell_class": ("cell_class", False),
    "origin": ("origin", False),
    "status": ("status", True),
    "pathway": ("pathway", True),
}


def query_string(query: ProductQuery, **changes: Any) -> str:
    """The query's non-default parameters (with ``changes``) as a query string."""
    data = query.model_dump(mode="json", exclude_defaults=True)
    data.update(changes)
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        if value is None or value == [] or value == "":
            continue
        if key == "limit" and value == 50 or key == "offset" and value == 0:
            continue
        if isinstance(value, list):
            pairs += [(key, str(v)) for v in value]
        else:
            pairs.append((key, str(value)))
    return urlencode(pairs)


def facet_counts(snap: Snapshot, query: ProductQuery) -> dict[str, dict[str, int]]:
    """Filter parameter -> value -> how many products the table would list with that value
    ticked as well (every other filter kept; values of one filter combine with "or")."""
    flt = product_filter(query, snap.jurisdictions())
    texts = snap.search_texts() if flt.search else None
    products = snap.products()
    out: dict[str, dict[str, int]] = {}
    for param, (field, per_authorization) in FACETS.items():
        others = dataclasses.replace(flt, **{field: []})
        counts: dict[str, int] = {}
        for doc in filter_products(products, others, texts):
            if per_authorization:
                key = "jurisdiction" if param == "jurisdiction" else param
                values = {a[key] for a in doc["authorizations"]}
            else:
                values = {doc.get(param)}
            for value in values:
                if value is not None:
                    counts[value] = counts.get(value, 0) + 1
        out[param] = counts
    return out


def page_numbers(count: int, limit: int, offset: int) -> list[int | None]:
    """The page numbers to link (1-based): the first, the last and two either side of the
    current one; None marks a gap."""
    pages = max(1, -(-count // limit))
    current = offset // limit + 1
    wanted = {1, pages, *range(current - 2, current + 3)}
    shown: list[int | None] = []
    for number in sorted(n for n in wanted if 1 <= n <= pages):
        if shown and shown[-1] is not None and number - shown[-1] > 1:  # type: ignore[operator]
            shown.append(None)
        shown.append(number)
    return shown


def _row(doc: dict[str, Any], names: tuple[list[dict[str, str]], list[dict[str, str]]]) -> dict:
    auths = doc["authorizations"]
    dates = sorted(a["approval_date"] for a in auths if a.get("approval_date"))
    first, then = names
    return {
        "doc": doc,
        "first": first,
        "then": then,
        "authorizations": auths,
        "first_approval": dates[0] if dates else None,
    }


def products_view(
    snap: Snapshot,
    query: ProductQuery,
    found: Sequence[dict[str, Any]],
    names: Any,
    keep: dict[str, str],
) -> dict[str, Any]:
    """The table's rows, sort links, pages and filter counts for ``found`` (the products the
    query selects, already ordered). ``names(doc)``: a row's (first, then) names;
    ``keep``: parameters every link carries (the language chosen by ``?lang=``)."""
    shown = found[query.offset : query.offset + query.limit]
    current_sort = query.sort or ""
    effective = current_sort or ("" if query.q else DEFAULT_SORT)
    sort_links = {}
    for field in SORT_FIELDS:
        target = f"-{field}" if effective == field else field
        if field == "approval_date" and effective != "approval_date":
            target = "approval_date" if effective == "-approval_date" else "-approval_date"
        sort_links[field] = "/products?" + query_string(query, sort=target, offset=0, **keep)

    def link(offset: int) -> str:
        return "/products?" + query_string(query, offset=offset, **keep)

    pages = [
        None if n is None else {"number": n, "link": link((n - 1) * query.limit),
                                "current": (n - 1) * query.limit <= query.offset < n * query.limit}
        for n in page_numbers(len(found), query.limit, query.offset)
    ]  # fmt: skip
    prev_link = link(max(0, query.offset - query.limit)) if query.offset > 0 else None
    more = query.offset + query.limit < len(found)
    return {
        "rows": [_row(doc, names(doc)) for doc in shown],
        "sort_links": sort_links,
        "current_sort": current_sort,
        "default_sort": "" if query.q else DEFAULT_SORT,
        "prev_link": prev_link,
        "next_link": link(query.offset + query.limit) if more else None,
        "pages": pages if len(pages) > 1 else [],
        "facets": facet_counts(snap, query),
    }


def ordered(snap: Snapshot, query: ProductQuery) -> list[dict[str, Any]]:
    """The products the query selects in the table's order (see the module's docstring)."""
    if not query.sort and not query.q:
        query = query.model_copy(update={"sort": DEFAULT_SORT})
    return service.matching_products(snap, query)
