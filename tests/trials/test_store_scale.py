"""The trials store at registry scale, on SQLite and PostgreSQL: the best-record flag every
list, count and chart reads (kept by every write, and given to stores made before it by a
migration on open), the listing's indexes, and the grouped counts behind charts and
``trials stats`` (the same numbers as counting every trial one by one)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from ctatlas.trials.ingest import ingest
from ctatlas.trials.stats import pipeline_stats
from ctatlas.trials.store import TrialStore

from .conftest import FIX

CHART = ("start_date", "cell_family", "countries", "phases")


def _jrct_row(tmp_path: Path) -> Path:
    """A real ICTRP row (a jRCT trial) naming the ClinicalTrials.gov study NCT02552212 as a
    secondary id: one real trial in two registries."""
    with open(
        FIX / "ictrp" / "ictrp_main_sample_processed.csv", newline="", encoding="utf-8-sig"
    ) as fh:
        reader = csv.DictReader(fh)
        row = next(r for r in reader if r["TrialID"].startswith("JPRN-jRCT"))
        fields = list(reader.fieldnames or [])
    row.update(SecondaryIDs="NCT02552212")
    out = tmp_path / "ictrp.csv"
    with open(out, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerow(row)
    return out


def _flags(store: TrialStore) -> dict[str, int]:
    t = store.t["trials"]
    with store.engine.connect() as conn:
        return {s: int(f) for s, f in conn.execute(sa.select(t.c.source, t.c.is_best))}


@pytest.fixture
def url(any_db_url: str, tmp_path: Path, empty_trials):  # type: ignore[no-untyped-def]
    out = empty_trials.url(any_db_url, tmp_path)
    yield out
    empty_trials.drop(out)


def test_best_flag_moves_when_a_better_record_joins(url: str, tmp_path: Path) -> None:
    store = TrialStore(url)
    ingest([_jrct_row(tmp_path)], store)
    assert _flags(store) == {"ictrp": 1}  # alone: its trial's best record
    ingest([FIX / "ctgov" / "NCT02552212.json"], store)
    # ClinicalTrials.gov ranks first: its record is now the best, the jRCT one is not
    assert _flags(store) == {"ctgov": 1, "ictrp": 0}
    [trial] = store.query(label=None)
    assert trial["registry"] == "ctgov" and store.count_trials(label=None) == 1
    assert any(i.startswith("jRCT") for i in trial["secondary_ids"])
    # re-ingesting either changes nothing
    ingest([_jrct_row(tmp_path), FIX / "ctgov" / "NCT02552212.json"], store)
    assert _flags(store) == {"ctgov": 1, "ictrp": 0}
    store.close()


def test_best_flag_of_a_worse_record_arriving_later(url: str, tmp_path: Path) -> None:
    store = TrialStore(url)
    ingest([FIX / "ctgov" / "NCT02552212.json"], store)
    ingest([_jrct_row(tmp_path)], store)
    assert _flags(store) == {"ctgov": 1, "ictrp": 0}
    assert [t["registry"] for t in store.query(label=None)] == ["ctgov"]
    store.close()


def _old_store(url: str, tmp_path: Path) -> None:
    """A store as the version before the flag made it: no ``is_best``, no list indexes."""
    store = TrialStore(url)
    ingest([FIX / "ctgov_legacy", _jrct_row(tmp_path), FIX / "ctgov" / "NCT02552212.json"],
           store)
    store.set_override("NCT01041001", "countries", ["KR"], "checked with the sponsor")
    name = f'"{store.t["trials"].schema}"."trials"' if store.dialect == "postgresql" else "trials"
    with store.engine.begin() as conn:
        for ix in ("ix_trials_list", "ix_trials_list_label"):
            schema = store.t["trials"].schema
            conn.execute(sa.text(f'DROP INDEX {f"{schema}." if schema else ""}{ix}'))
        conn.execute(sa.text(f"ALTER TABLE {name} DROP COLUMN is_best"))
    store.close()


def _everything(store: TrialStore) -> list[object]:
    return [
        list(store.query(label=None)),
        list(store.query(label=None, country="JP")),
        list(store.query(label="cell_therapy", limit=5, offset=2)),
        store.count_trials(label=None),
        store.count_trials(label="cell_therapy", phase="2"),
        pipeline_stats(store.chart_counts(label=None), ("region", "family", "year")),
        pipeline_stats(store.stats_counts(("country", "phase"), label=None), ("country", "phase")),
    ]


def test_a_store_made_before_the_flag_is_read_alike_and_migrated_on_open(
    url: str, tmp_path: Path
) -> None:
    _old_store(url, tmp_path)
    reader = TrialStore(url, readonly=True)  # the web app's way: nothing is changed
    before = _everything(reader)
    assert not reader._has_best()
    assert before[3] == 31  # 30 legacy-CSV trials and one trial in two registries
    writer = TrialStore(url)  # opening for writing migrates
    t = writer.t["trials"]
    with writer.engine.connect() as conn:
        insp = sa.inspect(conn)
        assert "is_best" in {c["name"] for c in insp.get_columns("trials", t.schema)}
        indexes = {ix["name"] for ix in insp.get_indexes("trials", t.schema)}
    assert {"ix_trials_list", "ix_trials_list_label", "ix_trials_best"} <= indexes
    tt = writer.t["trials"]
    with writer.engine.connect() as conn:
        flags = {(r.source, r.is_best) for r in conn.execute(sa.select(tt.c.source, tt.c.is_best))}
        best = conn.execute(sa.select(sa.func.sum(tt.c.is_best))).scalar_one()
    assert ("ictrp", 0) in flags and ("ictrp", 1) not in flags and best == 31
    assert _everything(writer) == before
    # the reader sees the flag once the store's state changes (a run is recorded)
    writer.finish_run(writer.start_run(["test"]), {})
    reader.state()
    assert reader._has_best() and _everything(reader) == before
    reader.close()
    writer.close()


def test_the_listing_reads_its_index_in_order(tmp_path: Path) -> None:
    """A page of the default listing (or of every label) walks an index in the listing's
    order and stops after the page: no sort of every match, whatever the store's size."""
    store = TrialStore(f"sqlite:///{tmp_path / 't.sqlite'}")
    ingest([FIX / "ctgov_legacy"], store)
    for label, index in (("cell_therapy", "ix_trials_list_label"), (None, "ix_trials_list")):
        q = store._filtered({}, narrow=True, label=label, country="JP")
        q = q.order_by(q.selected_columns.start_date.desc(), q.selected_columns.trial_id)
        sql = str(q.limit(50).compile(store.engine, compile_kwargs={"literal_binds": True}))
        with store.engine.connect() as conn:
            plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
        assert index in plan and "TEMP B-TREE" not in plan, plan
    # a product's trials: through the partial index of linked records, whatever the label
    # and years (their own indexes would read every trial of the label)
    q = store._filtered({}, narrow=True, label="cell_therapy", product="temcell",
                        start_year_from=2000)
    sql = str(q.compile(store.engine, compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as conn:
        plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "ix_trials_linked" in plan, plan
    store.close()


@pytest.fixture
def filled(url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    store = TrialStore(url)
    ingest(
        [
            FIX / "ctgov_legacy",
            FIX / "ctgov_flat" / "car_t_trials_labelled_subset.csv",
            FIX / "ctgov",
            _jrct_row(tmp_path),
        ],
        store,
    )
    store.set_override("NCT01041001", "countries", ["KR"], "checked with the sponsor")
    store.set_override("NCT02552212", "phases", ["3"], "checked with the sponsor")
    yield store
    store.close()


FILTERS = [
    {"label": None},
    {"label": "cell_therapy"},
    {"label": None, "country": "JP"},
    {"label": "cell_therapy", "family": "CAR_T"},
    {"label": None, "phase": "2", "start_year_from": 2015},
    {"label": None, "product": "nothing-linked"},
    # answered by the summary of the best records (and the overridden trials one by one)
    {"label": None, "country": "kr", "phase": "1"},
    {"label": "cell_therapy", "cell_class": "stem", "start_year_to": 2015},
    {"label": "cell_therapy", "family": "MSC", "phase": "2"},
    {"label": None, "country": "JP", "start_year_from": 2010, "start_year_to": 2016},
    # read from the store (a filter or a country the summary does not hold)
    {"label": None, "country": "JP", "status": "completed"},
    {"label": None, "country": "US", "start_year_from": 2010, "start_year_to": 2016},
]


@pytest.mark.parametrize("filters", FILTERS)
def test_grouped_counts_equal_counting_each_trial(filled: TrialStore, filters: dict) -> None:
    """Charts and ``trials stats`` group in SQL; the numbers are those of counting every
    trial :meth:`query` / :meth:`facets` give, one by one (overrides and a trial in two
    registries included)."""
    facets = list(filled.facets(CHART, **filters))  # read from the store, one by one
    grouped = filled.chart_counts(**filters)
    summarised = not {"product", "status"} & set(filters) and (
        filters.get("country") or "jp"
    ).upper() in ("JP", "KR")
    assert (filled._summary_for(filters) is not None) == summarised
    assert sum(r["weight"] for r in grouped) == len(facets) == filled.count_trials(**filters)
    for by in (("family", "year"), ("region", "year"), ("phase",)):
        assert pipeline_stats(grouped, by) == pipeline_stats(facets, by)
    phases = Counter(p for r in facets for p in r["phases"] or ["unknown"])
    weighted: Counter[str] = Counter()
    for r in grouped:
        for p in r["phases"] or ["unknown"]:
            weighted[p] += r["weight"]
    assert weighted == phases
    trials = list(filled.query(**filters))
    for by in (
        ("region", "cell_class", "year"),
        ("country", "phase"),
        ("label", "status", "sponsor_class", "origin", "family"),
    ):
        expected = pipeline_stats(trials, by)
        assert pipeline_stats(filled.stats_counts(by, **filters), by) == expected
        assert pipeline_stats(filled.stats_rows(**filters), by) == expected
    if filters == {"label": None}:
        assert len(trials) > 200  # the fixtures are all there


def test_the_merged_countries_count_in_stats(filled: TrialStore) -> None:
    """A trial in two registries counts under the countries of both records (its best
    record's, and the other's), as ``trials list`` shows it."""
    [trial] = [t for t in filled.query(label=None) if t["trial_id"] == "NCT02552212"]
    rows = pipeline_stats(filled.stats_counts(("country",), label=None), ("country",))
    counted = {r["country"]: r["trials"] for r in rows}
    listed = Counter(c for t in filled.query(label=None) for c in t["countries"] or ["unknown"])
    assert counted == dict(listed)
    assert all(counted[c] >= 1 for c in trial["countries"])


def test_the_summary_follows_every_write(url: str, tmp_path: Path) -> None:
    """Counts and charts answered by the summary of the best records change with the store:
    an ingest, a better record of a trial joining it, an override."""
    store = TrialStore(url)
    ingest([FIX / "ctgov_legacy"], store)
    before = store.count_trials(label=None)
    assert store._summary is not None and before > 0
    ingest([FIX / "ctgov" / "NCT02552212.json"], store)
    after = store.count_trials(label=None)
    assert after == before + 1 == sum(r["weight"] for r in store.chart_counts(label=None))
    ingest([_jrct_row(tmp_path)], store)  # the same trial in a second registry: still one
    assert store.count_trials(label=None) == after
    listed = store.count_trials(label=None, phase="2")
    trial = next(t for t in store.query(label=None, phase="2"))
    store.set_override(trial["trial_id"], "phases", ["4"], "checked with the sponsor")
    # the filters read the stored record; the charts show the override
    assert store.count_trials(label=None, phase="2") == listed
    charts = store.chart_counts(label=None, phase="2")
    assert sum(r["weight"] for r in charts) == listed
    assert sum(r["weight"] for r in charts if "2" in r["phases"]) == listed - 1
    # a reader opened beside the writer sees the writes too (its summary is per state)
    reader = TrialStore(url, readonly=True)
    assert reader.count_trials(label=None) == after
    ingest([FIX / "ctgov"], store)
    assert reader.count_trials(label=None) == store.count_trials(label=None) > after
    reader.close()
    store.close()


@pytest.mark.parametrize("years", [(2010, None), (None, 2012), (2008, 2014), (2015, 2015)])
def test_a_span_of_years_lists_the_same_trials_in_order(filled: TrialStore, years) -> None:
    """Years are also read as a range of the start date (the listing's sort key): the trials
    and their order are those of filtering the whole listing by start year."""
    low, high = years
    every = list(filled.query(label=None))
    expected = [
        t["trial_id"]
        for t in every
        if (y := int(t["start_date"][:4]) if (t["start_date"] or "")[:4].isdigit() else None)
        is not None
        and (low is None or y >= low)
        and (high is None or y <= high)
    ]
    got = filled.query(label=None, start_year_from=low, start_year_to=high)
    assert [t["trial_id"] for t in got] == expected and expected
    page = filled.query(label=None, start_year_from=low, start_year_to=high, limit=5, offset=2)
    assert [t["trial_id"] for t in page] == expected[2:7]
    assert filled.count_trials(label=None, start_year_from=low, start_year_to=high) == len(
        expected
    )
