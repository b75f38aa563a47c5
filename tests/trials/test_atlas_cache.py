"""The atlas's link specs and terms kept between runs (atlas_cache): the same answer as
building them, and never a stale one (a change of the data or of the code builds afresh).

The atlas is the small real fixture dataset (``tests/fixtures/data``, curated records cut from
``data/``), copied per test so it can be changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatlas.store import ensure_store
from ctatlas.trials import atlas_cache
from ctatlas.trials.atlas_terms import cell_terms
from ctatlas.trials.link import product_specs


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the real builds (each one still runs)."""
    calls: list[int] = []
    real = atlas_cache._build

    def counted(atlas):
        calls.append(1)
        return real(atlas)

    monkeypatch.setattr(atlas_cache, "_build", counted)
    return calls


def _same(got, atlas) -> None:
    specs, terms = got
    assert specs == product_specs(atlas)
    fresh = cell_terms(atlas)
    assert terms.fingerprint == fresh.fingerprint
    assert terms.keys == fresh.keys and terms.codes == fresh.codes


def test_second_run_reads_the_cache_and_gets_the_same_answer(sqlite_url, data_copy, builds):
    atlas = ensure_store(sqlite_url, data_copy)
    first = atlas_cache.specs_and_terms(atlas)
    assert atlas_cache.cache_path(atlas.url).is_file()
    again = atlas_cache.specs_and_terms(ensure_store(sqlite_url, data_copy))
    assert len(builds) == 1
    _same(first, atlas)
    _same(again, atlas)
    assert "CTL019" in again[1].codes


def test_a_change_of_the_data_builds_afresh(sqlite_url, data_copy, builds):
    atlas_cache.specs_and_terms(ensure_store(sqlite_url, data_copy))
    path = data_copy / "products" / "tisagenlecleucel.yaml"
    path.write_text(path.read_text().replace("codes:\n- CTL019\n", "codes:\n- CTL019\n- CTL0X9\n"))
    atlas = ensure_store(sqlite_url, data_copy)  # rebuilt: the data's hash changed
    specs, terms = atlas_cache.specs_and_terms(atlas)
    assert len(builds) == 2
    assert "CTL0X9" in terms.codes
    assert "CTL0X9" in {s[0]: s[2] for s in specs}["tisagenlecleucel"]
    _same((specs, terms), atlas)


def test_a_change_of_the_code_builds_afresh(sqlite_url, data_copy, builds, monkeypatch):
    atlas = ensure_store(sqlite_url, data_copy)
    atlas_cache.specs_and_terms(atlas)
    monkeypatch.setattr(atlas_cache, "code_fingerprint", lambda: "a rule changed")
    _same(atlas_cache.specs_and_terms(atlas), atlas)
    assert len(builds) == 2
    atlas_cache.specs_and_terms(atlas)  # and that answer is kept for the changed code
    assert len(builds) == 2


def test_code_fingerprint_follows_every_source_file(tmp_path: Path):
    pkg = tmp_path / "pkg"
    (pkg / "trials").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    rules = pkg / "trials" / "rules.py"
    rules.write_text("RULES_VERSION = '1'\n")
    before = atlas_cache.code_fingerprint.__wrapped__(pkg)
    rules.write_text("RULES_VERSION = '2'\n")
    after = atlas_cache.code_fingerprint.__wrapped__(pkg)
    (pkg / "trials" / "new_rules.py").write_text("")
    added = atlas_cache.code_fingerprint.__wrapped__(pkg)
    assert len({before, after, added}) == 3


def test_a_torn_or_foreign_cache_file_is_rebuilt_without_error(sqlite_url, data_copy, builds):
    atlas = ensure_store(sqlite_url, data_copy)
    path = atlas_cache.cache_path(atlas.url)
    atlas_cache.specs_and_terms(atlas)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # cut short after its key
    _same(atlas_cache.specs_and_terms(atlas), atlas)
    path.write_bytes(b"not a cache\n")
    _same(atlas_cache.specs_and_terms(atlas), atlas)
    assert len(builds) == 3
    assert path.read_bytes()[:64] == good[:64]  # rewritten with today's key


def test_an_unwritable_folder_means_no_cache_not_an_error(sqlite_url, data_copy, builds,
                                                          monkeypatch, tmp_path):
    atlas = ensure_store(sqlite_url, data_copy)
    missing = tmp_path / "no-such-folder" / "atlas.sqlite.trials-terms"
    monkeypatch.setattr(atlas_cache, "cache_path", lambda url: missing)
    _same(atlas_cache.specs_and_terms(atlas), atlas)
    _same(atlas_cache.specs_and_terms(atlas), atlas)
    assert len(builds) == 2 and not missing.parent.exists()
