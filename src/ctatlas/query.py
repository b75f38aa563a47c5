"""Filtering, searching and sorting products: one semantics for the CLI, the API and the web.

Products are JSON documents (see :func:`ctatlas.store.product_document`). A product matches
when its product-level attributes match and at least one of its authorizations matches every
authorization-level filter (jurisdiction, status, pathway, approval dates); the product is then
returned with only those matching authorizations, so ``--jurisdiction JP`` shows only Japanese
authorizations.
"""

from __future__ import annotations

import dataclasses
import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "ProductFilter",
    "authorization_rows",
    "filter_products",
    "normalise",
    "search_text",
    "parse_multi",
    "sort_products",
    "suggest",
]


def normalise(text: str) -> str:
    """NFKC-normalise and case-fold, so ｔｅｍｃｅｌｌ, TEMCELL and temcell compare equal."""
    return unicodedata.normalize("NFKC", text).casefold()


def parse_multi(values: Iterable[str] | str | None) -> list[str]:
    """``["JP,KR", "US"]`` or ``"JP,KR"`` -> ``["JP", "KR", "US"]`` (a repeatable or comma flag)."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        out += [part.strip() for part in value.split(",") if part.strip()]
    return out


@dataclasses.dataclass
class ProductFilter:
    """Every filter the CLI and the API offer. Empty lists / None mean "any"."""

    jurisdictions: list[str] = dataclasses.field(default_factory=list)
    modality: list[str] = dataclasses.field(default_factory=list)
    cell_class: list[str] = dataclasses.field(default_factory=list)
    origin: list[str] = dataclasses.field(default_factory=list)
    status: list[str] = dataclasses.field(default_factory=list)
    pathway: list[str] = dataclasses.field(default_factory=list)
    approved_from: str | None = None
    approved_to: str | None = None
    search: str | None = None

    def authorization_matches(self, auth: dict[str, Any]) -> bool:
        """Whether one authorization passes the authorization-level filters."""
        if self.jurisdictions and auth["jurisdiction"] not in self.jurisdictions:
            return False
        if self.status and auth["status"] not in self.status:
            return False
        if self.pathway and auth["pathway"] not in self.pathway:
            return False
        date = auth.get("approval_date")
        if (self.approved_from or self.approved_to) and not date:
            return False
        # Partial dates compare at the coarser precision: 2017-07-12 is within --approved-to
        # 2017-07, and an approval known only as 2017 is within --approved-from 2017-06.
        if self.approved_from:
            k = min(len(date), len(self.approved_from))
            if date[:k] < self.approved_from[:k]:
                return False
        if self.approved_to:
            k = min(len(date), len(self.approved_to))
            if date[:k] > self.approved_to[:k]:
                return False
        return True

    def product_matches(self, doc: dict[str, Any], text: str | None = None) -> bool:
        """Whether the product-level filters pass."""
        for name in ("modality", "cell_class", "origin"):
            wanted = getattr(self, name)
            if wanted and doc.get(name) not in wanted:
                return False
        if self.search and self.search.strip():
            from ctatlas.search import matches

            if not matches(self.search, text if text is not None else search_text(doc)):
                return False
        return True


def search_text(doc: dict[str, Any], disease_names: dict[str, list[str]] | None = None) -> str:
    """Everything a search finds a product by (:func:`ctatlas.search.search_text`, the one
    definition; the store keeps it per product)."""
    from ctatlas.search import search_text as text_of

    return text_of(doc, disease_names)


def filter_products(
    products: Sequence[dict[str, Any]],
    flt: ProductFilter,
    search_texts: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The products that match, each with only its matching authorizations."""
    out = []
    for doc in products:
        text = search_texts.get(doc["slug"]) if search_texts else None
        if not flt.product_matches(doc, text):
            continue
        auths = [a for a in doc["authorizations"] if flt.authorization_matches(a)]
        if not auths:
            continue
        if len(auths) == len(doc["authorizations"]):
            out.append(doc)
        else:
            out.append({**doc, "authorizations": auths})
    return out


SORT_FIELDS = ("slug", "name", "modality", "cell_class", "origin", "approval_date", "brand_name")


def _first_approval(doc: dict[str, Any]) -> str:
    dates = [a["approval_date"] for a in doc["authorizations"] if a.get("approval_date")]
    return min(dates) if dates else ""


def sort_products(products: list[dict[str, Any]], sort: str | None) -> list[dict[str, Any]]:
    """Sort by ``field`` or ``-field`` (descending); ValueError for an unknown field. Products
    without a first approval date come last in either direction (by slug)."""
    if not sort:
        return products
    reverse = sort.startswith("-")
    field = sort.lstrip("-")
    if field not in SORT_FIELDS:
        raise ValueError(f"cannot sort by '{field}'; allowed: {', '.join(SORT_FIELDS)}")

    def key(doc: dict[str, Any]) -> tuple[str, str]:
        if field == "approval_date":
            value = _first_approval(doc)
        elif field == "brand_name":
            value = normalise(doc["authorizations"][0]["brand_name"])
        else:
            value = normalise(str(doc.get(field) or ""))
        return (value, doc["slug"])

    if field != "approval_date":
        return sorted(products, key=key, reverse=reverse)
    dated = [doc for doc in products if _first_approval(doc)]
    undated = [doc for doc in products if not _first_approval(doc)]
    return sorted(dated, key=key, reverse=reverse) + sorted(undated, key=lambda d: d["slug"])


def authorization_rows(products: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One flat row per authorization, with its product's attributes."""
    rows = []
    for doc in products:
        for auth in doc["authorizations"]:
            rows.append(
                {
                    "slug": doc["slug"],
                    "name": doc["name"],
                    "modality": doc["modality"],
                    "cell_class": doc["cell_class"],
                    "stem_type": doc["stem_type"],
                    "origin": doc["origin"],
                    "tissue_source": doc["tissue_source"],
                    "cell_type": doc["cell_type"],
                    "genetically_modified": doc["genetically_modified"],
                    "jurisdiction": auth["jurisdiction"],
                    "regulator": auth["regulator"],
                    "brand_name": auth["brand_name"],
                    "local_name": auth.get("local_name"),
                    "holder": auth.get("holder"),
                    "approval_date": auth.get("approval_date"),
                    "pathway": auth["pathway"],
                    "designations": auth.get("designations", []),
                    "category": auth["category"],
                    "status": auth["status"],
                    "conditional_outcome": auth.get("conditional_outcome"),
                    "conditional_outcome_date": auth.get("conditional_outcome_date"),
                    "indications": "; ".join(i["text"] for i in auth["indications"]),
                    "disease_ids": sorted(
                        {d for i in auth["indications"] for d in i["disease_ids"]}
                    ),
                    "sources": [s["url"] for s in auth["sources"]],
                }
            )
    return rows


def suggest(key: str, products: Sequence[dict[str, Any]], n: int = 5) -> list[str]:
    """Close matches for an unknown slug: by slug, and by brand name -> its slug."""
    by_name: dict[str, str] = {}
    for doc in products:
        by_name[normalise(doc["slug"])] = doc["slug"]
        for auth in doc["authorizations"]:
            by_name.setdefault(normalise(auth["brand_name"]), doc["slug"])
    needle = normalise(key)
    hits = difflib.get_close_matches(needle, list(by_name), n=n * 2, cutoff=0.6)
    hits += [name for name in by_name if needle and needle in name]
    seen: list[str] = []
    for hit in hits:
        slug = by_name[hit]
        if slug not in seen:
            seen.append(slug)
    return seen[:n]
