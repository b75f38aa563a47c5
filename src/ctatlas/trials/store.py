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
"""

from __future__ import annotations

import datetime as dt
import errno
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa

from .record import Trial

__all__ = ["TrialStore", "WriteCounts", "write_errors"]

SCHEMA_PG = "ctatlas_trials"
SOURCE_RANK = {"ctgov": 0, "cris": 1, "ictrp": 2}

# columns of the trials table that hold lists / objects
_JSON_COLS = (
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


def _tables(schema: str | None) -> tuple[sa.MetaData, dict[str, sa.Table]]:
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


@contextmanager
def write_errors(url: str) -> Iterator[None]:
    """Turn a failed write (a full disk, a read-only or damaged store, a lost server) into
    one :class:`~ctatlas.errors.StoreError` line: no traceback, no record bytes."""
    from ctatlas.errors import StoreError

    try:
        yield
    except sa.exc.SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)
        detail = str(orig or exc.__class__.__name__).strip().splitlines()[0]
        if "full" in detail.lower():
            detail = f"the disk is full: {detail}"
        raise StoreError(
            f"writing the trials store at {_redact(url)} failed ({detail}); every batch "
            "stored before is kept: free space (or repair the store) and run the command "
            "again, stored records are not written twice"
        ) from None
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
        raise StoreError(
            f"writing the trials store at {_redact(url)} failed (the disk is full); every "
            "batch stored before is kept: free space and run the command again"
        ) from None


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return url


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class WriteCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    by_label: dict[str, int] = field(default_factory=dict)


class TrialStore:
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
        self.metadata, self.t = _tables(schema)
        if self.dialect == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            path = url.split(":///", 1)[1] if ":///" in url else ""
            if path and path != ":memory:":
                from pathlib import Path

                Path(path).parent.mkdir(parents=True, exist_ok=True)
        if not readonly:
            with self.engine.begin() as conn:
                if schema:
                    conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
                self.metadata.create_all(conn)
                self._create_link_index(conn)
        # the bulk upserts, as driver SQL: SQLAlchemy's per-row parameter processing cost as
        # much as SQLite's own work at ingest
        self._bulk = {
            "trials": self._upsert_sql(self.t["trials"], ["source", "source_id"]),
            "raw": self._upsert_sql(self.t["raw"], ["source", "source_id"]),
            "aliases": self._upsert_sql(self.t["aliases"], ["alias"]),
        }

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ writing

    def _upsert(self, table: sa.Table, keys: list[str]) -> Any:
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(table)
        cols = {
            c.name: stmt.excluded[c.name]
            for c in table.columns
            if c.name not in keys and c.name != "first_seen"
        }
        return stmt.on_conflict_do_update(index_elements=keys, set_=cols)

    def _upsert_sql(self, table: sa.Table, keys: list[str]) -> tuple[list[str], str]:
        """(column order, ``INSERT … ON CONFLICT (keys) DO UPDATE`` in the driver's
        paramstyle) — the statement :meth:`_upsert` builds, for ``executemany`` of tuples."""
        cols = [c.name for c in table.columns]
        mark = "?" if self.dialect == "sqlite" else "%s"
        name = f'"{table.schema}"."{table.name}"' if table.schema else f'"{table.name}"'
        update = ", ".join(
            f'"{c}" = excluded."{c}"' for c in cols if c not in keys and c != "first_seen"
        )
        columns = ", ".join(f'"{c}"' for c in cols)
        sql = (
            f"INSERT INTO {name} ({columns}) VALUES ({', '.join([mark] * len(cols))}) "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {update}"
        )
        return cols, sql

    def _executemany(self, conn: sa.Connection, which: str, rows: list[dict[str, Any]]) -> None:
        if rows:
            cols, sql = self._bulk[which]
            conn.exec_driver_sql(sql, [tuple(r.get(c) for c in cols) for r in rows])

    def write_batch(self, records: list[dict[str, Any]]) -> WriteCounts:
        """Upsert normalised records (``trials`` rows plus ``raw_body``/``raw_encoding``/
        ``raw_origin``) in one transaction. Unchanged records are left alone."""
        counts = WriteCounts()
        if not records:
            return counts
        t_trials = self.t["trials"]
        # a record seen twice in one batch: the last one wins
        latest: dict[tuple[str, str], dict[str, Any]] = {}
        for r in records:
            latest[(r["source"], r["source_id"])] = r
        records = list(latest.values())
        now = _now()
        with self.engine.begin() as conn:
            existing: dict[tuple[str, str], str] = {}
            for source in {r["source"] for r in records}:
                ids = [r["source_id"] for r in records if r["source"] == source]
                for chunk in _chunks(ids, 500):
                    rows = conn.execute(
                        sa.select(t_trials.c.source_id, t_trials.c.content_hash).where(
                            t_trials.c.source == source, t_trials.c.source_id.in_(chunk)
                        )
                    )
                    existing.update({(source, sid): h for sid, h in rows})
            changed = []
            for r in records:
                old = existing.get((r["source"], r["source_id"]))
                counts.by_label[r["label"]] = counts.by_label.get(r["label"], 0) + 1
                if old is None:
                    counts.inserted += 1
                    changed.append(r)
                elif old != r["content_hash"]:
                    counts.updated += 1
                    changed.append(r)
                else:
                    counts.unchanged += 1
            if not changed:
                return counts
            uids = self._resolve_uids(conn, changed)
            trial_rows, raw_rows, alias_rows = [], [], {}
            for r in changed:
                uid = uids[(r["source"], r["source_id"])]
                trial_rows.append({**r, "trial_uid": uid, "first_seen": now, "updated_at": now})
                raw_rows.append(
                    {
                        "source": r["source"],
                        "source_id": r["source_id"],
                        "encoding": r["raw_encoding"],
                        "body": r["raw_body"],
                        "origin": r.get("raw_origin"),
                        "content_hash": r["content_hash"],
                        "stored_at": now,
                    }
                )
                for alias in [r["trial_id"], *orjson.loads(r["secondary_ids"])]:
                    alias_rows[alias] = uid
            self._executemany(conn, "trials", trial_rows)
            self._executemany(conn, "raw", raw_rows)
            self._executemany(
                conn, "aliases", [{"alias": a, "trial_uid": u} for a, u in alias_rows.items()]
            )
        return counts

    def _resolve_uids(
        self, conn: sa.Connection, records: list[dict[str, Any]]
    ) -> dict[tuple[str, str], str]:
        """One uid per real trial: a record joins the trial that already owns any of its ids
        (primary or secondary); two trials found to be one are merged."""
        t_alias, t_trials = self.t["aliases"], self.t["trials"]
        sec = {(r["source"], r["source_id"]): orjson.loads(r["secondary_ids"]) for r in records}
        all_ids = {a for r in records for a in [r["trial_id"], *sec[(r["source"], r["source_id"])]]}
        known: dict[str, str] = {}
        for chunk in _chunks(sorted(all_ids), 500):
            known.update(
                dict(
                    conn.execute(
                        sa.select(t_alias.c.alias, t_alias.c.trial_uid).where(
                            t_alias.c.alias.in_(chunk)
                        )
                    ).all()
                )
            )
        out: dict[tuple[str, str], str] = {}
        for r in records:
            ids = [r["trial_id"], *sec[(r["source"], r["source_id"])]]
            found = sorted({known[a] for a in ids if a in known})
            uid = found[0] if found else r["trial_id"]
            for other in found[1:]:  # merge: the other trial's records and ids join this one
                conn.execute(
                    sa.update(t_trials).where(t_trials.c.trial_uid == other).values(trial_uid=uid)
                )
                conn.execute(
                    sa.update(t_alias).where(t_alias.c.trial_uid == other).values(trial_uid=uid)
                )
                for k, v in list(known.items()):
                    if v == other:
                        known[k] = uid
                for k, v in list(out.items()):
                    if v == other:
                        out[k] = uid
            for a in ids:
                known[a] = uid
            out[(r["source"], r["source_id"])] = uid
        return out

    def _create_link_index(self, conn: sa.Connection) -> None:
        """The partial index of linked records (``product_slugs <> '[]'``): the product
        filter reads only those, however many trials the store holds. Created here for
        stores made before it existed too (``IF NOT EXISTS``: no cost once it is there)."""
        t = self.t["trials"]
        name = f'"{t.schema}"."trials"' if t.schema else '"trials"'
        conn.execute(
            sa.text(
                f"CREATE INDEX IF NOT EXISTS ix_trials_linked ON {name} (product_slugs, trial_uid) "
                f"WHERE product_slugs <> '[]'"
            )
        )
        # the best record of each real trial (``row_number() OVER (PARTITION BY trial_uid
        # ORDER BY ...)``) read in index order: counts and pages of the API need no sort
        conn.execute(
            sa.text(
                f"CREATE INDEX IF NOT EXISTS ix_trials_best ON {name} "
                f"(trial_uid, source_rank, first_seen, source_id)"
            )
        )

    def set_product_links(
        self,
        links: Mapping[str | tuple[str, str], Sequence[str]],
        *,
        clear: bool = False,
    ) -> int:
        """Store product slugs per trial (from :class:`ctatlas.trials.link.Linker`); returns
        how many records were written.

        Keys are a ``trial_id`` (every record with that id) or a ``(source, source_id)``
        record key; an empty list removes a record's links. ``clear=True``: ``links`` is the
        whole answer, so every other record that has links loses them. One ``executemany``
        per key kind, in one transaction.
        """
        t = self.t["trials"]
        by_id: dict[str, str] = {}
        by_key: dict[tuple[str, str], str] = {}
        for k, slugs in links.items():
            value = orjson.dumps(sorted(set(slugs))).decode()
            if isinstance(k, tuple):
                by_key[(k[0], k[1])] = value
            else:
                by_id[k] = value
        n = 0
        with self.engine.begin() as conn:
            if clear:
                linked = conn.execute(
                    sa.select(t.c.source, t.c.source_id, t.c.trial_id).where(
                        t.c.product_slugs != "[]"
                    )
                )
                for source, source_id, trial_id in linked:
                    if trial_id not in by_id and (source, source_id) not in by_key:
                        by_key[(source, source_id)] = "[]"
            if by_id:
                n += self._update_links(
                    conn,
                    t.c.trial_id == sa.bindparam("k_id"),
                    [{"k_id": k, "v": v} for k, v in by_id.items()],
                )
            if by_key:
                n += self._update_links(
                    conn,
                    sa.and_(
                        t.c.source == sa.bindparam("k_source"),
                        t.c.source_id == sa.bindparam("k_source_id"),
                    ),
                    [{"k_source": s, "k_source_id": i, "v": v} for (s, i), v in by_key.items()],
                )
        return n

    def _update_links(
        self, conn: sa.Connection, where: Any, params: list[dict[str, str]]
    ) -> int:
        t = self.t["trials"]
        stmt = sa.update(t).where(where).values(product_slugs=sa.bindparam("v"))
        result = conn.execute(stmt, params)
        return result.rowcount if result.rowcount >= 0 else len(params)

    def set_override(self, trial_id: str, field_name: str, value: Any, reason: str) -> None:
        """Record a curated correction; it is applied on read and survives every re-ingest."""
        if field_name not in PUBLIC_FIELDS or field_name in ("trial_id", "registry"):
            raise ValueError(f"cannot override field {field_name!r}")
        if not reason.strip():
            raise ValueError("an override needs a reason")
        with self.engine.begin() as conn:
            conn.execute(
                self._upsert(self.t["overrides"], ["trial_id", "field"]),
                [
                    {
                        "trial_id": trial_id,
                        "field": field_name,
                        "value": value,
                        "reason": reason,
                        "updated_at": _now(),
                    }
                ],
            )

    def start_run(self, inputs: list[str]) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(sa.insert(self.t["runs"]).values(started_at=_now(), inputs=inputs))
            return int(res.inserted_primary_key[0])

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        t = self.t["runs"]
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(t).where(t.c.id == run_id).values(finished_at=_now(), summary=summary)
            )

    # ------------------------------------------------------------------ reading

    def state(self) -> str:
        """A token that changes whenever the store's contents may have: the last run (its id
        and when it finished: ``ingest``, ``fetch`` and ``link`` each record one) and the
        newest override. Cheap (two indexed reads), for caches keyed on the trials."""
        runs, overrides = self.t["runs"], self.t["overrides"]
        with self.engine.connect() as conn:
            last = conn.execute(
                sa.select(runs.c.id, runs.c.finished_at).order_by(runs.c.id.desc()).limit(1)
            ).first()
            newest = conn.execute(sa.select(sa.func.max(overrides.c.updated_at))).scalar()
        return f"{last[0] if last else 0}:{last[1] if last else ''}:{newest or ''}"

    def iter_batches(
        self, batch_size: int = 2000, columns: Sequence[str] | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """Every stored record, as lists of at most ``batch_size`` dicts (list columns
        decoded), in key order. Each batch is one short query (keyset pagination on
        ``(source, source_id)``), so the store is never held open or loaded whole, and rows
        may be updated between batches."""
        t = self.t["trials"]
        names = list(dict.fromkeys(["source", "source_id", *(columns or [c.name for c in t.c])]))
        cols = [t.c[n] for n in names]
        decode = [n for n in names if n in _JSON_COLS]
        after: tuple[str, str] | None = None
        while True:
            q = sa.select(*cols).order_by(t.c.source, t.c.source_id).limit(batch_size)
            if after is not None:
                q = q.where(
                    sa.or_(
                        t.c.source > after[0],
                        sa.and_(t.c.source == after[0], t.c.source_id > after[1]),
                    )
                )
            with self.engine.connect() as conn:
                rows = [dict(r) for r in conn.execute(q).mappings()]
            if not rows:
                return
            for r in rows:
                for k in decode:
                    r[k] = orjson.loads(r[k])
            yield rows
            if len(rows) < batch_size:
                return
            after = (rows[-1]["source"], rows[-1]["source_id"])

    def raw(self, source: str, source_id: str) -> bytes | None:
        """The raw record as read (decompressed JSON text)."""
        import zlib

        t = self.t["raw"]
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(t.c.encoding, t.c.body).where(
                    t.c.source == source, t.c.source_id == source_id
                )
            ).first()
        if row is None:
            return None
        return zlib.decompress(row.body, -15) if row.encoding == "deflate" else bytes(row.body)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(self.t["trials"])).scalar_one()
            )

    def query(
        self,
        *,
        label: str | None = None,
        country: str | None = None,
        phase: str | None = None,
        status: str | None = None,
        cell_class: str | None = None,
        family: str | None = None,
        origin: str | None = None,
        start_year_from: int | None = None,
        start_year_to: int | None = None,
        sponsor_class: str | None = None,
        condition: str | None = None,
        product: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[dict[str, Any]]:
        """One dict per real trial (its best record, with ids and countries of all its
        records merged, overrides applied), filtered. ``label=None`` means every label.

        ``product``: only trials linked to that atlas product slug (their best record's
        ``product_slugs`` holds it, or an override says so). Only linked records are read to
        find them (a partial index), so this is fast whatever the size of the store."""
        t = self.t["trials"]
        overrides = self._overrides()
        q = self._filtered(
            overrides,
            label=label,
            country=country,
            phase=phase,
            status=status,
            cell_class=cell_class,
            family=family,
            origin=origin,
            start_year_from=start_year_from,
            start_year_to=start_year_to,
            sponsor_class=sponsor_class,
            condition=condition,
            product=product,
            narrow=bool(limit),  # a page: rank and order the narrow rows, then read 50 whole
        )
        c = q.selected_columns
        q = q.order_by(
            c.start_date.desc().nulls_last()
            if self.dialect == "postgresql"
            else c.start_date.desc(),
            c.trial_id,
        )
        if limit:
            q = q.limit(limit)
        if offset:
            q = q.offset(offset)
        with self.engine.connect() as conn:
            if limit:
                keys = [(r.source, r.source_id) for r in conn.execute(q)]
                rows: dict[tuple[str, str], Any] = {}
                for chunk in _chunks(keys, 400):
                    for r in conn.execute(
                        sa.select(t).where(sa.tuple_(t.c.source, t.c.source_id).in_(chunk))
                    ).mappings():
                        rows[(r["source"], r["source_id"])] = r
                result: Any = [rows[k] for k in keys if k in rows]
            else:
                result = conn.execute(q).mappings()
            for batch in _chunks_iter(result, 500):
                uids = [r["trial_uid"] for r in batch]
                siblings: dict[str, list[Any]] = {}
                for chunk in _chunks(uids, 500):
                    for s in conn.execute(
                        sa.select(
                            t.c.trial_uid, t.c.trial_id, t.c.secondary_ids, t.c.countries
                        ).where(t.c.trial_uid.in_(chunk))
                    ):
                        siblings.setdefault(s.trial_uid, []).append(s)
                for r in batch:
                    yield _public(
                        r, siblings.get(r["trial_uid"], []), overrides.get(r["trial_id"], {})
                    )

    def find(self, any_id: str) -> dict[str, Any] | None:
        """The real trial that ``any_id`` names (its registry id or any secondary id, as any
        of its records lists it; exact, then ignoring case), as :meth:`query` gives it."""
        t, aliases = self.t["trials"], self.t["aliases"]
        wanted = any_id.strip()
        if not wanted or len(wanted) > 64:
            return None
        with self.engine.connect() as conn:
            uid = None
            for cond in (
                aliases.c.alias == wanted,
                sa.func.upper(aliases.c.alias) == wanted.upper(),
            ):
                uid = conn.execute(sa.select(aliases.c.trial_uid).where(cond).limit(1)).scalar()
                if uid is not None:
                    break
            if uid is None:
                return None
            records = (
                conn.execute(
                    sa.select(t)
                    .where(t.c.trial_uid == uid)
                    .order_by(t.c.source_rank, t.c.first_seen, t.c.source_id)
                )
                .mappings()
                .all()
            )
        if not records:
            return None
        best = records[0]
        siblings = [_Sibling(r["trial_id"], r["secondary_ids"], r["countries"]) for r in records]
        return _public(best, siblings, self._overrides().get(best["trial_id"], {}))

    def count_trials(self, **filters: Any) -> int:
        """How many real trials :meth:`query` would give for these filters (one SQL count,
        reading only the columns the filters and the best-record rank need)."""
        q = self._filtered(self._overrides(), narrow=True, **filters)
        with self.engine.connect() as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(q.subquery())).scalar_one()
            )

    def overview(self) -> dict[str, Any]:
        """What the store holds: ``last_ingest`` (the date the last ingest, fetch or link
        finished, or None), ``registries`` (registry -> records), ``records`` and ``trials``
        (real trials: records of one trial in several registries count once)."""
        t, runs = self.t["trials"], self.t["runs"]
        with self.engine.connect() as conn:
            last = conn.execute(sa.select(sa.func.max(runs.c.finished_at))).scalar()
            registries = {
                r: int(n)
                for r, n in conn.execute(
                    sa.select(t.c.registry, sa.func.count()).group_by(t.c.registry)
                )
            }
            trials = conn.execute(sa.select(sa.func.count(sa.distinct(t.c.trial_uid)))).scalar()
        return {
            "last_ingest": str(last)[:10] if last else None,
            "registries": registries,
            "records": sum(registries.values()),
            "trials": int(trials or 0),
        }

    def facets(self, columns: Sequence[str], **filters: Any) -> Iterator[dict[str, Any]]:
        """``columns`` of the best record of every real trial :meth:`query` would give for
        these filters (list columns decoded), unordered: one light query for counts and
        charts, without the siblings' merged ids. Overrides of those columns apply."""
        overrides = self._overrides()
        names = list(dict.fromkeys(["trial_id", *columns]))
        q = self._filtered(overrides, **filters).subquery()
        decode = [n for n in names if n in _JSON_COLS]
        with self.engine.connect() as conn:
            for r in conn.execute(sa.select(*(q.c[n] for n in names))).mappings():
                row = dict(r)
                for k in decode:
                    row[k] = orjson.loads(row[k])
                fixed = overrides.get(row["trial_id"])
                if fixed:
                    row.update({k: v for k, v in fixed.items() if k in row})
                yield row

    def _overrides(self) -> dict[str, dict[str, Any]]:
        overrides: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for o in conn.execute(sa.select(self.t["overrides"])):
                overrides.setdefault(o.trial_id, {})[o.field] = o.value
        return overrides

    def _filtered(
        self,
        overrides: dict[str, dict[str, Any]],
        *,
        label: str | None = None,
        country: str | None = None,
        phase: str | None = None,
        status: str | None = None,
        cell_class: str | None = None,
        family: str | None = None,
        origin: str | None = None,
        start_year_from: int | None = None,
        start_year_to: int | None = None,
        sponsor_class: str | None = None,
        condition: str | None = None,
        product: str | None = None,
        narrow: bool = False,
    ) -> sa.Select[Any]:
        """The best record of each real trial, filtered (unordered); ``narrow``: only the
        columns the filters read (for counting)."""
        t = self.t["trials"]
        rank = (
            sa.func.row_number()
            .over(
                partition_by=t.c.trial_uid,
                order_by=(t.c.source_rank, t.c.first_seen, t.c.source_id),
            )
            .label("rn")
        )
        inner_q = sa.select(*(_FILTER_COLUMNS(t) if narrow else [t]), rank)
        if product:
            # overrides of product_slugs decide for their trials, whatever the record says
            added = [k for k, o in overrides.items() if product in (o.get("product_slugs") or ())]
            removed = [
                k
                for k, o in overrides.items()
                if "product_slugs" in o and product not in (o["product_slugs"] or ())
            ]
            # the trials with a linked record: read through the partial index of linked rows
            quoted = _like_escape(orjson.dumps(product).decode())
            t2 = t.alias("linked")
            found = sa.select(t2.c.trial_uid).where(
                t2.c.product_slugs != "[]",
                t2.c.product_slugs.like(f"%{quoted}%", escape="\\"),
            )
            if added:
                found = found.union(sa.select(t2.c.trial_uid).where(t2.c.trial_id.in_(added)))
            inner_q = inner_q.where(t.c.trial_uid.in_(found))
        inner = inner_q.subquery()
        q = sa.select(inner).where(inner.c.rn == 1)
        c = inner.c
        if label:
            q = q.where(c.label == label)
        if country:
            q = q.where(c.countries_key.like(f"%|{country.upper()}|%"))
        if phase:
            q = q.where(c.phases_key.like(f"%|{phase}|%"))
        if status:
            q = q.where(c.status == status)
        if cell_class:
            q = q.where(c.cell_class == cell_class)
        if family:
            q = q.where(c.cell_family == family)
        if origin:
            q = q.where(c.origin == origin)
        if start_year_from is not None:
            q = q.where(c.start_year >= start_year_from)
        if start_year_to is not None:
            q = q.where(c.start_year <= start_year_to)
        if sponsor_class:
            q = q.where(c.sponsor_class == sponsor_class)
        if condition:
            # % and _ in what the user typed are letters, not wildcards
            q = q.where(
                sa.cast(c.conditions, sa.Text).ilike(f"%{_like_escape(condition)}%", escape="\\")
            )
        if product:
            linked = c.product_slugs.like(f"%{quoted}%", escape="\\")
            if added:
                linked = sa.or_(linked, c.trial_id.in_(added))
            q = q.where(linked)
            if removed:
                q = q.where(c.trial_id.not_in(removed))
        return q


def _FILTER_COLUMNS(t: sa.Table) -> list[Any]:  # noqa: N802 - a table of columns
    names = (
        "source",
        "source_id",
        "trial_uid",
        "trial_id",
        "start_date",
        "label",
        "countries_key",
        "phases_key",
        "status",
        "cell_class",
        "cell_family",
        "origin",
        "start_year",
        "sponsor_class",
        "conditions",
        "product_slugs",
    )
    return [t.c[n] for n in names]


@dataclass(frozen=True)
class _Sibling:
    trial_id: str
    secondary_ids: str
    countries: str


def _public(row: Any, siblings: list[Any], overrides: dict[str, Any]) -> dict[str, Any]:
    out = {k: (orjson.loads(row[k]) if k in _JSON_COLS else row[k]) for k in PUBLIC_FIELDS}
    ids = list(out["secondary_ids"])
    countries = list(out["countries"])
    for s in siblings:
        for i in [s.trial_id, *orjson.loads(s.secondary_ids)]:
            if i != out["trial_id"] and i not in ids:
                ids.append(i)
        for cc in orjson.loads(s.countries):
            if cc not in countries:
                countries.append(cc)
    out["secondary_ids"] = ids
    out["countries"] = countries
    if overrides:
        out.update(overrides)
        out["overridden"] = sorted(overrides)
    return out


def trial_row(trial: Trial) -> dict[str, Any]:
    """The ``trials`` table row of a classified Trial (without uid, hash and timestamps).

    List columns hold JSON text (serialised here, in the worker processes, with orjson)."""
    row = _trial_row(trial)
    for k in _JSON_COLS:
        row[k] = orjson.dumps(row[k]).decode()
    return row


def _trial_row(trial: Trial) -> dict[str, Any]:
    return {
        "source": trial.source,
        "source_id": trial.trial_id,
        "source_rank": SOURCE_RANK.get(trial.source, 9),
        "registry": trial.registry,
        "trial_id": trial.trial_id,
        "secondary_ids": trial.secondary_ids,
        "title": trial.title,
        "phases": trial.phases,
        "phases_key": "|" + "|".join(trial.phases) + "|",
        "status": trial.status,
        "study_type": trial.study_type,
        "start_date": trial.start_date,
        "start_year": trial.start_year,
        "countries": trial.countries,
        "countries_key": "|" + "|".join(trial.countries) + "|",
        "sponsor": trial.sponsor,
        "sponsor_class": trial.sponsor_class,
        "conditions": trial.conditions,
        "interventions": [_intervention(i) for i in trial.interventions],
        "label": trial.label,
        "cell_class": trial.cell_class,
        "cell_family": trial.cell_family,
        "stem_type": trial.stem_type,
        "origin": trial.origin,
        "evidence": trial.evidence,
        "product_slugs": trial.product_slugs,
        "last_updated": trial.last_updated,
        "url": trial.url,
    }


def _intervention(i: dict[str, Any]) -> dict[str, Any]:
    """An intervention as stored: type and name, and its other names when it has any (the
    product linker reads them, so ``ctatlas trials link`` sees what the ingest saw)."""
    out = {"type": i.get("type", ""), "name": i.get("name", "")}
    others = [o for o in i.get("other_names") or () if o]
    if others:
        out["other_names"] = others
    return out


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    # An ingest batch writes ~3 MB (the raw records): at the default 1,000-page checkpoint
    # interval every commit checkpointed and synced the database file, a third of the write
    # time. Checkpoint every 64 MB instead, and cap what the WAL file keeps after one.
    cur.execute("PRAGMA wal_autocheckpoint=16384")
    cur.execute("PRAGMA journal_size_limit=67108864")
    cur.close()


def _chunks(items: list[Any], n: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _chunks_iter(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for x in items:
        batch.append(x)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch
