"""Label and link every stored trial again, from its raw record (``ctatlas trials link``).

After the atlas's data changed (a new development code, a new product) or the rules did, a
store's labels and links are those of the rules and atlas its records were ingested with.
:func:`relabel` reads the raw layer in batches (never the whole store), normalises, classifies
with the atlas's cell-therapy terms and links each record again as the ingest does, and writes
back only the records whose label, evidence or links changed. The run is recorded with the rule
version (:func:`~ctatlas.trials.atlas_terms.rule_version`), so :func:`label_rules` can tell
whether a store was labelled by other rules or another atlas.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson
import sqlalchemy as sa

from .atlas_terms import CellTerms, rule_version
from .ingest import _restore_linker, _set_linker, _set_terms, process_item
from .link import ProductSpec
from .sources import Item

__all__ = ["label_rules", "relabel"]


def _raw_batches(store: Any, batch_size: int) -> Iterator[list[Any]]:
    """(source, source_id, encoding, body) of every raw record, a batch at a time (keyset
    pagination: each batch is one short query)."""
    t = store.t["raw"]
    after: tuple[str, str] | None = None
    while True:
        q = (
            sa.select(t.c.source, t.c.source_id, t.c.encoding, t.c.body, t.c.origin)
            .order_by(t.c.source, t.c.source_id)
            .limit(batch_size)
        )
        if after is not None:
            q = q.where(
                sa.or_(
                    t.c.source > after[0],
                    sa.and_(t.c.source == after[0], t.c.source_id > after[1]),
                )
            )
        with store.engine.connect() as conn:
            rows = list(conn.execute(q))
        if not rows:
            return
        yield rows
        if len(rows) < batch_size:
            return
        after = (rows[-1].source, rows[-1].source_id)


def _item(row: Any) -> Item:
    """The raw record as the ingest first saw it: a zip member's deflate stream, a whole
    registry record, or a CSV row (kept as its JSON object)."""
    name = row.origin or f"{row.source}:{row.source_id}"
    if row.encoding == "deflate":
        return Item(row.source, name, bytes(row.body), "deflate")
    obj = orjson.loads(row.body)
    if row.source == "ictrp" or (
        row.source == "ctgov" and isinstance(obj, dict) and "protocolSection" not in obj
    ):
        return Item(row.source, name, obj, "row")  # a CSV row (legacy, flattened, ICTRP)
    return Item(row.source, name, obj, "obj")


def relabel(
    store: Any,
    products: Iterable[ProductSpec] | None,
    terms: CellTerms | None,
    batch_size: int = 500,
) -> dict[str, Any]:
    """Classify and link every stored record again (``products``: the atlas's link specs,
    ``terms``: its cell-therapy terms). Returns ``{"records", "relabelled", "changed",
    "linked", "products", "problems", "rules"}``: ``relabelled`` records whose label changed,
    ``changed`` records rewritten for any reason (label, family, origin, evidence, links)."""
    run = store.start_run(["link"])
    rules = rule_version(terms)
    summary: dict[str, Any] = {
        "records": 0, "relabelled": 0, "changed": 0, "linked": 0, "products": 0,
        "problems": [], "rules": rules,
    }
    seen: set[str] = set()
    previous = _set_linker(list(products) if products is not None else None)
    previous_terms = _set_terms(terms)
    problems_before = 0
    try:
        for batch in _raw_batches(store, batch_size):
            keys = [(r.source, r.source_id) for r in batch]
            old = _stored(store, keys)
            records, links = [], {}
            for row in batch:
                item = _item(row)
                res = process_item(item)
                if not isinstance(res, dict):
                    summary["problems"].append({"name": res.name, "reason": res.reason})
                    continue
                if res["raw_body"] is None:
                    res["raw_body"] = item.payload
                key = (res["source"], res["source_id"])
                slugs = orjson.loads(res["product_slugs"])
                if slugs:
                    summary["linked"] += 1
                    seen.update(slugs)
                label, content_hash, stored_slugs = old.get(key, (None, None, None))
                if label not in (None, res["label"]):
                    summary["relabelled"] += 1
                if content_hash != res["content_hash"]:
                    records.append(res)
                elif stored_slugs != slugs:  # links set apart from the content (relink)
                    links[key] = slugs
            store.write_batch(records)
            if links:
                store.set_product_links(links)
            summary["records"] += len(batch) - (len(summary["problems"]) - problems_before)
            summary["changed"] += len(records) + len(links)
            problems_before = len(summary["problems"])
    finally:
        _restore_linker(previous)
        _set_terms(previous_terms)
    summary["products"] = len(seen)
    store.finish_run(run, summary)
    return summary


def _stored(
    store: Any, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], tuple[str, str, list[str]]]:
    """(label, content hash, product links) of the stored records ``keys``."""
    t = store.t["trials"]
    out = {}
    with store.engine.connect() as conn:
        for source in {k[0] for k in keys}:
            ids = [k[1] for k in keys if k[0] == source]
            q = sa.select(
                t.c.source_id, t.c.label, t.c.content_hash, t.c.product_slugs
            ).where(t.c.source == source, t.c.source_id.in_(ids))
            for sid, label, content_hash, slugs in conn.execute(q):
                out[(source, sid)] = (label, content_hash, orjson.loads(slugs))
    return out


def label_rules(store: Any) -> set[str]:
    """The rule versions the store's labels were made with: those of the runs since the last
    full relabel (``ctatlas trials link``), that one included. A store whose set is not
    ``{rule_version(current terms)}`` holds labels of other rules or of another atlas; runs
    written before rule versions were recorded count as ``"unknown"``."""
    runs = store.t["runs"]
    with store.engine.connect() as conn:
        rows = list(
            conn.execute(sa.select(runs.c.inputs, runs.c.summary).order_by(runs.c.id.desc()))
        )
    out: set[str] = set()
    for inputs, summary in rows:
        summary = summary or {}
        if isinstance(summary, (str, bytes)):
            summary = orjson.loads(summary)
        if not summary.get("records") and inputs != ["link"]:
            continue  # a run that stored nothing labelled nothing
        out.add(summary.get("rules") or "unknown")
        if inputs == ["link"] and "rules" in summary:
            break
    return out
