"""Ingest: read -> decode -> normalise -> classify -> store, streaming, on one or more cores.

The main process reads raw records (cheap: a zip member is passed on compressed) and writes
batches to the store; worker processes do the expensive part (inflate, decode, normalise,
classify). At most a few batches are in flight, so memory stays flat whatever the corpus size.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

import orjson

from . import recache
from .atlas_terms import CellTerms, rule_version
from .classify import apply
from .ctgov import (
    decode_study,
    normalise_csv_export_row,
    normalise_flat_row,
    normalise_legacy_row,
    normalise_study,
)
from .link import Linker, ProductSpec
from .record import Trial
from .registries import normalise_cris, normalise_ictrp
from .sources import Item, Problem, iter_items, too_large
from .store import TrialStore, trial_row
from .zipstream import MAX_RECORD_BYTES, TooBig, inflate_bounded

__all__ = ["IngestSummary", "ingest", "ingest_items", "process_item"]


@dataclass
class IngestSummary:
    records: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    bytes: int = 0
    by_label: dict[str, int] = field(default_factory=dict)
    problems: list[dict[str, str]] = field(default_factory=list)
    rules: str = ""  # the classifier's rule version with the atlas's terms (atlas_terms)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Bad(Exception):
    pass


#: The atlas products trials are linked to, in this process (set by :func:`_set_linker`; each
#: worker process builds its own from the same specs).
_LINKER: Linker | None = None


def _set_linker(products: list[ProductSpec] | None) -> Linker | None:
    """Install the linker for ``products`` in this process; returns the one it replaces."""
    global _LINKER
    previous, _LINKER = _LINKER, (Linker(products) if products is not None else None)
    return previous


def _restore_linker(linker: Linker | None) -> None:
    global _LINKER
    _LINKER = linker


#: The atlas's cell-therapy names and codes the classifier reads, in this process.
_TERMS: CellTerms | None = None


def _set_terms(terms: CellTerms | None) -> CellTerms | None:
    """Install the classifier's atlas terms in this process; returns the ones it replaces."""
    global _TERMS
    previous, _TERMS = _TERMS, terms
    return previous


# Each study decodes to thousands of small containers that live only until it is stored. At
# the default threshold (700 allocations) the collector's young pass runs many times per study
# and walks that same short-lived tree each time: ~7% of ingest time. Nothing in the pipeline
# makes reference cycles (peak memory is the same either way, measured), so ingest lets the
# young generation grow much larger before a pass.
_GC_YOUNG = 200_000


def _raise_gc_threshold() -> tuple[int, int, int]:
    """Let the young generation grow to :data:`_GC_YOUNG`; returns the previous thresholds."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], _GC_YOUNG), *old[1:])
    return old


@contextmanager
def _few_gc_passes() -> Iterator[None]:
    old = _raise_gc_threshold()
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _init_worker(
    products: list[ProductSpec] | None, parent: int | None = None, terms: CellTerms | None = None
) -> None:
    _raise_gc_threshold()  # a worker lives only for the ingest: nothing to restore
    _set_linker(products)
    _set_terms(terms)
    if parent is not None:
        _die_with(parent)


def _die_with(parent: int) -> None:
    """End this worker when ``parent`` ends, however it ends (even SIGKILL, which leaves
    the pool no chance to stop its workers): the kernel's parent-death signal on Linux, and
    everywhere a thread that notices the worker has been handed to another parent."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the thread does it
            pass
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


_BYTES = ("deflate", "stored", "json")


def _data(item: Item) -> tuple[bytes, bytes | None, str]:
    """(the record's JSON bytes, None: the item's payload is the body to store, raw encoding)
    of a record read as bytes: sizes checked, inflated (bounded), CRC checked."""
    enc = item.encoding
    if enc in ("stored", "json") and (item.size or 0) > MAX_RECORD_BYTES:
        raise _Bad(too_large(item.size))
    if enc in ("stored", "json") and len(item.payload) > MAX_RECORD_BYTES:
        raise _Bad(too_large(len(item.payload)))
    if enc == "deflate":
        try:
            data = inflate_bounded(item.payload)  # a bomb is refused, never held whole
        except TooBig as exc:
            raise _Bad(str(exc)) from None
        except zlib.error as exc:
            raise _Bad(f"corrupt compressed data: {exc}") from None
        if item.crc is not None and zlib.crc32(data) != item.crc:
            raise _Bad("CRC mismatch (corrupt or truncated member)")
        return data, None, "deflate"
    data = item.payload
    if enc == "stored" and item.crc is not None and zlib.crc32(data) != item.crc:
        raise _Bad("CRC mismatch (corrupt or truncated member)")
    # the body stored is the payload itself: the writer takes it from the item, so a worker
    # does not send the record's bytes back
    return data, None, "json"


def _parse(data: bytes, enc: str) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if enc == "deflate":
            raise _Bad(f"invalid JSON: {exc}") from None
        raise _Bad(f"invalid or truncated JSON: {exc}") from None


def _decode(item: Item) -> tuple[Any, bytes | None, str]:
    """(parsed object, raw body to store or None to keep the item's payload, raw encoding)."""
    enc = item.encoding
    if enc in _BYTES:
        data, body, raw_enc = _data(item)
        return _parse(data, enc), body, raw_enc
    if enc == "obj" and (item.size or 0) > MAX_RECORD_BYTES:
        raise _Bad(too_large(item.size))
    if enc in ("obj", "row"):
        return item.payload, orjson.dumps(item.payload), "json"
    raise _Bad(f"unknown encoding {enc}")


def _trial(item: Item) -> tuple[Trial, bytes | None, str]:
    """(the normalised trial, raw body, raw encoding). A ClinicalTrials.gov study read as
    bytes is decoded field by field (:func:`~ctatlas.trials.ctgov.decode_study`); anything
    else, or a study not in the expected shape, is decoded whole and normalised."""
    if item.encoding in _BYTES:
        data, body, raw_enc = _data(item)
        trial = decode_study(data) if item.source in (None, "ctgov") else None
        if trial is None:
            trial = _normalise(item.source, _parse(data, item.encoding), item.encoding)
        return trial, body, raw_enc
    obj, body, raw_enc = _decode(item)
    return _normalise(item.source, obj, item.encoding), body, raw_enc


def _normalise(source: str | None, obj: Any, encoding: str) -> Any:
    if not isinstance(obj, dict):
        raise _Bad("record is not a JSON object")
    if encoding == "row":
        if source == "ictrp":
            return normalise_ictrp(obj)
        if "Study Title" in obj:
            return normalise_csv_export_row(obj)
        if "NCT Number" in obj:
            return normalise_legacy_row(obj)
        return normalise_flat_row(obj)
    if source in (None, "ctgov") and "protocolSection" in obj:
        return normalise_study(obj)
    if source in (None, "cris") and (
        "scientific_title_kr" in obj or str(obj.get("trial_id", "")).startswith("KCT")
    ):
        return normalise_cris(obj)
    if source == "ictrp" and ("TrialID" in obj or "trialid" in obj):
        return normalise_ictrp(obj)
    raise _Bad("not a recognised registry record" + (f" for --registry {source}" if source else ""))


def process_item(item: Item) -> dict[str, Any] | Problem:
    """Decode, normalise and classify one raw record -> a store record (or a Problem)."""
    try:
        trial, body, raw_enc = _trial(item)
        if not trial.trial_id:
            raise _Bad("record has no trial id")
        apply(trial, _TERMS)
        if _LINKER is not None:
            trial.product_slugs = _LINKER.link(trial)
    except _Bad as exc:
        return Problem(item.name, str(exc))
    except Exception as exc:  # noqa: BLE001 - a malformed record must not stop the run
        return Problem(item.name, f"unexpected record shape: {type(exc).__name__}: {exc}")
    row = trial_row(trial)
    version = trial.last_updated or ""
    row["content_hash"] = hashlib.blake2b(
        orjson.dumps(row, option=orjson.OPT_SORT_KEYS) + version.encode(), digest_size=20
    ).hexdigest()
    row["raw_body"] = body
    row["raw_encoding"] = raw_enc
    row["raw_origin"] = item.name
    return row


def _process_batch(items: list[Item]) -> list[dict[str, Any] | Problem]:
    return [process_item(it) for it in items]


def _work_batch(items: list[Item]) -> tuple[list[dict[str, Any] | Problem], dict[str, Any]]:
    """In a worker: a batch's results, and the patterns it compiled for the first time (the
    parent keeps them for the next run: a worker never writes the pattern file)."""
    return _process_batch(items), recache.take_new()


#: With workers, a batch is sent on at this many bytes of payload, whatever its count: 400 zip
#: members
#: (passed on compressed) are ~2-3 MB, 400 records of a JSON export (as read) ~11 MB, and
#: each batch in flight is held by the reader, the pipe and a worker at once.
BATCH_BYTES = 2_000_000


#: The store copies its write-ahead log into the database every this many writes
#: (:meth:`~ctatlas.trials.store.TrialStore.checkpoint`), in a thread of its own
#: (:class:`_Checkpoints`). With workers, otherwise the last ~40 MB are copied and synced when
#: the store closes, after the workers are done: ~0.4 s of a two-process run's 5 s at 10,000
#: studies in which no worker has anything to do. In one process (since session 14),
#: otherwise SQLite's own checkpoint every 64 MB (``wal_autocheckpoint``) runs inside a
#: commit, and the reader waits for the disk's sync there.
CHECKPOINT_EVERY = 4


class _Checkpoints:
    """The store's checkpoints during a run, one at a time in a thread of their own. A
    checkpoint mostly waits for the disk (syncing the database file: 0.3-0.4 s of wall for
    ~0.05 s of CPU, traced). With workers, in the reader's thread nothing took the workers'
    results or handed them batches meanwhile: each checkpoint left both workers idle once their
    queued batches were done; in one process, the reader stopped reading while SQLite's own
    checkpoint synced inside a commit. SQLite runs it on a connection of its own (a passive
    checkpoint never waits for the writer) and releases the GIL while it copies and waits."""

    def __init__(self, store: TrialStore) -> None:
        self.store = store
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self) -> None:
        """Checkpoint now, unless the last one still runs (this one would find little new)."""
        if self.thread is not None and self.thread.is_alive():
            return
        self.raise_error()
        self.thread = threading.Thread(target=self._run, name="store-checkpoint", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.store.checkpoint()
        except BaseException as exc:  # noqa: BLE001 - raised in the reader's thread
            self.error = exc

    def wait(self, raising: bool = True) -> None:
        """Wait for the running checkpoint; raise what it raised."""
        if self.thread is not None:
            self.thread.join()
        if raising:
            self.raise_error()

    def raise_error(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            raise error


def _batches(
    items: Iterable[Item | Problem],
    size: int,
    summary: IngestSummary,
    max_bytes: int = BATCH_BYTES,
) -> Iterator[list[Item]]:
    batch: list[Item] = []
    held = 0
    for it in items:
        if isinstance(it, Problem):
            summary.problems.append({"name": it.name, "reason": it.reason})
            if not it.reason.startswith("zip is truncated"):
                summary.skipped += 1
            continue
        batch.append(it)
        payload = it.payload
        held += len(payload) if isinstance(payload, bytes | bytearray | memoryview) else it.size
        if len(batch) >= size or held >= max_bytes:
            yield batch
            batch = []
            held = 0
    if batch:
        yield batch


def _pool(
    workers: int, products: list[ProductSpec] | None, terms: CellTerms | None = None
) -> ProcessPoolExecutor:
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=mp.get_context(method),
        initializer=_init_worker,
        initargs=(products, os.getpid(), terms),
    )


def ingest_items(
    items: Iterable[Item | Problem],
    store: TrialStore,
    *,
    workers: int = 1,
    batch_size: int = 400,
    progress: Callable[[int], None] | None = None,
    products: Iterable[ProductSpec] | None = None,
    terms: CellTerms | None = None,
) -> IngestSummary:
    """Process and store raw records; returns the run's summary (nothing is printed).

    ``products``: the atlas products as ``(slug, names, codes, aliases)`` (see
    :func:`ctatlas.trials.link.product_specs`); each trial's ``product_slugs`` is set from
    them. Without them no trial is linked (``ctatlas trials link`` links a store later).
    ``terms``: the atlas's cell-therapy names and codes for the classifier
    (:func:`ctatlas.trials.atlas_terms.cell_terms`); without them the text rules decide alone.
    """
    summary = IngestSummary(rules=rule_version(terms))
    specs = list(products) if products is not None else None

    def write(batch: list[Item], results: list[dict[str, Any] | Problem]) -> None:
        records = []
        for item, res in zip(batch, results, strict=True):
            if isinstance(res, Problem):
                summary.problems.append({"name": res.name, "reason": res.reason})
                summary.skipped += 1
                continue
            if res["raw_body"] is None:  # the record's bytes as read (a zip member's as stored)
                res["raw_body"] = bytes(item.payload)
            summary.bytes += item.size or len(res["raw_body"])
            records.append(res)
        counts = store.write_batch(records)
        summary.records += len(records)
        summary.inserted += counts.inserted
        summary.updated += counts.updated
        summary.unchanged += counts.unchanged
        for k, v in counts.by_label.items():
            summary.by_label[k] = summary.by_label.get(k, 0) + v
        if progress:
            progress(len(batch))

    # one process holds one batch at a time; with workers several are in flight, each in
    # the reader, the pipe and a worker: those are bounded by bytes too
    batches = _batches(items, batch_size, summary, BATCH_BYTES if workers > 1 else 1 << 62)
    checkpoints = _Checkpoints(store)
    if workers <= 1:
        previous = _set_linker(specs)
        previous_terms = _set_terms(terms)
        try:
            with _few_gc_passes():
                for n, batch in enumerate(batches, 1):
                    write(batch, _process_batch(batch))
                    # the log is copied while the next batches are read; a checkpoint after
                    # the last write copies what closing the store would have copied
                    if n % CHECKPOINT_EVERY == 0:
                        checkpoints.start()
        except BaseException:
            checkpoints.wait(raising=False)  # the store is never closed under a checkpoint
            raise
        finally:
            _restore_linker(previous)
            _set_terms(previous_terms)
        checkpoints.wait()
        return summary
    # what the workers give back is written ``batch_size`` records at a time: a batch closed
    # early by its bytes must not make a transaction of its own (each costs ~15 ms of CPU in
    # the store: 70-record transactions took 1.45x the CPU of 400-record ones)
    done_items: list[Item] = []
    done: list[dict[str, Any] | Problem] = []
    writes = [0]

    def collect(b: list[Item], results: list[dict[str, Any] | Problem], last: bool) -> None:
        done_items.extend(b)
        done.extend(results)
        if done_items and (last or len(done_items) >= batch_size):
            write(list(done_items), list(done))
            done_items.clear()
            done.clear()
            writes[0] += 1
            if not last and writes[0] % CHECKPOINT_EVERY == 0:
                checkpoints.start()

    def result(fut: Future[tuple[list[Any], dict[str, Any]]]) -> list[Any]:
        results, compiled = fut.result()
        recache.add(compiled)
        return results

    try:
        with _pool(workers, specs, terms) as pool, _few_gc_passes():
            pending: deque[tuple[list[Item], Future[tuple[list[Any], dict[str, Any]]]]] = deque()
            for batch in batches:
                pending.append((batch, pool.submit(_work_batch, batch)))
                if len(pending) >= workers * 2:
                    b, fut = pending.popleft()
                    collect(b, result(fut), False)
            while pending:
                b, fut = pending.popleft()
                collect(b, result(fut), not pending)
        collect([], [], True)
    except BaseException:
        checkpoints.wait(raising=False)  # the store is never closed under a checkpoint
        raise
    checkpoints.wait()
    return summary


def ingest(
    paths: list[str | os.PathLike[str]],
    store: TrialStore,
    *,
    registry: str | None = None,
    workers: int = 1,
    batch_size: int = 400,
    progress: Callable[[int], None] | None = None,
    products: Iterable[ProductSpec] | None = None,
    terms: CellTerms | None = None,
) -> IngestSummary:
    """Ingest files / folders of registry records into the trials store.

    Re-ingesting is idempotent: changed records are updated, new ones added, unchanged ones
    left alone; a corrupt or truncated file or zip member is skipped and listed in the
    summary's ``problems``; nothing already stored is removed. ``products`` and ``terms``: as
    in :func:`ingest_items`.
    """
    run = store.start_run([str(p) for p in paths])
    summary = ingest_items(
        iter_items(paths, registry),
        store,
        workers=workers,
        batch_size=batch_size,
        progress=progress,
        products=products,
        terms=terms,
    )
    store.finish_run(run, summary.to_dict())
    return summary
