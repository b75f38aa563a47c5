"""The trials store: its own database (SQLite or PostgreSQL schema ``ctatlas_trials``).

``ctatlas build`` never replaces it. Three layers are kept apart:

- ``raw_records``: each registry record exactly as read (the zip member's deflate stream, or
  the JSON text), with where it came from;
- ``trials``: the normalised, classified record per (source, source_id), with ``trial_uid``
  tying together the records of one real trial across registries;
- ``overrides``: human-kept corrections (field, value, reason), applied when reading and
  never written by an ingest.

Writes are idempotent upserts keyed by (source, source_id); an unchanged record (same
normalised content and registry version) is not rewritten.

The package's modules: ``schema`` (tables, indexes, connection settings), ``rows`` (a
classified trial as a row), ``writes`` (upserts, links, overrides, runs), ``queries`` (reading,
filtering, counting).
"""

from __future__ import annotations

import sqlalchemy as sa

from . import queries as _queries
from . import rows as _rows
from . import writes as _writes
from .queries import StoreReads
from .rows import trial_row
from .schema import (
    JSON_COLS,
    PUBLIC_FIELDS,
    SCHEMA_PG,
    SOURCE_RANK,
    migrate,
    sqlite_pragmas,
    tables,
)
from .util import chunks, chunks_iter, utc_now
from .writes import StoreWrites, WriteCounts, write_errors

# the module-private names of the single module this package replaced, for code (and other
# branches) that imported them from ``ctatlas.trials.store``
_FILTER_COLUMNS = _queries._FILTER_COLUMNS
_like_escape = _queries._like_escape
_public = _queries._public
_Sibling = _queries._Sibling
_intervention = _rows._intervention
_trial_row = _rows._trial_row
_redact = _writes._redact
_JSON_COLS = JSON_COLS
_tables = tables
_sqlite_pragmas = sqlite_pragmas
_chunks = chunks
_chunks_iter = chunks_iter
_now = utc_now

__all__ = [
    "PUBLIC_FIELDS",
    "SCHEMA_PG",
    "SOURCE_RANK",
    "TrialStore",
    "WriteCounts",
    "trial_row",
    "write_errors",
]


class TrialStore(StoreWrites, StoreReads):
    """Open (and create if needed) the trials store at a SQLAlchemy URL.

    ``readonly=True`` (the web app): open an existing store as it is, creating and
    migrating nothing (no tables, no index)."""

    def __init__(
        self, url: str, engine: sa.Engine | None = None, *, readonly: bool = False
    ) -> None:
        self.url = url
        self.engine = engine or sa.create_engine(url)
        self.dialect = self.engine.dialect.name
        schema = SCHEMA_PG if self.dialect == "postgresql" else None
        self.metadata, self.t = tables(schema)
        if self.dialect == "sqlite":
            sa.event.listen(self.engine, "connect", sqlite_pragmas)
            path = url.split(":///", 1)[1] if ":///" in url else ""
            if path and path != ":memory:":
                from pathlib import Path

                Path(path).parent.mkdir(parents=True, exist_ok=True)
        if not readonly:
            with self.engine.begin() as conn:
                if schema:
                    conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
                self.metadata.create_all(conn)
                migrate(conn, self.t["trials"])
            self._best_known = True
        # the bulk upserts, as driver SQL: SQLAlchemy's per-row parameter processing cost as
        # much as SQLite's own work at ingest
        self._bulk = {
            "trials": self._upsert_sql(self.t["trials"], ["source", "source_id"]),
            "raw": self._upsert_sql(self.t["raw"], ["source", "source_id"]),
            "aliases": self._upsert_sql(self.t["aliases"], ["alias"]),
        }

    def close(self) -> None:
        self.engine.dispose()

    def checkpoint(self) -> None:
        """SQLite: copy what the write-ahead log holds into the database file now, as far as
        no reader stops it (a passive checkpoint: it never waits), so that closing the store
        has little left to copy. Nothing to do on PostgreSQL."""
        if self.dialect == "sqlite":
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
