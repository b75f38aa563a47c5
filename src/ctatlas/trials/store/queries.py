"""Reading the trials store: one dict per real trial (its best record, the ids and countries
of all its records merged, overrides applied), filtered, paged, counted; what the store holds;
its state token; raw records."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa

from .schema import JSON_COLS, PUBLIC_FIELDS
from .util import chunks, chunks_iter

__all__ = ["StoreReads"]


class StoreReads:
    """The reading half of :class:`~ctatlas.trials.store.TrialStore`."""

    engine: sa.Engine
    dialect: str
    t: dict[str, sa.Table]

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
                for chunk in chunks(keys, 400):
                    for r in conn.execute(
                        sa.select(t).where(sa.tuple_(t.c.source, t.c.source_id).in_(chunk))
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

    def countries(self) -> list[str]:
        """The country codes of every stored record, sorted (one query over the distinct
        country lists: for the listing's country choice)."""
        t = self.t["trials"]
        out: set[str] = set()
        with self.engine.connect() as conn:
            for (key,) in conn.execute(sa.select(t.c.countries_key).distinct()):
                out.update(c for c in (key or "").split("|") if c)
        return sorted(out)

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
        decode = [n for n in names if n in JSON_COLS]
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
