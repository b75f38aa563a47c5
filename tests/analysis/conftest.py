"""Fixtures for the analysis tests: the small real dataset under tests/fixtures/report."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatlas.dataset import Dataset, load_dataset

REPORT_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "report"


@pytest.fixture(scope="session")
def report_dataset() -> Dataset:
    """The report fixture dataset, loaded once (read-only)."""
    return load_dataset(REPORT_DATA)
