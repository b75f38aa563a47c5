"""Writing the trials store: idempotent upserts of ingested records (with the real-trial uid
that ties one trial's records together), product links, overrides and ingest runs; and the
one-line error a failed write becomes."""

from __future__ import annotations

import errno
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa

from .schema import PUBLIC_FIELDS
from .util import chunks, utc_now

__all__ = ["StoreWrites", "WriteCounts", "write_errors"]


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


@dataclass
class WriteCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    by_label: dict[str, int] = field(default_factory=dict)


class StoreWrites:
    """The writing half of :class:`~ctatlas.trials.store.TrialStore`."""

    engine: sa.Engine
    dialect: str
    t: dict[str, sa.Table]
    _bulk: dict[str, tuple[list[str], str]]
    #: answers kept by the reading half (:meth:`StoreReads._remembered`): forgotten on a write
    _memo: tuple[str, dict[Any, Any]] | None
    _summary: Any  # the reading half's summary of the best records: forgotten too

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
            # ``map`` of the bound ``get``: a third of the generator's cost per row
            conn.exec_driver_sql(sql, [tuple(map(r.get, cols)) for r in rows])

    def write_batch(self, records: list[dict[str, Any]]) -> WriteCounts:
        """Upsert normalised records (``trials`` rows plus ``raw_body``/``raw_encoding``/
        ``raw_origin``) in one transaction. Unchanged records are left alone."""
        self._memo = self._summary = None
        counts = WriteCounts()
        if not records:
            return counts
        t_trials = self.t["trials"]
        # a record seen twice in one batch: the last one wins
        latest: dict[tuple[str, str], dict[str, Any]] = {}
        for r in records:
            latest[(r["source"], r["source_id"])] = r
        records = list(latest.values())
        now = utc_now()
        with self.engine.begin() as conn:
            existing: dict[tuple[str, str], str] = {}
            for source in {r["source"] for r in records}:
                ids = [r["source_id"] for r in records if r["source"] == source]
                for chunk in chunks(ids, 500):
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
            self._mark_best(conn, trial_rows, now)
            self._executemany(conn, "trials", trial_rows)
            self._executemany(conn, "raw", raw_rows)
            self._executemany(
                conn, "aliases", [{"alias": a, "trial_uid": u} for a, u in alias_rows.items()]
            )
        return counts

    def _mark_best(self, conn: sa.Connection, rows: list[dict[str, Any]], now: str) -> None:
        """Set ``is_best`` on the rows about to be written, and correct it on stored records
        of the same real trials whose best record changes (a better record joins, or two
        trials were merged): one indexed read per 500 trials, an update only where a flag
        changes."""
        t = self.t["trials"]
        stored: dict[tuple[str, str], Any] = {}
        for chunk in chunks(sorted({r["trial_uid"] for r in rows}), 500):
            for s in conn.execute(
                sa.select(
                    t.c.source,
                    t.c.source_id,
                    t.c.trial_uid,
                    t.c.source_rank,
                    t.c.first_seen,
                    t.c.is_best,
                ).where(t.c.trial_uid.in_(chunk))
            ):
                stored[(s.source, s.source_id)] = s
        best: dict[str, tuple[Any, ...]] = {}
        keys: dict[tuple[str, str], tuple[Any, ...]] = {}
        writing = {(r["source"], r["source_id"]): r for r in rows}
        for k, s in stored.items():
            if k not in writing:
                keys[k] = (s.source_rank, s.first_seen, s.source_id, s.source)
        for k, r in writing.items():
            old = stored.get(k)
            # the upsert keeps a stored record's first_seen
            first_seen = old.first_seen if old is not None else now
            keys[k] = (r["source_rank"], first_seen, r["source_id"], r["source"])
        uid_of = {
            k: (writing[k]["trial_uid"] if k in writing else stored[k].trial_uid) for k in keys
        }
        for k, key in keys.items():
            uid = uid_of[k]
            if uid not in best or key < best[uid]:
                best[uid] = key
        for k, r in writing.items():
            r["is_best"] = 1 if keys[k] == best[r["trial_uid"]] else 0
        fixes = [
            {"k_source": k[0], "k_source_id": k[1], "flag": flag}
            for k, s in stored.items()
            if k not in writing and s.is_best != (flag := int(keys[k] == best[s.trial_uid]))
        ]
        if fixes:
            conn.execute(
                sa.update(t)
                .where(
                    t.c.source == sa.bindparam("k_source"),
                    t.c.source_id == sa.bindparam("k_source_id"),
                )
                .values(is_best=sa.bindparam("flag")),
                fixes,
            )

    def _resolve_uids(
        self, conn: sa.Connection, records: list[dict[str, Any]]
    ) -> dict[tuple[str, str], str]:
        """One uid per real trial: a record joins the trial that already owns any of its ids
        (primary or secondary); two trials found to be one are merged."""
        t_alias, t_trials = self.t["aliases"], self.t["trials"]
        sec = {(r["source"], r["source_id"]): orjson.loads(r["secondary_ids"]) for r in records}
        all_ids = {a for r in records for a in [r["trial_id"], *sec[(r["source"], r["source_id"])]]}
        known: dict[str, str] = {}
        for chunk in chunks(sorted(all_ids), 500):
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
        self._memo = self._summary = None
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

    def _update_links(self, conn: sa.Connection, where: Any, params: list[dict[str, str]]) -> int:
        t = self.t["trials"]
        stmt = sa.update(t).where(where).values(product_slugs=sa.bindparam("v"))
        result = conn.execute(stmt, params)
        return result.rowcount if result.rowcount >= 0 else len(params)

    def set_override(self, trial_id: str, field_name: str, value: Any, reason: str) -> None:
        """Record a curated correction; it is applied on read and survives every re-ingest."""
        self._memo = self._summary = None
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
                        "updated_at": utc_now(),
                    }
                ],
            )

    def start_run(self, inputs: list[str]) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(
                sa.insert(self.t["runs"]).values(started_at=utc_now(), inputs=inputs)
            )
            return int(res.inserted_primary_key[0])

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        self._memo = self._summary = None
        t = self.t["runs"]
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(t).where(t.c.id == run_id).values(finished_at=utc_now(), summary=summary)
            )

    # ------------------------------------------------------------------ reading
