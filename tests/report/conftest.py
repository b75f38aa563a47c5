"""Fixtures for the report tests: the report fixture dataset and one rendering per format."""

from __future__ import annotations

from pathlib import Path

import pytest

REPORT_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "report"


@pytest.fixture(scope="session")
def report_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the store and the rendered files, shared by the report tests."""
    return tmp_path_factory.mktemp("report")


@pytest.fixture(scope="session")
def built_report():
    """The fixture dataset's report (today), computed once."""
    from ctatlas.analysis import landscape_from_dataset
    from ctatlas.dataset import load_dataset
    from ctatlas.report import build_report

    return build_report(landscape_from_dataset(load_dataset(REPORT_DATA)))
