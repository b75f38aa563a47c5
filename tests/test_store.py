"""The store: round trips, atomic builds and staleness, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatlas import store as store_mod
from ctatlas.dataset import load_dataset
from ctatlas.model import Product
from ctatlas.store import Store, build_store, ensure_store, open_store


def test_model_store_model_round_trip(data_copy: Path, any_db_url: str) -> None:
    dataset = load_dataset(data_copy)
    build_store(dataset, any_db_url)
    reader = open_store(any_db_url)
    docs = reader.therapies()
    assert [d["slug"] for d in docs] == sorted(p.slug for p in dataset.products)
    for doc in docs:
        assert Product.model_validate(doc) == dataset.product(doc["slug"])
    # a therapy only in development (hs-001, with its program) is stored but is not a product
    assert [d["slug"] for d in reader.products()] == sorted(
        p.slug for p in dataset.products if p.authorizations
    )
    assert "hs-001" not in {d["slug"] for d in reader.products()}
    assert reader.product("hs-001")["programs"][0]["jurisdiction"] == "JP"
    assert reader.meta()["data_hash"] == dataset.data_hash
    assert set(reader.jurisdictions()) == set(dataset.jurisdictions)
    assert len(reader.diseases()) == len(dataset.diseases.diseases)


def test_interrupted_build_leaves_the_old_store_intact(
    data_copy: Path, any_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = load_dataset(data_copy)
    build_store(dataset, any_db_url)
    before = open_store(any_db_url).products()
    assert before

    def explode(conn, md, rows):  # type: ignore[no-untyped-def]
        conn.execute(md.tables["products"].insert(), rows["products"][:1])
        raise RuntimeError("power cut")

    monkeypatch.setattr(store_mod, "_fill", explode)
    smaller = load_dataset(data_copy)
    smaller.products = smaller.products[:1]
    with pytest.raises(RuntimeError, match="power cut"):
        build_store(smaller, any_db_url)
    assert open_store(any_db_url).products() == before


def test_no_temporary_files_left_behind(
    data_copy: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = Path(sqlite_url.removeprefix("sqlite:///"))
    build_store(load_dataset(data_copy), sqlite_url)
    monkeypatch.setattr(store_mod, "_fill", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        build_store(load_dataset(data_copy), sqlite_url)
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(target.name)] == [
        target.name
    ]


def test_ensure_store_builds_when_missing_and_rebuilds_when_content_changes(
    data_copy: Path, sqlite_url: str
) -> None:
    first = ensure_store(sqlite_url, data_copy)
    hash1 = first.meta()["data_hash"]
    built1 = first.meta()["built_at"]
    # same content: no rebuild, even if file times change
    for path in (data_copy / "products").glob("*.yaml"):
        path.touch()
    again = ensure_store(sqlite_url, data_copy)
    assert again.meta()["built_at"] == built1
    # changed content: rebuilt
    path = data_copy / "products" / "maci.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("MACI", "MACI®", 1), encoding="utf-8")
    rebuilt = ensure_store(sqlite_url, data_copy)
    assert rebuilt.meta()["data_hash"] != hash1


def test_reading_a_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    from ctatlas.errors import StoreError

    with pytest.raises(StoreError, match="no store at"):
        Store(f"sqlite:///{tmp_path / 'nothing.sqlite'}").products()
