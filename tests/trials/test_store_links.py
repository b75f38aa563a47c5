"""The trials store's side of linking, on SQLite and PostgreSQL: writing links (and taking
stale ones away), reading every record in batches, the ``product`` filter, the state token."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatlas.trials.ingest import ingest
from ctatlas.trials.store import TrialStore

from .conftest import FIX


@pytest.fixture
def trials(any_db_url: str, tmp_path: Path, empty_trials):  # type: ignore[no-untyped-def]
    """A trials store on each backend (``any_db_url``: SQLite, then PostgreSQL), filled with
    the 30 legacy-CSV MSC trials and the 182 CAR-T snapshot rows (real records), unlinked."""
    url = empty_trials.url(any_db_url, tmp_path)
    store = TrialStore(url)
    summary = ingest(
        [FIX / "ctgov_legacy", FIX / "ctgov_flat" / "car_t_trials_labelled_subset.csv"], store
    )
    assert summary.records == 212 and not summary.problems
    yield store
    store.close()


def _slugs(store: TrialStore) -> dict[str, list[str]]:
    return {r["trial_id"]: r["product_slugs"] for r in store.query(label=None)}


def test_set_product_links_writes_and_clears(trials: TrialStore) -> None:
    assert trials.set_product_links({"NCT01733186": ["cartistem"], "NCT01041001": ["cartistem"]})
    assert trials.set_product_links({("ctgov", "NCT06414135"): ["b", "a", "a"]}) == 1
    got = _slugs(trials)
    assert got["NCT01733186"] == got["NCT01041001"] == ["cartistem"]
    assert got["NCT06414135"] == ["a", "b"]  # sorted, once each
    # an empty list takes a record's links away
    assert trials.set_product_links({"NCT01041001": []}) == 1
    assert _slugs(trials)["NCT01041001"] == []
    # clear=True: the mapping is the whole answer; every other linked record is cleared
    trials.set_product_links({"NCT07091370": ["inaticabtagene-autoleucel"]}, clear=True)
    linked = {k: v for k, v in _slugs(trials).items() if v}
    assert linked == {"NCT07091370": ["inaticabtagene-autoleucel"]}
    assert trials.set_product_links({}) == 0


def test_iter_batches_reads_every_record_once(trials: TrialStore) -> None:
    batches = list(trials.iter_batches(50, ["title", "interventions", "product_slugs"]))
    assert [len(b) for b in batches] == [50, 50, 50, 50, 12]
    keys = [(r["source"], r["source_id"]) for b in batches for r in b]
    assert len(keys) == len(set(keys)) == trials.count() == 212
    assert keys == sorted(keys)
    row = batches[0][0]
    assert set(row) == {"source", "source_id", "title", "interventions", "product_slugs"}
    assert isinstance(row["interventions"], list) and row["product_slugs"] == []
    # rows can be rewritten between batches (what `ctatlas trials link` does)
    seen = 0
    for batch in trials.iter_batches(100, ["product_slugs"]):
        trials.set_product_links({(r["source"], r["source_id"]): ["x"] for r in batch})
        seen += len(batch)
    assert seen == 212 and all(v == ["x"] for v in _slugs(trials).values())


def test_product_filter(trials: TrialStore) -> None:
    from ctatlas.trials.link import Linker

    linker = Linker(
        [
            ("cartistem", ["Cartistem"], [], []),
            ("relmacabtagene-autoleucel", ["relmacabtagene autoleucel"], ["JWCAR029"], []),
            ("jace", ["JACE"], [], []),
        ]
    )
    changes = {
        (r["source"], r["source_id"]): linker.link(r)
        for batch in trials.iter_batches(100, ["title", "interventions"])
        for r in batch
    }
    trials.set_product_links(changes)
    cartistem = list(trials.query(product="cartistem"))
    assert {r["trial_id"] for r in cartistem} == {
        "NCT01733186",
        "NCT01041001",
        "NCT02755376",
        "NCT04310215",
        "NCT01626677",
    }
    assert all("cartistem" in r["product_slugs"] for r in cartistem)
    relma = {r["trial_id"] for r in trials.query(product="relmacabtagene-autoleucel")}
    assert {"NCT04812691", "NCT06414135", "NCT07326371"} <= relma
    # the other filters still apply; a slug must match whole, quoted ("jace" is not "jac")
    assert [r["trial_id"] for r in trials.query(product="cartistem", country="US")] == [
        "NCT01733186"
    ]
    assert not list(trials.query(product="cartistem", family="CAR_T"))
    trials.set_product_links({"NCT01733186": ["cartistem", "jacemin"]})
    assert list(trials.query(product="jace")) == []
    assert list(trials.query(product="cartiste")) == []
    assert list(trials.query(product="100%_")) == []
    # an override is what the reader sees: it can add a product, or take one away
    trials.set_override("NCT01041001", "product_slugs", [], "a comparator arm only (reviewed)")
    trials.set_override("NCT07091370", "product_slugs", ["cartistem"], "reviewed")
    ids = {r["trial_id"] for r in trials.query(product="cartistem", label=None)}
    assert "NCT01041001" not in ids and "NCT07091370" in ids
    # the count is the same query's, in SQL
    assert trials.count_trials(product="cartistem", label=None) == len(ids) == 5
    assert trials.count_trials(product="cartistem", country="US") == 1
    assert [r["trial_id"] for r in trials.query(product="cartistem", label=None, limit=2)] == [
        r["trial_id"] for r in trials.query(product="cartistem", label=None)
    ][:2]


def test_linked_records_have_their_own_index(trials: TrialStore) -> None:
    """The product filter finds trials through the partial index of linked records, so a
    product page stays fast however many unlinked trials the store holds."""
    import sqlalchemy as sa

    with trials.engine.connect() as conn:
        schema = trials.t["trials"].schema
        indexes = {ix["name"] for ix in sa.inspect(conn).get_indexes("trials", schema)}
        assert "ix_trials_linked" in indexes
        if trials.dialect == "sqlite":
            plan = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT trial_uid FROM trials "
                "WHERE product_slugs != '[]' AND product_slugs LIKE '%\"cartistem\"%'"
            ).all()
            assert "ix_trials_linked" in " ".join(str(r) for r in plan)


def test_state_changes_with_every_run_and_override(trials: TrialStore) -> None:
    first = trials.state()
    assert trials.state() == first
    run = trials.start_run(["link"])
    started = trials.state()
    trials.finish_run(run, {})
    finished = trials.state()
    trials.set_override("NCT01041001", "title", "Retitled", "typo in the registry")
    assert len({first, started, finished, trials.state()}) == 4


def test_other_names_are_stored_for_relinking(tmp_path: Path) -> None:
    store = TrialStore(f"sqlite:///{tmp_path / 't.sqlite'}")
    ingest([FIX / "ctgov"], store)
    rows = {r["trial_id"]: r for r in store.query(label=None)}
    dupilumab = rows["NCT02210780"]["interventions"]
    assert any(i.get("other_names") == ["REGN668", "SAR231893", "Dupixent"] for i in dupilumab)
    shapes = {frozenset(i) for r in rows.values() for i in r["interventions"]}
    assert shapes == {frozenset({"type", "name"}), frozenset({"type", "name", "other_names"})}
    assert rows["NCT02210780"]["url"].startswith("https://clinicaltrials.gov/")
    store.close()


def test_a_readonly_store_creates_nothing(tmp_path: Path) -> None:
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'ro.sqlite'}"
    TrialStore(url, readonly=True).close()
    engine = sa.create_engine(url)
    assert sa.inspect(engine).get_table_names() == []
    engine.dispose()
