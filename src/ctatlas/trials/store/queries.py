"""Reading the trials store: one dict per real trial (its best record, the ids and countries
of all its records merged, overrides applied), filtered, paged, counted; what the store holds;
its state token; raw records."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa

from .schema import BEST_ORDER, JSON_COLS, PUBLIC_FIELDS
from .summary import Summary
from .util import chunks, chunks_iter

__all__ = ["StoreReads"]


class StoreReads:
    """The reading half of :class:`~ctatlas.trials.store.TrialStore`."""

    engine: sa.Engine
    dialect: str
    t: dict[str, sa.Table]
    #: whether the store has the ``is_best`` flag (None: not looked yet)
    _best_known: bool | None = None
    _state_seen: str | None = None
    _countries: tuple[str, list[str]] | None = None
    _memo: tuple[str, dict[Any, Any]] | None = None
    #: the summary of the best records (:mod:`.summary`) and the state it was read at
    _summary: tuple[str, Summary] | None = None
    _summary_lock = threading.Lock()

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
        token = f"{last[0] if last else 0}:{last[1] if last else ''}:{newest or ''}"
        if self._best_known is False and token != self._state_seen:
            self._best_known = None  # a write may have migrated the store: look again
        self._state_seen = token
        return token

    def iter_batches(
        self, batch_size: int = 2000, columns: Sequence[str] | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """Every stored record, as lists of at most ``batch_size`` dicts (list columns
        decoded), in key order. Each batch is one short query (keyset pagination on
        ``(source, source_id)``), so the store is never held open or loaded whole, and rows
        may be updated between batches."""
        t = self.t["trials"]
        names = list(
            dict.fromkeys(
                ["source", "source_id", *(columns or [c.name for c in _record_columns(t)])]
            )
        )
        cols = [t.c[n] for n in names]
        decode = [n for n in names if n in JSON_COLS]
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
                # by source, then ids: a primary-key lookup each (SQLite reads a list of
                # (source, source_id) pairs by scanning the whole table)
                for source in sorted({k[0] for k in keys}):
                    ids = [k[1] for k in keys if k[0] == source]
                    for chunk in chunks(ids, 400):
                        for r in conn.execute(
                            sa.select(*_record_columns(t)).where(
                                t.c.source == source, t.c.source_id.in_(chunk)
                            )
                        ).mappings():
                            rows[(r["source"], r["source_id"])] = r
                result: Any = [rows[k] for k in keys if k in rows]
            else:
                result = conn.execute(q).mappings()
            for batch in chunks_iter(result, 500):
                uids = [r["trial_uid"] for r in batch]
                siblings: dict[str, list[Any]] = {}
                for chunk in chunks(uids, 500):
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
                    sa.select(*_record_columns(t))
                    .where(t.c.trial_uid == uid)
                    .order_by(*(t.c[k] for k in BEST_ORDER))
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
        reading only the columns the filters and the best-record rank need; kept until the
        store changes, see :meth:`_remembered`)."""

        def count() -> int:
            overrides = self._overrides()
            summary = self._summary_for(filters)
            if summary is not None:  # the summary, and the overridden trials one by one
                n = summary.count(filters)
                if not overrides:
                    return n
                q = self._filtered(overrides, narrow=True, **filters)
                q = q.where(self.t["trials"].c.trial_id.in_(list(overrides)))
                with self.engine.connect() as conn:
                    return n + int(
                        conn.execute(
                            sa.select(sa.func.count()).select_from(q.subquery())
                        ).scalar_one()
                    )
            q = self._filtered(overrides, narrow=True, **filters)
            with self.engine.connect() as conn:
                return int(
                    conn.execute(sa.select(sa.func.count()).select_from(q.subquery())).scalar_one()
                )

        return int(self._remembered("count", filters, count))

    def _summary_for(self, filters: dict[str, Any]) -> Summary | None:
        """The summary of the best records at the store's current state, when it answers
        these filters (made on first need, once per state; overridden trials are left out
        of it and counted one by one); else None."""
        if not Summary.answers(filters) or not self._has_best():
            return None
        token = self.state()
        kept = self._summary
        if kept is not None and kept[0] == token:
            return kept[1]
        with self._summary_lock:  # one reader makes it, the others wait for it
            kept = self._summary
            if kept is not None and kept[0] == token:
                return kept[1]
            overrides = self._overrides()
            q = self._filtered(overrides, narrow=True)
            if overrides:
                q = q.where(self.t["trials"].c.trial_id.not_in(list(overrides)))
            with self.engine.connect() as conn:
                summary = Summary.read(conn, q)
            self._summary = (token, summary)
        return summary

    def _remembered(self, kind: str, filters: dict[str, Any], compute: Any) -> Any:
        """``compute()``, kept for these filters until the store's :meth:`state` changes or
        this object writes: a count or the charts of a listing over a full registry read
        hundreds of thousands of index entries, and the same listing is asked for in every
        language, by the page and by the API. At most 512 answers are kept."""
        token = self.state()
        memo = self._memo
        if memo is None or memo[0] != token:
            memo = self._memo = (token, {})
        key = (kind, tuple(sorted(filters.items())))
        if key not in memo[1]:
            if len(memo[1]) >= 512:
                memo[1].clear()
            memo[1][key] = compute()
        return memo[1][key]

    def countries(self) -> list[str]:
        """The country codes of every stored record, sorted (one query over the distinct
        country lists: for the listing's country choice). Kept until the store's
        :meth:`state` changes: on a full registry the query reads every record."""
        token = self.state()
        if self._countries is not None and self._countries[0] == token:
            return list(self._countries[1])
        t = self.t["trials"]
        out: set[str] = set()
        with self.engine.connect() as conn:
            for (key,) in conn.execute(sa.select(t.c.countries_key).distinct()):
                out.update(c for c in (key or "").split("|") if c)
        self._countries = (token, sorted(out))
        return list(self._countries[1])

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
        yield from self._facet_rows(self._filtered(overrides, **filters), names, overrides)

    def _facet_rows(
        self, q: sa.Select[Any], names: Sequence[str], overrides: dict[str, dict[str, Any]]
    ) -> Iterator[dict[str, Any]]:
        sub = q.subquery()
        decode = [n for n in names if n in JSON_COLS]
        with self.engine.connect() as conn:
            for r in conn.execute(sa.select(*(sub.c[n] for n in names))).mappings():
                row = dict(r)
                for k in decode:
                    row[k] = orjson.loads(row[k])
                fixed = overrides.get(row["trial_id"])
                if fixed:
                    row.update({k: v for k, v in fixed.items() if k in row})
                yield row

    def stats_counts(self, by: Sequence[str], **filters: Any) -> list[dict[str, Any]]:
        """What :func:`ctatlas.trials.stats.pipeline_stats` needs to count ``by`` over the
        trials :meth:`query` would give for these filters, grouped in SQL: rows with
        ``weight`` = the number of trials alike in every column ``by`` reads. Trials with
        records in several registries (their countries merge) and overridden trials are
        read one by one (:meth:`stats_rows`). ``trials stats`` on a full registry."""
        t = self.t["trials"]
        if not self._has_best():
            return list(self.stats_rows(**filters))
        overrides = self._overrides()
        other = t.alias("other")
        shared = sa.select(other.c.trial_uid).where(other.c.is_best == 0)
        q = self._filtered(overrides, **filters).where(t.c.trial_uid.not_in(shared))
        # the trials read one by one: their ids first, from the covering index alone (read
        # with every column, the label's records were fetched from the table, one by one, to
        # keep a few hundred: 0.7 s of PostgreSQL's 1.3 s on 600,000 records)
        pick = self._filtered(overrides, **filters).where(t.c.trial_uid.in_(shared)).subquery()
        with self.engine.connect() as conn:
            shared_uids = list(conn.execute(sa.select(pick.c.trial_uid)).scalars())
        alone = [t.c.trial_uid.in_(chunk) for chunk in chunks(shared_uids, 500)]
        if overrides:
            q = q.where(t.c.trial_id.not_in(list(overrides)))
            alone.append(t.c.trial_id.in_(list(overrides)))
        sub = q.subquery()
        exprs: dict[str, Any] = {}
        for d in by:
            if d == "country":
                exprs["countries_key"] = sub.c.countries_key
            elif d == "region":
                exprs["jp"] = sa.case((sub.c.countries_key.like("%|JP|%"), 1), else_=0)
                exprs["kr"] = sa.case((sub.c.countries_key.like("%|KR|%"), 1), else_=0)
            elif d == "phase":
                exprs["phases_key"] = sub.c.phases_key
            elif d == "year":
                exprs["start_date"] = sa.func.substr(sub.c.start_date, 1, 4)
            else:
                name = {"family": "cell_family"}.get(d, d)
                exprs[name] = sub.c[name]
        labelled = [e.label(k) for k, e in exprs.items()]
        grouped = sa.select(*labelled, sa.func.count().label("weight")).select_from(sub)
        if labelled:
            grouped = grouped.group_by(*exprs.values())
        out: list[dict[str, Any]] = []
        with self.engine.connect() as conn:
            for r in conn.execute(grouped).mappings():
                row = dict(r)
                if not row["weight"]:
                    continue
                if "countries_key" in row:
                    row["countries"] = [c for c in row.pop("countries_key").split("|") if c]
                    row.pop("jp", None), row.pop("kr", None)
                elif "jp" in row:
                    row["countries"] = [c for c in ("JP", "KR") if row.pop(c.lower())]
                if "phases_key" in row:
                    row["phases"] = [p for p in row.pop("phases_key").split("|") if p]
                out.append(row)
        seen: set[str] = set()
        for where in alone:  # a trial both shared and overridden is read once
            for row in self._stats_rows(filters, where):
                if row["trial_uid"] not in seen:
                    seen.add(row["trial_uid"])
                    out.append(row)
        return out

    def stats_rows(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """What :func:`ctatlas.trials.stats.pipeline_stats` reads of every real trial
        :meth:`query` would give for these filters (countries of all its records merged,
        overrides applied, as :meth:`query` gives them), one row per trial."""
        return self._stats_rows(filters)

    def _stats_rows(self, filters: dict[str, Any], where: Any = None) -> Iterator[dict[str, Any]]:
        t = self.t["trials"]
        overrides = self._overrides()
        names = (
            "trial_uid",
            "trial_id",
            "countries",
            "phases",
            "start_date",
            "cell_class",
            "cell_family",
            "origin",
            "status",
            "sponsor_class",
            "label",
        )
        q = self._filtered(overrides, **filters)
        if where is not None:
            q = q.where(where)
        q = q.subquery()
        with self.engine.connect() as conn:
            result = conn.execute(sa.select(*(q.c[n] for n in names))).mappings()
            for batch in chunks_iter(result, 2000):
                merge: dict[str, list[str]] = {}  # the countries of every record of each
                for chunk in chunks([r["trial_uid"] for r in batch], 500):
                    for uid, countries in conn.execute(
                        sa.select(t.c.trial_uid, t.c.countries).where(t.c.trial_uid.in_(chunk))
                    ):
                        merge.setdefault(uid, []).append(countries)
                for r in batch:
                    row = dict(r)
                    countries = orjson.loads(row["countries"])
                    for more in merge.get(row["trial_uid"], ()):
                        for cc in orjson.loads(more):
                            if cc not in countries:
                                countries.append(cc)
                    row["countries"] = countries
                    row["phases"] = orjson.loads(row["phases"])
                    fixed = overrides.get(row["trial_id"])
                    if fixed:
                        row.update({k: v for k, v in fixed.items() if k in row})
                    yield row

    def chart_counts(self, **filters: Any) -> list[dict[str, Any]]:
        """The rows :meth:`facets` gives for the charts of a listing (``start_date``,
        ``cell_family``, ``countries``, ``phases``), grouped in SQL: one row per start year,
        cell family, Japan / Korea among the countries and phase set, with ``weight`` = the
        number of trials in it (``start_date`` holds the year only, ``countries`` only JP and
        KR). Overridden trials are read one by one, their overrides applied: the charts of
        a listing of any size in one grouped pass, kept until the store changes."""
        return list(self._remembered("charts", filters, lambda: self._chart_counts(filters)))

    def _chart_counts(self, filters: dict[str, Any]) -> list[dict[str, Any]]:
        t = self.t["trials"]
        overrides = self._overrides()
        summary = self._summary_for(filters)
        out = (
            summary.charts(filters)
            if summary is not None
            else self._grouped_chart_counts(overrides, filters)
        )
        if overrides:
            columns = ("start_date", "cell_family", "countries", "phases")
            only = self._filtered(overrides, **filters).where(t.c.trial_id.in_(list(overrides)))
            for row in self._facet_rows(only, ("trial_id", *columns), overrides):
                row.pop("trial_id")
                row["weight"] = 1
                out.append(row)
        return out

    def _grouped_chart_counts(
        self, overrides: dict[str, dict[str, Any]], filters: dict[str, Any]
    ) -> list[dict[str, Any]]:
        t = self.t["trials"]
        q = self._filtered(overrides, narrow=True, **filters)
        if overrides:
            q = q.where(t.c.trial_id.not_in(list(overrides)))
        sub = q.subquery()
        year = sa.func.substr(sub.c.start_date, 1, 4).label("year")
        jp = sa.case((sub.c.countries_key.like("%|JP|%"), 1), else_=0).label("jp")
        kr = sa.case((sub.c.countries_key.like("%|KR|%"), 1), else_=0).label("kr")
        grouped = sa.select(
            year, sub.c.cell_family, jp, kr, sub.c.phases_key, sa.func.count().label("n")
        ).group_by(year, sub.c.cell_family, jp, kr, sub.c.phases_key)
        out: list[dict[str, Any]] = []
        with self.engine.connect() as conn:
            for r in conn.execute(grouped):
                out.append(
                    {
                        "start_date": r.year,
                        "cell_family": r.cell_family,
                        "countries": [c for c, has in (("JP", r.jp), ("KR", r.kr)) if has],
                        "phases": [p for p in r.phases_key.split("|") if p],
                        "weight": int(r.n),
                    }
                )
        return out

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
        columns the filters read (for counting and paging). One pass over the records the
        filters select (through an index where one fits), each kept when it is its trial's
        best record: the ``is_best`` flag, or on a store not yet migrated to it, no better
        record of the same trial (:data:`BEST_ORDER`)."""
        t = self.t["trials"]
        # with a product, the partial index of linked records is the way in: the best flag
        # is then checked on each, not searched (``+ 0``: no index is used for it)
        q = sa.select(*(_FILTER_COLUMNS(t) if narrow else _record_columns(t))).where(
            self._best(t, indexed=not product)
        )
        # with a product, columns with an index of their own are compared unindexed too
        label_col = t.c.label.concat("") if product else t.c.label
        year_col = t.c.start_year + 0 if product else t.c.start_year
        if label:
            q = q.where(label_col == label)
        if country:
            q = q.where(t.c.countries_key.like(f"%|{country.upper()}|%"))
        if phase:
            q = q.where(t.c.phases_key.like(f"%|{phase}|%"))
        if status:
            q = q.where(t.c.status == status)
        if cell_class:
            q = q.where(t.c.cell_class == cell_class)
        if family:
            q = q.where(t.c.cell_family == family)
        if origin:
            q = q.where(t.c.origin == origin)
        if start_year_from is not None:
            q = q.where(year_col >= start_year_from)
            if not product and 1000 <= start_year_from <= 9999:
                # the same records (start_year is the start date's first four digits), as a
                # range of the listing indexes' sort key: a page of a span of years reads
                # those years only, not every newer record before them
                q = q.where(t.c.start_date >= f"{start_year_from}")
        if start_year_to is not None:
            q = q.where(year_col <= start_year_to)
            if not product and 1000 <= start_year_to <= 9998:
                q = q.where(t.c.start_date < f"{start_year_to + 1}")
        if sponsor_class:
            q = q.where(t.c.sponsor_class == sponsor_class)
        if condition:
            # % and _ in what the user typed are letters, not wildcards
            q = q.where(
                sa.cast(t.c.conditions, sa.Text).ilike(f"%{_like_escape(condition)}%", escape="\\")
            )
        if product:
            # overrides of product_slugs decide for their trials, whatever the record says
            added = [k for k, o in overrides.items() if product in (o.get("product_slugs") or ())]
            removed = [
                k
                for k, o in overrides.items()
                if "product_slugs" in o and product not in (o["product_slugs"] or ())
            ]
            # linked records only: read through the partial index of linked rows
            quoted = _like_escape(orjson.dumps(product).decode())
            linked: Any = sa.and_(
                t.c.product_slugs != "[]",
                t.c.product_slugs.like(f"%{quoted}%", escape="\\"),
            )
            if added:
                linked = sa.or_(linked, t.c.trial_id.in_(added))
            q = q.where(linked)
            if removed:
                q = q.where(t.c.trial_id.not_in(removed))
        return q

    def _best(self, t: sa.Table, *, indexed: bool = True) -> Any:
        """The condition that a record of ``t`` is the best record of its real trial."""
        if self._has_best():
            return (t.c.is_best if indexed else t.c.is_best + 0) == 1
        better = t.alias("better")
        return ~sa.exists().where(
            better.c.trial_uid == t.c.trial_uid,
            sa.tuple_(*(better.c[k] for k in BEST_ORDER))
            < sa.tuple_(*(t.c[k] for k in BEST_ORDER)),
        )

    def _has_best(self) -> bool:
        """Whether the store has the ``is_best`` flag (every store this version opened for
        writing has: a store only read, made by an earlier version, may not)."""
        known = self._best_known
        if known is None:
            t = self.t["trials"]
            with self.engine.connect() as conn:
                columns = sa.inspect(conn).get_columns(t.name, t.schema)
            known = self._best_known = any(c["name"] == "is_best" for c in columns)
        return bool(known)


def _record_columns(t: sa.Table) -> list[Any]:
    """Every column of a record but the best flag (which a store made before it lacks)."""
    return [c for c in t.c if c.name != "is_best"]


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
    out = {k: (orjson.loads(row[k]) if k in JSON_COLS else row[k]) for k in PUBLIC_FIELDS}
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


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
