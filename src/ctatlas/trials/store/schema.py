"""The trials store's tables, indexes and connection settings (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

__all__ = [
    "JSON_COLS",
    "PUBLIC_FIELDS",
    "SCHEMA_PG",
    "SOURCE_RANK",
    "create_indexes",
    "sqlite_pragmas",
    "tables",
]

SCHEMA_PG = "ctatlas_trials"
SOURCE_RANK = {"ctgov": 0, "cris": 1, "ictrp": 2}

# columns of the trials table that hold lists / objects
JSON_COLS = (
    "secondary_ids",
    "phases",
    "countries",
    "conditions",
    "interventions",
    "evidence",
    "product_slugs",
)
# the public JSON contract of ``trials list``
PUBLIC_FIELDS = (
    "registry",
    "trial_id",
    "secondary_ids",
    "title",
    "phases",
    "status",
    "start_date",
    "countries",
    "sponsor",
    "sponsor_class",
    "conditions",
    "interventions",
    "label",
    "cell_class",
    "cell_family",
    "stem_type",
    "origin",
    "evidence",
    "product_slugs",
    "url",
)


def tables(schema: str | None) -> tuple[sa.MetaData, dict[str, sa.Table]]:
    md = sa.MetaData(schema=schema)
    raw = sa.Table(
        "raw_records",
        md,
        sa.Column("source", sa.String(16), primary_key=True),
        sa.Column("source_id", sa.String(64), primary_key=True),
        sa.Column("encoding", sa.String(16), nullable=False),  # deflate | json
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("origin", sa.Text),
        sa.Column("content_hash", sa.String(40), nullable=False),
        sa.Column("stored_at", sa.String(32), nullable=False),
    )
    trials = sa.Table(
        "trials",
        md,
        sa.Column("source", sa.String(16), primary_key=True),
        sa.Column("source_id", sa.String(64), primary_key=True),
        sa.Column("trial_uid", sa.String(64), nullable=False, index=True),
        sa.Column("source_rank", sa.Integer, nullable=False),
        sa.Column("registry", sa.String(16), nullable=False),
        sa.Column("trial_id", sa.String(64), nullable=False, index=True),
        sa.Column("secondary_ids", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("phases", sa.Text, nullable=False),
        sa.Column("phases_key", sa.String(64), nullable=False),  # "|1|2|" for portable filters
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("study_type", sa.Text),
        sa.Column("start_date", sa.String(10)),
        sa.Column("start_year", sa.Integer, index=True),
        sa.Column("countries", sa.Text, nullable=False),
        sa.Column("countries_key", sa.Text, nullable=False),  # "|JP|KR|"
        sa.Column("sponsor", sa.Text),
        sa.Column("sponsor_class", sa.String(16), nullable=False),
        sa.Column("conditions", sa.Text, nullable=False),
        sa.Column("interventions", sa.Text, nullable=False),
        sa.Column("label", sa.String(32), nullable=False, index=True),
        sa.Column("cell_class", sa.String(16)),
        sa.Column("cell_family", sa.String(32)),
        sa.Column("stem_type", sa.String(32)),
        sa.Column("origin", sa.String(16)),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("product_slugs", sa.Text, nullable=False),
        sa.Column("last_updated", sa.String(10)),
        sa.Column("url", sa.Text),
        sa.Column("content_hash", sa.String(40), nullable=False),
        sa.Column("first_seen", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    aliases = sa.Table(
        "trial_aliases",
        md,
        sa.Column("alias", sa.String(64), primary_key=True),
        sa.Column("trial_uid", sa.String(64), nullable=False, index=True),
    )
    overrides = sa.Table(
        "overrides",
        md,
        sa.Column("trial_id", sa.String(64), primary_key=True),
        sa.Column("field", sa.String(32), primary_key=True),
        sa.Column("value", sa.JSON),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    runs = sa.Table(
        "ingest_runs",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("finished_at", sa.String(32)),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON),
    )
    return md, {
        "raw": raw,
        "trials": trials,
        "aliases": aliases,
        "overrides": overrides,
        "runs": runs,
    }


def create_indexes(conn: sa.Connection, t: sa.Table) -> None:
    """The trials table's indexes beyond its columns' own, created for stores made before
    they existed too (``IF NOT EXISTS``: no cost once they are there).

    - ``ix_trials_linked``: the partial index of linked records (``product_slugs <> '[]'``):
      the product filter reads only those, however many trials the store holds;
    - ``ix_trials_best``: the best record of each real trial (``row_number() OVER
      (PARTITION BY trial_uid ORDER BY ...)``) read in index order: counts and pages of the
      API need no sort."""
    name = f'"{t.schema}"."trials"' if t.schema else '"trials"'
    conn.execute(
        sa.text(
            f"CREATE INDEX IF NOT EXISTS ix_trials_linked ON {name} (product_slugs, trial_uid) "
            f"WHERE product_slugs <> '[]'"
        )
    )
    conn.execute(
        sa.text(
            f"CREATE INDEX IF NOT EXISTS ix_trials_best ON {name} "
            f"(trial_uid, source_rank, first_seen, source_id)"
        )
    )


def sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    # An ingest batch writes ~3 MB (the raw records): at the default 1,000-page checkpoint
    # interval every commit checkpointed and synced the database file, a third of the write
    # time. Checkpoint every 64 MB instead, and cap what the WAL file keeps after one.
    cur.execute("PRAGMA wal_autocheckpoint=16384")
    cur.execute("PRAGMA journal_size_limit=67108864")
    cur.close()
