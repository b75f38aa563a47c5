"""The atlas store: the curated dataset built into SQLite (default) or PostgreSQL.

The build goes one way (``data/`` -> Dataset -> store) and is atomic:

* SQLite: everything is written to a temporary file next to the target, which replaces the
  target (``os.replace``) only when complete. A failed build leaves the old file untouched.
* PostgreSQL: everything is written into a fresh schema, and one transaction drops the old
  ``ctatlas`` schema and renames the new one into its place.

The trials store (``ctatlas.trials``) lives elsewhere and is never touched by a build.

Readers get the products as JSON documents (the CLI/API contract), so filtering has one
semantics everywhere (:mod:`ctatlas.query`). Reading a SQLite store uses the standard library's
``sqlite3`` so that quick commands need not import SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctatlas.config import atlas_db_url, data_dir, sqlite_path
from ctatlas.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy import MetaData
    from sqlalchemy.engine import Connection

    from ctatlas.dataset import Dataset
    from ctatlas.model import Product

__all__ = [
    "PG_SCHEMA",
    "Store",
    "build_store",
    "clean_stale_builds",
    "ensure_store",
    "open_store",
    "product_document",
]

PG_SCHEMA = "ctatlas"


# --------------------------------------------------------------------------- documents


def product_document(product: Product) -> dict[str, Any]:
    """The JSON contract of one product (what ``products --format json`` prints)."""
    return product.model_dump(mode="json", exclude_none=False)


# --------------------------------------------------------------------------- tables


def _metadata() -> MetaData:
    from sqlalchemy import (
        Boolean,
        Column,
        Date,
        ForeignKey,
        Integer,
        MetaData,
        String,
        Table,
        Text,
    )

    md = MetaData()
    Table("meta", md, Column("key", String(64), primary_key=True), Column("value", Text))
    Table(
        "products",
        md,
        Column("slug", String(200), primary_key=True),
        Column("name", Text, nullable=False),
        Column("modality", String(40), nullable=False),
        Column("cell_class", String(40), nullable=False),
        Column("stem_type", String(40)),
        Column("origin", String(40)),
        Column("tissue_source", Text),
        Column("cell_type", Text),
        Column("genetically_modified", Boolean),
        Column("developer", Text),
        Column("search_text", Text, nullable=False),
        Column("doc", Text, nullable=False),
    )
    Table(
        "authorizations",
        md,
        Column("id", Integer, primary_key=True),
        Column("product_slug", String(200), ForeignKey("products.slug"), nullable=False),
        Column("jurisdiction", String(8), nullable=False, index=True),
        Column("regulator", Text, nullable=False),
        Column("brand_name", Text, nullable=False),
        Column("local_name", Text),
        Column("holder", Text),
        Column("approval_date", String(10)),
        Column("approval_start", Date),
        Column("pathway", String(40), nullable=False),
        Column("category", String(80), nullable=False),
        Column("status", String(20), nullable=False),
    )
    Table(
        "status_events",
        md,
        Column("id", Integer, primary_key=True),
        Column("authorization_id", Integer, ForeignKey("authorizations.id"), nullable=False),
        Column("date", String(10)),
        Column("not_after", String(10)),
        Column("event", String(40), nullable=False),
        Column("note", Text),
    )
    Table(
        "indications",
        md,
        Column("id", Integer, primary_key=True),
        Column("authorization_id", Integer, ForeignKey("authorizations.id"), nullable=False),
        Column("text", Text, nullable=False),
        Column("disease_ids", Text, nullable=False),
        Column("added", String(10)),
        Column("removed", String(10)),
    )
    Table(
        "sources",
        md,
        Column("id", Integer, primary_key=True),
        Column("product_slug", String(200), ForeignKey("products.slug"), nullable=False),
        Column("authorization_id", Integer, ForeignKey("authorizations.id")),
        Column("url", Text, nullable=False),
        Column("title", Text, nullable=False),
        Column("publisher", Text, nullable=False),
        Column("kind", String(20), nullable=False),
        Column("accessed", Date, nullable=False),
    )
    Table(
        "jurisdictions",
        md,
        Column("code", String(8), primary_key=True),
        Column("name", Text, nullable=False),
        Column("complete_as_of", Date),
        Column("doc", Text, nullable=False),
    )
    Table(
        "diseases",
        md,
        Column("id", String(120), primary_key=True),
        Column("name", Text, nullable=False),
        Column("area", String(60), nullable=False),
        Column("doc", Text, nullable=False),
    )
    Table(
        "areas",
        md,
        Column("id", String(60), primary_key=True),
        Column("name", Text, nullable=False),
        Column("named_in_founding_analysis", Boolean, nullable=False),
        Column("names", Text, nullable=False, default="{}"),
    )
    return md


def _rows(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    from ctatlas.model import date_start
    from ctatlas.query import search_text

    disease_names = {
        d.id: [d.name, *d.synonyms, *d.names.values()] for d in dataset.diseases.diseases
    }
    rows: dict[str, list[dict[str, Any]]] = {
        name: []
        for name in (
            "products",
            "authorizations",
            "status_events",
            "indications",
            "sources",
            "jurisdictions",
            "diseases",
            "areas",
        )
    }
    auth_id = 0
    for product in dataset.products:
        doc = product_document(product)
        rows["products"].append(
            {
                "slug": product.slug,
                "name": product.name,
                "modality": product.modality.value,
                "cell_class": product.cell_class.value,
                "stem_type": product.stem_type.value if product.stem_type else None,
                "origin": product.origin.value if product.origin else None,
                "tissue_source": product.tissue_source,
                "cell_type": product.cell_type,
                "genetically_modified": product.genetically_modified,
                "developer": product.developer,
                "search_text": search_text(doc, disease_names),
                "doc": json.dumps(doc, ensure_ascii=False),
            }
        )
        for source in product.sources:
            rows["sources"].append(_source_row(source, product.slug, None))
        for auth in product.authorizations:
            auth_id += 1
            rows["authorizations"].append(
                {
                    "id": auth_id,
                    "product_slug": product.slug,
                    "jurisdiction": auth.jurisdiction,
                    "regulator": auth.regulator,
                    "brand_name": auth.brand_name,
                    "local_name": auth.local_name,
                    "holder": auth.holder,
                    "approval_date": auth.approval_date,
                    "approval_start": date_start(auth.approval_date)
                    if auth.approval_date
                    else None,
                    "pathway": auth.pathway.value,
                    "category": auth.category,
                    "status": auth.status.value,
                }
            )
            for event in auth.status_history:
                rows["status_events"].append(
                    {
                        "authorization_id": auth_id,
                        "date": event.date,
                        "not_after": event.not_after,
                        "event": event.event.value,
                        "note": event.note,
                    }
                )
            for ind in auth.indications:
                rows["indications"].append(
                    {
                        "authorization_id": auth_id,
                        "text": ind.text,
                        "disease_ids": json.dumps(ind.disease_ids),
                        "added": ind.added,
                        "removed": ind.removed,
                    }
                )
            for source in auth.sources:
                rows["sources"].append(_source_row(source, product.slug, auth_id))
    for code, jur in sorted(dataset.jurisdictions.items()):
        rows["jurisdictions"].append(
            {
                "code": code,
                "name": jur.name,
                "complete_as_of": jur.complete_as_of,
                "doc": json.dumps(jur.model_dump(mode="json"), ensure_ascii=False),
            }
        )
    for disease in dataset.diseases.diseases:
        rows["diseases"].append(
            {
                "id": disease.id,
                "name": disease.name,
                "area": disease.area,
                "doc": json.dumps(disease.model_dump(mode="json"), ensure_ascii=False),
            }
        )
    for area in dataset.diseases.areas:
        rows["areas"].append(
            {
                "id": area.id,
                "name": area.name,
                "named_in_founding_analysis": area.named_in_founding_analysis,
                "names": json.dumps(area.names, ensure_ascii=False),
            }
        )
    return rows


def _source_row(source: Any, slug: str, auth_id: int | None) -> dict[str, Any]:
    return {
        "product_slug": slug,
        "authorization_id": auth_id,
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "kind": source.kind.value,
        "accessed": source.accessed,
    }


#: Order in which tables are filled (parents first). Tests patch ``_fill`` to fail midway.
TABLE_ORDER = (
    "products",
    "authorizations",
    "status_events",
    "indications",
    "sources",
    "jurisdictions",
    "diseases",
    "areas",
)


def _fill(conn: Connection, md: MetaData, rows: dict[str, list[dict[str, Any]]]) -> None:
    for name in TABLE_ORDER:
        if rows[name]:
            conn.execute(md.tables[name].insert(), rows[name])


def _meta_rows(dataset: Dataset) -> list[dict[str, str]]:
    from ctatlas import __version__

    return [
        {"key": "data_hash", "value": dataset.data_hash},
        {"key": "built_at", "value": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")},
        {"key": "ctatlas_version", "value": __version__},
        {"key": "data_root", "value": str(dataset.root)},
    ]


# --------------------------------------------------------------------------- build


def build_store(
    dataset: Dataset,
    db_url: str | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> str:
    """Build the store from a validated dataset, atomically. Returns the URL built."""
    from sqlalchemy.exc import SQLAlchemyError

    url = atlas_db_url(db_url)
    rows = _rows(dataset)
    if progress:
        progress("rows prepared")
    try:
        if url.startswith("sqlite"):
            _build_sqlite(url, dataset, rows)
        elif url.startswith("postgresql"):
            _build_postgres(url, dataset, rows)
        else:
            raise StoreError(f"unsupported database URL '{url}' (use sqlite:/// or postgresql://)")
    except SQLAlchemyError as exc:
        detail = str(exc.orig) if getattr(exc, "orig", None) else exc.__class__.__name__
        raise StoreError(
            f"building the store at {url} failed ({detail}); the old store is kept"
        ) from None
    return url


def _build_sqlite(url: str, dataset: Dataset, rows: dict[str, list[dict[str, Any]]]) -> None:
    from sqlalchemy import create_engine

    target = sqlite_path(url)
    if target is None:
        raise StoreError("an in-memory SQLite database cannot be built atomically; give a file")
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_builds(target)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    engine = create_engine(f"sqlite:///{tmp}")
    try:
        md = _metadata()
        with engine.begin() as conn:
            md.create_all(conn)
            _fill(conn, md, rows)
            conn.execute(md.tables["meta"].insert(), _meta_rows(dataset))
        engine.dispose()
        os.replace(tmp, target)
    except BaseException:
        engine.dispose()
        tmp.unlink(missing_ok=True)
        raise


#: A temporary build file older than this is stale even if its process id is in use again.
STALE_BUILD_SECONDS = 24 * 3600


def clean_stale_builds(target: Path) -> list[Path]:
    """Delete what killed builds of ``target`` left (``NAME.tmp-PID-*`` and their journals).

    A file is stale when the process that wrote it is gone, or when it is older than a day
    (a reused process id). Builds running now, in this process or another, are left alone.
    Returns the files deleted.
    """
    removed = []
    prefix = f"{target.name}.tmp-"
    now = dt.datetime.now().timestamp()
    for path in target.parent.glob(f"{target.name}.tmp-*"):
        pid_text = path.name[len(prefix) :].split("-", 1)[0]
        try:
            pid = int(pid_text)
            age = now - path.stat().st_mtime
        except (ValueError, OSError):
            continue
        if pid != os.getpid() and _process_alive(pid) and age < STALE_BUILD_SECONDS:
            continue
        if pid == os.getpid() and age < STALE_BUILD_SECONDS:
            continue
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # no signal 0 there: trust only the age
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: alive
        return True
    return True


def _build_postgres(url: str, dataset: Dataset, rows: dict[str, list[dict[str, Any]]]) -> None:
    """The whole build is one transaction (PostgreSQL's DDL is transactional): the new schema is
    invisible to others until the swap commits, and a build that fails or is killed leaves
    nothing behind (the server rolls the transaction back when its connection drops)."""
    from sqlalchemy import create_engine, text

    build_schema = f"{BUILD_SCHEMA_PREFIX}{uuid.uuid4().hex[:12]}"
    engine = create_engine(url)
    try:
        md = _metadata()
        drop_stale_build_schemas(engine)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{build_schema}"'))
            mapped = conn.execution_options(schema_translate_map={None: build_schema})
            md.create_all(mapped)
            _fill(mapped, md, rows)
            mapped.execute(md.tables["meta"].insert(), _meta_rows(dataset))
            # readers see the old schema or the new one, never neither
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
            conn.execute(text(f'ALTER SCHEMA "{build_schema}" RENAME TO "{PG_SCHEMA}"'))
    finally:
        engine.dispose()


#: Schemas a PostgreSQL build writes into before the swap.
BUILD_SCHEMA_PREFIX = "ctatlas_build_"


def drop_stale_build_schemas(engine: Any) -> list[str]:
    """Drop the build schemas that killed builds of earlier versions left committed (a build now
    commits its schema only with the swap, so no running build's schema is visible here). Each
    is dropped in its own short transaction that gives up at once if another build holds it
    (that build is dropping it too). Returns the schemas dropped."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    with engine.connect() as conn:
        names = [
            name
            for (name,) in conn.execute(
                text("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, :prefix)"),
                {"prefix": BUILD_SCHEMA_PREFIX},
            )
        ]
    dropped = []
    for name in names:
        try:
            with engine.begin() as conn:
                conn.execute(text("SET LOCAL lock_timeout = '200ms'"))
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        except SQLAlchemyError:
            continue
        dropped.append(name)
    return dropped


# --------------------------------------------------------------------------- read


class Store:
    """Read access to a built store. Cheap to create; caches what it has read."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._products: list[dict[str, Any]] | None = None
        self._cache: dict[str, Any] = {}

    # a tiny query layer over either backend -------------------------------------------
    def _query(self, sql: str) -> list[tuple[Any, ...]]:
        path = sqlite_path(self.url)
        if path is not None:
            if not path.exists():
                raise StoreError(f"no store at {path}")
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                return conn.execute(sql).fetchall()
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"cannot read the store at {path}: {exc}") from None
            finally:
                conn.close()
        from sqlalchemy import create_engine, text
        from sqlalchemy.exc import SQLAlchemyError

        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                conn.execute(text(f'SET search_path TO "{PG_SCHEMA}"'))
                return [tuple(r) for r in conn.execute(text(sql))]
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store: {exc.__class__.__name__}") from None
        finally:
            engine.dispose()

    def meta(self) -> dict[str, str]:
        """The build's metadata (data_hash, built_at, ctatlas_version, data_root)."""
        if "meta" not in self._cache:
            self._cache["meta"] = dict(self._query("SELECT key, value FROM meta"))
        return dict(self._cache["meta"])

    def therapies(self) -> list[dict[str, Any]]:
        """Every therapy record as its JSON document, in slug order: the authorized products
        and the therapies that are only in development (no authorization)."""
        from ctatlas.conditional import annotate_product, today

        if self._products is None:
            rows = self._query("SELECT doc FROM products ORDER BY slug")
            self._products = [json.loads(r[0]) for r in rows]
        day = today()
        if self._cache.get("day") != day:  # conditional outcomes are computed for a day
            self._cache.pop("authorized", None)
            self._cache["annotated"] = [annotate_product(d, day) for d in self._products]
            self._cache["day"] = day
        return self._cache["annotated"]  # type: ignore[no-any-return]

    def products(self) -> list[dict[str, Any]]:
        """Every authorized product (a therapy with at least one authorization), in slug order.

        A therapy that is only in development is not a product: listings, statistics, findings
        and exports of authorizations read this; :meth:`therapies` has them all."""
        if "authorized" not in self._cache:
            self._cache["authorized"] = [d for d in self.therapies() if d["authorizations"]]
        return self._cache["authorized"]  # type: ignore[no-any-return]

    def search_texts(self) -> dict[str, str]:
        """slug -> normalised search text."""
        if "search" not in self._cache:
            self._cache["search"] = dict(self._query("SELECT slug, search_text FROM products"))
        return dict(self._cache["search"])

    def product(self, slug: str) -> dict[str, Any]:
        """One therapy's document, authorized or only in development; RecordNotFound (with
        close matches) if there is none."""
        for doc in self.therapies():
            if doc["slug"] == slug:
                return doc
        from ctatlas.errors import RecordNotFound
        from ctatlas.query import suggest

        raise RecordNotFound("product", slug, suggest(slug, self.therapies()))

    def jurisdictions(self) -> dict[str, dict[str, Any]]:
        """code -> jurisdiction document."""
        if "jur" not in self._cache:
            rows = self._query("SELECT code, doc FROM jurisdictions ORDER BY code")
            self._cache["jur"] = {code: json.loads(doc) for code, doc in rows}
        return self._cache["jur"]  # type: ignore[no-any-return]

    def diseases(self) -> list[dict[str, Any]]:
        """Every disease document."""
        if "dis" not in self._cache:
            rows = self._query("SELECT doc FROM diseases ORDER BY id")
            self._cache["dis"] = [json.loads(doc) for (doc,) in rows]
        return self._cache["dis"]  # type: ignore[no-any-return]

    def areas(self) -> list[dict[str, Any]]:
        """Every disease area."""
        rows = self._query(
            "SELECT id, name, named_in_founding_analysis, names FROM areas ORDER BY id"
        )
        return [
            {"id": i, "name": n, "named_in_founding_analysis": bool(f), "names": json.loads(ln)}
            for i, n, f, ln in rows
        ]


def open_store(db_url: str | None = None) -> Store:
    """A reader for the store at ``db_url`` (no build)."""
    return Store(atlas_db_url(db_url))


def _stored_hash(store: Store) -> str | None:
    try:
        return store.meta().get("data_hash")
    except StoreError:
        return None


def ensure_store(db_url: str | None = None, data: str | Path | None = None) -> Store:
    """A reader for an up-to-date store: (re)build it first if it is missing or stale.

    Staleness is a content hash of the data files, not their modification times.
    """
    from ctatlas.datafiles import data_hash

    root = data_dir(data)
    store = open_store(db_url)
    if not root.is_dir():
        raise StoreError(f"data folder not found: {root}")
    if _stored_hash(store) == data_hash(root):
        return store
    from ctatlas.dataset import load_dataset

    dataset = load_dataset(root)
    build_store(dataset, store.url)
    return open_store(store.url)
