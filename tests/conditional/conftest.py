"""Conditional-approval fixtures: a store built from tests/fixtures/conditional (real records
copied from data/products/, see tests/fixtures/README.md) on SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CONDITIONAL_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "conditional"


@pytest.fixture
def conditional_data(tmp_path: Path) -> Path:
    """A writable copy of the conditional fixture dataset."""
    target = tmp_path / "data"
    shutil.copytree(CONDITIONAL_DATA, target)
    return target


@pytest.fixture
def conditional_store(conditional_data: Path, any_db_url: str):  # type: ignore[no-untyped-def]
    """The fixture dataset built into a real store on each backend, and a reader of it."""
    from ctatlas.dataset import load_dataset
    from ctatlas.store import build_store, open_store

    build_store(load_dataset(conditional_data), any_db_url)
    return open_store(any_db_url)
