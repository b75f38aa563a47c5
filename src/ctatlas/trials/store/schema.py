"""The trials store's tables, indexes and connection settings (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

__all__ = [
    "BEST_ORDER",
    "JSON_COLS",
    "PUBLIC_FIELDS",
    "SCHEMA_PG",
    "SOURCE_RANK",
    "create_indexes",
    "migrate",
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
        # 1 on the best record of its real trial (lowest source_rank, first_seen, source_id,
        # source among the records sharing its trial_uid), kept by every write: every list,
        # count and chart reads best records only, through the indexes below
        sa.Column("is_best", sa.SmallInteger, nullable=False, server_default="1"),
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


#: The order of the best-record flag: ``trial_uid`` groups, then this key, lowest first.
BEST_ORDER = ("source_rank", "first_seen", "source_id", "source")


def migrate(conn: sa.Connection, t: sa.Table) -> None:
    """Bring a store made by an earlier version up to this schema: the ``is_best`` column
    (added, then set on every record from the records sharing its trial_uid), then the
    indexes. Each step is done once: on a current store this costs a catalogue read."""
    name = _qualified(t)
    columns = {c["name"] for c in sa.inspect(conn).get_columns(t.name, t.schema)}
    if "is_best" in columns:
        create_indexes(conn, t)
        return
    conn.execute(sa.text(f"ALTER TABLE {name} ADD COLUMN is_best SMALLINT NOT NULL DEFAULT 1"))
    create_indexes(conn, t)
    conn.execute(
        sa.text(
            f"UPDATE {name} SET is_best = 0 WHERE EXISTS (SELECT 1 FROM {name} b "
            f"WHERE b.trial_uid = {name}.trial_uid "
            f"AND ({', '.join('b.' + k for k in BEST_ORDER)}) "
            f"< ({', '.join(f'{name}.{k}' for k in BEST_ORDER)}))"
        )
    )
    if conn.dialect.name == "postgresql":  # the planner's statistics know the new column
        conn.execute(sa.text(f"ANALYZE {name}"))


def _qualified(t: sa.Table) -> str:
    return f'"{t.schema}"."{t.name}"' if t.schema else f'"{t.name}"'


def create_indexes(conn: sa.Connection, t: sa.Table) -> None:
    """The trials table's indexes beyond its columns' own, created for stores made before
    they existed too (``IF NOT EXISTS``: no cost once they are there).

    - ``ix_trials_linked``: the partial index of linked records (``product_slugs <> '[]'``):
      the product filter reads only those, however many trials the store holds;
    - ``ix_trials_best``: the records of one real trial in best-record order (the best
      flag is kept with it, and the trial page reads a trial's records through it);
    - ``ix_trials_list_label`` (``is_best, label, start_date DESC, trial_id``) and
      ``ix_trials_list`` (``is_best, start_date DESC, trial_id``), each followed by every
      other column a filter reads (``countries_key, phases_key, start_year, cell_family,
      cell_class, origin, status, sponsor_class, trial_uid``): a page of best records of a
      label, or of every label, read in the listing's order (newest start first) and
      stopped after one page, whatever the size of the store; counts, chart counts and
      stats read the index alone, never the wide rows;
    - ``ix_trials_countries`` (``countries_key``): the distinct country lists (the listing's
      country choice) read from a narrow index."""
    name = _qualified(t)
    desc = "DESC NULLS LAST" if conn.dialect.name == "postgresql" else "DESC"
    covered = (
        "countries_key, phases_key, start_year, cell_family, cell_class, origin, status, "
        "sponsor_class, trial_uid"
    )
    for index, columns, where in (
        ("ix_trials_linked", "product_slugs, trial_uid", "product_slugs <> '[]'"),
        ("ix_trials_best", "trial_uid, source_rank, first_seen, source_id", None),
        ("ix_trials_list_label", f"is_best, label, start_date {desc}, trial_id, {covered}", None),
        ("ix_trials_list", f"is_best, start_date {desc}, trial_id, {covered}", None),
        ("ix_trials_countries", "countries_key", None),
    ):
        conn.execute(
            sa.text(
                f"CREATE INDEX IF NOT EXISTS {index} ON {name} ({columns})"
                + (f" WHERE {where}" if where else "")
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
