"""Ingest every form, idempotently, on SQLite (PostgreSQL when CTATLAS_TEST_POSTGRES_URL)."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest

from ctatlas.trials.ingest import ingest
from ctatlas.trials.sources import Problem, iter_items
from ctatlas.trials.store import TrialStore

from .conftest import FIX, make_bulk_zip, real_studies


def test_every_fixture_form_lands(store):
    s1 = ingest([FIX / "ctgov", FIX / "ctgov_export", FIX / "ctgov_legacy"], store)
    s2 = ingest([FIX / "cris" / "cris_list_api_20260203_subset.json"], store, registry="cris")
    s3 = ingest([FIX / "ictrp" / "ictrp_main_sample_processed.csv"], store)
    assert (s1.records, s2.records, s3.records) == (92, 108, 125)
    assert not (s1.problems or s2.problems or s3.problems)
    rows = list(store.query(label=None))
    assert len(rows) == store.count() == 325
    kr = list(store.query(label="cell_therapy", country="KR"))
    assert {"KCT0011549", "KCT0011325"} <= {r["trial_id"] for r in kr}


def test_bulk_zip_single_and_two_processes_agree(tmp_path):
    z = make_bulk_zip(tmp_path / "ctg-studies.json.zip", real_studies())
    a = TrialStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
    b = TrialStore(f"sqlite:///{tmp_path / 'b.sqlite'}")
    sa_ = ingest([z], a, workers=1, batch_size=7)
    sb = ingest([z], b, workers=2, batch_size=7)
    assert sa_.records == sb.records == 62
    assert list(a.query(label=None)) == list(b.query(label=None))
    # the raw layer keeps each study exactly as it was in the zip
    original = json.loads(a.raw("ctgov", "NCT02552212"))
    assert original == json.loads((FIX / "ctgov" / "NCT02552212.json").read_text())


def test_reingest_is_idempotent_and_updates_changes(tmp_path, store):
    studies = real_studies()[:20]
    z = make_bulk_zip(tmp_path / "one.zip", studies)
    first = ingest([z], store)
    again = ingest([z], store)
    assert (first.inserted, again.inserted, again.updated, again.unchanged) == (20, 0, 0, 20)
    changed = json.loads(json.dumps(studies[1]))
    changed["protocolSection"]["statusModule"]["overallStatus"] = "TERMINATED"
    nct = changed["protocolSection"]["identificationModule"]["nctId"]
    z2 = make_bulk_zip(tmp_path / "two.zip", [changed, *real_studies()[20:25]])
    third = ingest([z2], store)
    assert (third.inserted, third.updated, third.unchanged) == (5, 1, 0)
    assert store.count() == 25
    row = next(r for r in store.query(label=None) if r["trial_id"] == nct)
    assert row["status"] == "terminated"


def test_corrupt_member_and_truncated_zip_are_reported_and_skipped(tmp_path, store):
    studies = real_studies()[:10]
    z = make_bulk_zip(tmp_path / "bulk.zip", studies)
    ingest([z], store)
    # flip bytes inside the third member's compressed data
    with zipfile.ZipFile(z) as zf:
        info = sorted(zf.infolist(), key=lambda i: i.header_offset)[2]
    data = bytearray(z.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + 10
    data[start : start + 20] = b"\x00" * 20
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(data))
    summary = ingest([bad], store)
    assert summary.skipped == 1 and summary.records == 9
    assert summary.problems[0]["name"].endswith(info.filename)
    assert store.count() == 10  # the stored copy of the broken study is kept

    # a download cut in the middle: no central directory
    cut = tmp_path / "cut.zip"
    cut.write_bytes(z.read_bytes()[: len(z.read_bytes()) // 2])
    summary = ingest([cut], store)
    assert summary.records >= 3
    assert any("truncated" in p["reason"] for p in summary.problems)
    assert summary.skipped >= 1
    assert store.count() == 10


def test_json_array_jsonl_envelopes_and_truncation(tmp_path, store):
    studies = real_studies()[:6]
    arr = tmp_path / "export.json"
    arr.write_text(json.dumps(studies, indent=1))
    jl = tmp_path / "studies.jsonl"
    jl.write_text("\n".join(json.dumps(s) for s in studies[3:]) + "\n{broken\n")
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"studies": studies[:2], "nextPageToken": "x"}))
    summary = ingest([arr, jl, page], store)
    assert summary.records == 11 and summary.skipped == 1
    assert summary.problems[0]["name"].endswith("studies.jsonl:4")
    assert store.count() == 6

    text = arr.read_text()
    cut = tmp_path / "cut.json"
    cut.write_text(text[: int(len(text) * 0.6)])
    items = list(iter_items([cut]))
    assert isinstance(items[-1], Problem) and "truncated" in items[-1].reason
    assert 1 <= len(items) - 1 < 6


def test_json_array_is_streamed_across_buffer_boundaries(tmp_path, monkeypatch):
    import ctatlas.trials.jsonstream as jsonstream
    import ctatlas.trials.sources as src

    studies = real_studies()[:8]
    arr = tmp_path / "export.json"
    arr.write_text(json.dumps(studies))
    monkeypatch.setattr(jsonstream, "READ_CHUNK", 999)  # force many refills mid-object
    got = [json.loads(it.payload) for it in src.iter_items([arr])]
    assert got == studies


def test_cris_data_go_kr_envelope(tmp_path, store):
    recs = json.loads((FIX / "cris" / "cris_list_api_20260203_subset.json").read_text())[:5]
    env = {
        "response": {
            "header": {"resultCode": "00"},
            "body": {"items": {"item": recs}, "totalCount": 5},
        }
    }
    p = tmp_path / "cris_page.json"
    p.write_text(json.dumps(env, ensure_ascii=False))
    assert ingest([p], store).records == 5


def test_ictrp_extra_columns_and_cross_registry_merge(tmp_path, store):
    ingest([FIX / "ctgov" / "NCT02552212.json"], store)
    # an ICTRP row for a jRCT trial that names the same study as a secondary id,
    # with a column the WHO export does not have
    with open(
        FIX / "ictrp" / "ictrp_main_sample_processed.csv", newline="", encoding="utf-8-sig"
    ) as fh:
        reader = csv.DictReader(fh)
        row = next(r for r in reader if r["TrialID"].startswith("JPRN-jRCT"))
        fields = [*reader.fieldnames, "Made_up_extra"]
    row.update(SecondaryIDs="NCT02552212", Made_up_extra="ignored")
    out = tmp_path / "ictrp.csv"
    with open(out, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerow(row)
    assert ingest([out], store).records == 1
    rows = list(store.query(label=None))
    assert len(rows) == 1  # one real trial
    assert rows[0]["registry"] == "ctgov" and rows[0]["trial_id"] == "NCT02552212"
    assert "jRCTs051180199" in rows[0]["secondary_ids"] or any(
        i.startswith("jRCT") for i in rows[0]["secondary_ids"]
    )


def test_overrides_are_kept_apart_and_survive_reingest(store):
    ingest([FIX / "ctgov_legacy"], store)
    store.set_override("NCT04289194", "origin", "allogeneic", "HCR040 is allogeneic (sponsor)")
    ingest([FIX / "ctgov_legacy"], store)
    row = next(r for r in store.query(label=None) if r["trial_id"] == "NCT04289194")
    assert row["origin"] == "allogeneic" and row["overridden"] == ["origin"]
    with pytest.raises(ValueError):
        store.set_override("NCT04289194", "label", "not_cell", "")


def test_filters(store):
    ingest([FIX / "ctgov_legacy", FIX / "ictrp"], store)
    msc = list(store.query(family="MSC"))
    assert msc and all(r["cell_family"] == "MSC" for r in msc)
    assert all("2" in r["phases"] for r in store.query(phase="2"))
    years = [r["start_date"] for r in store.query(start_year_from=2020, start_year_to=2021)]
    assert years and all(y[:4] in ("2020", "2021") for y in years)
    assert list(store.query(condition="osteoarthritis"))
    assert all(r["sponsor_class"] == "industry" for r in store.query(sponsor_class="industry"))


@pytest.mark.postgres
def test_postgres_store(tmp_path, pg_url, empty_trials):
    # the test database's trials schema, dropped first (tests/conftest.py)
    s = TrialStore(empty_trials.url(pg_url, tmp_path))
    try:
        assert ingest([FIX / "ctgov_legacy"], s).inserted == 30
        assert ingest([FIX / "ctgov_legacy"], s).unchanged == 30
        msc = list(s.query(family="MSC", country="US"))
        assert msc and all("US" in r["countries"] for r in msc)
        assert s.t["trials"].schema == "ctatlas_trials"
    finally:
        s.close()


def test_store_path_is_created(tmp_path: Path):
    s = TrialStore(f"sqlite:///{tmp_path / 'deep' / 'er' / 't.sqlite'}")
    assert s.count() == 0


def test_zip_written_with_data_descriptors(tmp_path, store):
    """A zip streamed by its writer (sizes in trailing data descriptors) is read too."""
    import io
    import zipfile

    class Unseekable(io.RawIOBase):
        def __init__(self):
            self.buf = io.BytesIO()

        def writable(self):
            return True

        def write(self, b):
            return self.buf.write(b)

    sink = Unseekable()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as zf:
        for s in real_studies()[:4]:
            nct = s["protocolSection"]["identificationModule"]["nctId"]
            with zf.open(f"ctg-studies/{nct}.json", "w") as fh:
                fh.write(json.dumps(s).encode())
    path = tmp_path / "streamed.zip"
    path.write_bytes(sink.buf.getvalue())
    summary = ingest([path], store)
    assert summary.records == 4 and not summary.problems


def test_ingest_links_trials_to_atlas_products_on_one_and_two_processes(tmp_path):
    """Linking happens in the pipeline (in each worker), and a re-ingest with a changed
    product list updates the links of records whose content did not change."""
    products = [
        ("cartistem", ["Cartistem"], ["MP-0201"], []),
        ("tisagenlecleucel", ["tisagenlecleucel", "Kymriah"], ["CTL019"], []),
    ]
    got = {}
    for workers in (1, 2):
        st = TrialStore(f"sqlite:///{tmp_path / f'w{workers}.sqlite'}")
        ingest([FIX / "ctgov_legacy"], st, workers=workers, batch_size=5, products=products)
        got[workers] = {r["trial_id"]: r["product_slugs"] for r in st.query(label=None)}
    assert got[1] == got[2]
    assert got[1]["NCT01733186"] == ["cartistem"]
    linked = {t for t, slugs in got[1].items() if slugs}
    assert linked and all(got[1][t] in (["cartistem"], ["tisagenlecleucel"]) for t in linked)
    st = TrialStore(f"sqlite:///{tmp_path / 'w1.sqlite'}")
    again = ingest([FIX / "ctgov_legacy"], st, products=products[1:])
    assert again.updated >= 1  # the Cartistem trials lost their link
    assert {r["trial_id"]: r["product_slugs"] for r in st.query(label=None)}["NCT01733186"] == []
    # and no products given: nothing is linked, the process's linker is not left behind
    from ctatlas.trials import ingest as ingest_mod

    assert ingest_mod._LINKER is None


def test_ingest_restores_the_collector_threshold(store):
    import gc

    before = gc.get_threshold()
    ingest([FIX / "ctgov"], store)
    assert gc.get_threshold() == before


def test_batches_are_bounded_by_bytes_as_well_as_count(tmp_path):
    """With workers, a batch of uncompressed JSON records (a website export read record by
    record) is sent on at BATCH_BYTES, not only at its count; the records are the same."""
    from ctatlas.trials import ingest as ing

    studies = real_studies()
    export = tmp_path / "export.json"
    export.write_text(json.dumps(studies))
    items = list(iter_items([export]))
    assert {it.encoding for it in items} == {"json"}
    sizes = [len(it.payload) for it in items]
    summary = ing.IngestSummary()
    cap = 3 * max(sizes)
    batches = list(ing._batches(iter(items), 400, summary, cap))
    assert [it.name for b in batches for it in b] == [it.name for it in items]
    assert len(batches) > 1
    for b in batches[:-1]:  # each closed at the first record that reached the cap
        held = [len(it.payload) for it in b]
        assert sum(held) >= cap > sum(held[:-1])
    # by count alone, as before, when the cap is not reached
    assert [len(b) for b in ing._batches(iter(items), 7, summary, 1 << 40)][:2] == [7, 7]
    a = TrialStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
    b = TrialStore(f"sqlite:///{tmp_path / 'b.sqlite'}")
    assert ingest([export], a, workers=1).records == 62
    assert ingest([export], b, workers=2).records == 62
    assert list(a.query(label=None)) == list(b.query(label=None))


def test_small_batches_are_written_in_large_transactions(tmp_path, monkeypatch):
    """Batches closed early by their bytes go to the workers small, but the store writes
    what comes back ``batch_size`` records at a time (a transaction per small batch cost
    ~1.45x the CPU)."""
    from ctatlas.trials import ingest as ing

    export = tmp_path / "export.json"
    export.write_text(json.dumps(real_studies()))
    monkeypatch.setattr(ing, "BATCH_BYTES", 20_000)  # a few studies a batch
    store = TrialStore(f"sqlite:///{tmp_path / 's.sqlite'}")
    sizes: list[int] = []
    real_write = store.write_batch

    def spy(records):  # the real write, counted
        sizes.append(len(records))
        return real_write(records)

    monkeypatch.setattr(store, "write_batch", spy)
    summary = ingest([export], store, workers=2, batch_size=25)
    assert summary.records == 62 and not summary.problems
    assert sum(sizes) == 62 and len(sizes) == 3
    assert all(n >= 25 for n in sizes[:-1])


def test_two_processes_checkpoint_the_store_while_the_workers_run(tmp_path, monkeypatch):
    """With workers, every CHECKPOINT_EVERY-th write but the last starts a checkpoint in a
    thread of its own (a checkpoint mostly waits for the disk), so the reader goes on taking
    results and writing meanwhile; the ingest returns only once it is done (the store is
    never closed under one); the store is the same as one process's, and what a checkpoint
    leaves in the log is already copied."""
    import sqlite3
    import threading
    import time

    from ctatlas.trials import ingest as ing

    z = make_bulk_zip(tmp_path / "ctg-studies.json.zip", real_studies())
    monkeypatch.setattr(ing, "CHECKPOINT_EVERY", 2)
    a = TrialStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
    b = TrialStore(f"sqlite:///{tmp_path / 'b.sqlite'}")
    events: list[tuple[str, float, str]] = []
    real_write, real_checkpoint = b.write_batch, b.checkpoint

    def write(records):
        events.append(("w", time.perf_counter(), threading.current_thread().name))
        return real_write(records)

    def checkpoint():
        events.append(("c", time.perf_counter(), threading.current_thread().name))
        time.sleep(0.5)  # a slow disk
        real_checkpoint()
        events.append(("c-end", time.perf_counter(), threading.current_thread().name))

    monkeypatch.setattr(b, "write_batch", write)
    monkeypatch.setattr(b, "checkpoint", checkpoint)
    ingest([z], a, workers=1, batch_size=9)
    ingest([z], b, workers=2, batch_size=9)
    kinds = [k for k, _, _ in events]
    assert kinds.count("w") == 7  # 62 records: 7 writes of 9 or fewer
    assert kinds[:2] == ["w", "w"] and "c" in kinds
    assert kinds.count("c") == kinds.count("c-end") and kinds[-1] in ("w", "c-end")
    main = threading.main_thread().name
    assert all(t != main for k, _, t in events if k.startswith("c"))  # off the reader's thread
    starts = [at for k, at, _ in events if k == "c"]
    ends = [at for k, at, _ in events if k == "c-end"]
    writes = [at for k, at, _ in events if k == "w"]
    # the reader wrote while a checkpoint waited for the disk
    assert any(s < w < e for s, e in zip(starts, ends, strict=True) for w in writes)
    assert list(a.query(label=None)) == list(b.query(label=None))
    real_checkpoint()
    with sqlite3.connect(tmp_path / "b.sqlite") as conn:
        busy, log, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and log == copied


def test_one_process_checkpoints_the_store_in_a_thread_of_its_own(tmp_path, monkeypatch):
    """In one process too (since session 14), every CHECKPOINT_EVERY-th write starts a
    checkpoint in a thread of its own, so the reader goes on reading, classifying and writing
    while it waits for the disk; the ingest returns only once it is done, and the store holds
    what a run without checkpoints writes, its log already copied."""
    import sqlite3
    import threading
    import time

    from ctatlas.trials import ingest as ing

    z = make_bulk_zip(tmp_path / "ctg-studies.json.zip", real_studies())
    a = TrialStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
    monkeypatch.setattr(ing, "CHECKPOINT_EVERY", 10**9)  # a: never checkpointed by the run
    ingest([z], a, workers=1, batch_size=9)
    monkeypatch.setattr(ing, "CHECKPOINT_EVERY", 2)
    b = TrialStore(f"sqlite:///{tmp_path / 'b.sqlite'}")
    events: list[tuple[str, float, str]] = []
    real_write, real_checkpoint = b.write_batch, b.checkpoint

    def write(records):
        events.append(("w", time.perf_counter(), threading.current_thread().name))
        return real_write(records)

    def checkpoint():
        events.append(("c", time.perf_counter(), threading.current_thread().name))
        time.sleep(0.5)  # a slow disk
        real_checkpoint()
        events.append(("c-end", time.perf_counter(), threading.current_thread().name))

    monkeypatch.setattr(b, "write_batch", write)
    monkeypatch.setattr(b, "checkpoint", checkpoint)
    summary = ingest([z], b, workers=1, batch_size=9)
    assert summary.records == 62 and not summary.problems
    kinds = [k for k, _, _ in events]
    assert kinds.count("w") == 7 and kinds[:2] == ["w", "w"] and "c" in kinds
    # every checkpoint ended before the ingest returned
    assert kinds.count("c") == kinds.count("c-end") and kinds[-1] in ("w", "c-end")
    main = threading.main_thread().name
    assert all(t == main for k, _, t in events if k == "w")
    assert all(t != main for k, _, t in events if k.startswith("c"))  # off the reader's thread
    starts = [at for k, at, _ in events if k == "c"]
    ends = [at for k, at, _ in events if k == "c-end"]
    writes = [at for k, at, _ in events if k == "w"]
    # the reader wrote while a checkpoint waited for the disk
    assert any(s < w < e for s, e in zip(starts, ends, strict=True) for w in writes)
    assert list(a.query(label=None)) == list(b.query(label=None))
    with sqlite3.connect(tmp_path / "b.sqlite") as conn:
        busy, log, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and log == copied
    a.close()
    b.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_checkpoint_that_fails_fails_the_ingest_with_its_error(tmp_path, monkeypatch, workers):
    """A checkpoint runs in a thread of its own; what it raises is raised by the ingest."""
    import sqlalchemy as sa

    from ctatlas.trials import ingest as ing

    z = make_bulk_zip(tmp_path / "ctg-studies.json.zip", real_studies())
    monkeypatch.setattr(ing, "CHECKPOINT_EVERY", 1)
    b = TrialStore(f"sqlite:///{tmp_path / 'b.sqlite'}")

    def checkpoint():
        raise sa.exc.OperationalError("PRAGMA wal_checkpoint", {}, Exception("disk I/O error"))

    monkeypatch.setattr(b, "checkpoint", checkpoint)
    with pytest.raises(sa.exc.OperationalError, match="disk I/O error"):
        ingest([z], b, workers=workers, batch_size=9)
    b.close()


def test_two_processes_on_postgresql_checkpoint_nothing(tmp_path, pg_url, empty_trials,
                                                       monkeypatch):
    """The checkpoint is SQLite's: on PostgreSQL a two-process ingest asks for it and it
    sends nothing (a SQLite pragma there would be an error)."""
    from ctatlas.trials import ingest as ing

    monkeypatch.setattr(ing, "CHECKPOINT_EVERY", 1)
    s = TrialStore(empty_trials.url(pg_url, tmp_path))
    try:
        summary = ingest([FIX / "ctgov_legacy"], s, workers=2, batch_size=5)
        assert summary.inserted == 30 and not summary.problems
        s.checkpoint()
    finally:
        s.close()
        empty_trials.drop(s.url)
