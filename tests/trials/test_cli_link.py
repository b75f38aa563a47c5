"""``ctatlas trials ingest`` links trials to the atlas; ``ctatlas trials link`` re-links a
stored store after the atlas changed; ``ctatlas trials list --product`` filters on the links.
End to end through the CLI on a small real store (the atlas is the fixture dataset)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ctatlas.cli import app
from ctatlas.trials.store import TrialStore

from .conftest import FIX

runner = CliRunner()
ATLAS_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "data"
CARTISTEM_TRIALS = {"NCT01733186", "NCT01041001", "NCT02755376", "NCT04310215", "NCT01626677"}


def _run(data: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--data", str(data), "trials", *args])


def _linked(db: str) -> dict[str, list[str]]:
    store = TrialStore(f"sqlite:///{db}")
    try:
        return {r["trial_id"]: r["product_slugs"] for r in store.query(label=None)}
    finally:
        store.close()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A writable copy of the fixture atlas data (six products, Cartistem among them)."""
    return Path(shutil.copytree(ATLAS_DATA, tmp_path / "data"))


@pytest.fixture
def db(tmp_path: Path, data: Path) -> str:
    """A trials store ingested through the CLI: 30 MSC product trials, 182 CAR-T rows."""
    path = str(tmp_path / "trials.sqlite")
    r = _run(
        data,
        "ingest",
        str(FIX / "ctgov_legacy"),
        str(FIX / "ctgov_flat" / "car_t_trials_labelled_subset.csv"),
        "--db",
        path,
        "-q",
    )
    assert r.exit_code == 0, r.output
    return path


def test_ingest_links_and_list_filters_by_product(db: str, data: Path) -> None:
    linked = {k: v for k, v in _linked(db).items() if v}
    assert {k for k, v in linked.items() if v == ["cartistem"]} == CARTISTEM_TRIALS
    # the fixture atlas also holds relma-cel (JWCAR029, relma-cel): the CAR-T rows naming it
    assert {"NCT04812691", "NCT06414135", "NCT07326371"} <= {
        k for k, v in linked.items() if v == ["relmacabtagene-autoleucel"]
    }
    r = _run(data, "list", "--db", db, "--product", "cartistem", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert {x["trial_id"] for x in rows} == CARTISTEM_TRIALS
    assert all(x["product_slugs"] == ["cartistem"] for x in rows)
    assert all(x["url"] == f"https://ClinicalTrials.gov/show/{x['trial_id']}" for x in rows)
    r = _run(data, "list", "--db", db, "--product", "maci", "--label", "all", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.output) == []
    r = _run(data, "list", "--db", db, "--product", "Cartistem!")
    assert r.exit_code == 2 and "--product" in r.output


def test_link_relinks_after_the_atlas_changed(db: str, data: Path) -> None:
    store = TrialStore(f"sqlite:///{db}")
    # links gone stale: one wrong, one missing
    store.set_product_links({"NCT01041001": ["maci"], "NCT01733186": []})
    store.close()
    # and the atlas changed: MACI gains an alias that some Cartistem trials name
    record = data / "products" / "maci.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("aliases:\n", "aliases:\n- Microfracture\n"), encoding="utf-8")

    r = _run(data, "link", "--db", db, "--batch-size", "7", "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.output)
    linked = {k: v for k, v in _linked(db).items() if v}
    assert summary["records"] == 212
    assert summary["linked"] == len(linked)
    assert summary["products"] == 3  # cartistem, maci, relma-cel
    assert linked["NCT01733186"] == ["cartistem"]  # restored
    # "Cartistem | Microfracture treatment": no longer the stale ["maci"] alone
    assert linked["NCT01041001"] == ["cartistem", "maci"]
    assert {k for k, v in linked.items() if "maci" in v} == {
        "NCT01041001",
        "NCT01626677",
        "NCT04310215",
    }
    assert {k for k, v in linked.items() if "cartistem" in v} == CARTISTEM_TRIALS
    assert summary["changed"] == 4  # the two stale records, and two more now naming MACI

    # a second run changes nothing; a plain run says what it did
    r = _run(data, "link", "--db", db)
    assert r.exit_code == 0, r.output
    assert (
        f"{len(linked)} of 212 records linked to 3 atlas products; 0 labels changed; "
        "0 records changed" in r.output
    )


REPO_PRODUCTS = Path(__file__).resolve().parents[2] / "data" / "products"


def _label(db: str, trial_id: str) -> dict:
    store = TrialStore(f"sqlite:///{db}")
    try:
        return store.find(trial_id)
    finally:
        store.close()


def test_link_relabels_a_trial_named_only_by_a_code_the_atlas_gained(db: str, data: Path):
    """NCT04405778 names only "TAK-102": the rules call it a cell therapy once the atlas knows
    the code. Before, only the wording model did (rules 16.18), on its words alone, unlinked."""
    from ctatlas.trials.relabel import label_rules

    before = _label(db, "NCT04405778")
    assert before["label"] == "cell_therapy" and before["product_slugs"] == []
    assert before["evidence"][0]["rule"] == "wording.to_cell"
    assert not any(e["rule"].startswith("cell.") for e in before["evidence"])
    store = TrialStore(f"sqlite:///{db}")
    rules_before = label_rules(store)
    store.close()
    # the curated TAK-102 record (its disease id is not in the fixture atlas's diseases)
    text = (REPO_PRODUCTS / "tak-102.yaml").read_text(encoding="utf-8")
    (data / "products" / "tak-102.yaml").write_text(
        text.replace("    disease_ids:\n    - advanced_solid_tumours\n", "    disease_ids: []\n"),
        encoding="utf-8",
    )
    r = _run(data, "link", "--db", db, "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.output)
    # its label stays (the model had it), its evidence and link change: the atlas's code now
    assert summary["relabelled"] == 0 and summary["changed"] >= 1 and summary["problems"] == []
    after = _label(db, "NCT04405778")
    assert (after["label"], after["cell_family"], after["origin"]) == (
        "cell_therapy", "CAR_T", "autologous")
    assert after["product_slugs"] == ["tak-102"]
    assert any(e["rule"] == "cell.known_product.CAR_T" for e in after["evidence"])
    assert not any(e["rule"].startswith("wording.") for e in after["evidence"])
    # the store knows which rules labelled it: one version now, another than before
    store = TrialStore(f"sqlite:///{db}")
    try:
        assert label_rules(store) == {summary["rules"]}
        assert summary["rules"] not in rules_before
    finally:
        store.close()
    # nothing else moved: a second run changes nothing
    r = _run(data, "link", "--db", db, "--json")
    again = json.loads(r.output)
    assert (again["relabelled"], again["changed"]) == (0, 0)


def test_link_exit_codes(db: str, tmp_path: Path) -> None:
    r = _run(ATLAS_DATA, "link", "--db", db, "--batch-size", "0")
    assert r.exit_code == 2 and "--batch-size" in r.output
    r = _run(tmp_path / "no-such-data", "link", "--db", db)
    assert r.exit_code == 1
    assert "cannot read the atlas products" in r.output
    # the links were left as they were
    assert {k for k, v in _linked(db).items() if v == ["cartistem"]} == CARTISTEM_TRIALS


def test_ingest_without_an_atlas_stores_unlinked_trials(tmp_path: Path) -> None:
    db = str(tmp_path / "trials.sqlite")
    r = _run(tmp_path / "no-such-data", "ingest", str(FIX / "ctgov_legacy"), "--db", db, "-q")
    assert r.exit_code == 0, r.output
    assert "trials are stored without product links" in r.output
    assert all(v == [] for v in _linked(db).values()) and len(_linked(db)) == 30
