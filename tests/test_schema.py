"""The committed JSON Schema is generated from the models and must be fresh."""

from __future__ import annotations

from pathlib import Path

from ctatlas.canonical import schema_documents, schema_text
from ctatlas.datafiles import data_files
from ctatlas.dataset import SCHEMAS

REPO_DATA = Path(__file__).resolve().parents[1] / "data"


def test_committed_schema_is_fresh() -> None:
    stale = []
    for name, doc in schema_documents().items():
        path = REPO_DATA / "schema" / name
        if not path.exists() or path.read_text(encoding="utf-8") != schema_text(doc):
            stale.append(name)
    assert not stale, f"stale schema {stale}: run `ctatlas schema`"


def test_every_data_file_points_editors_at_its_schema() -> None:
    for path in data_files(REPO_DATA):
        kind = {"products": "product", "jurisdictions": "jurisdiction"}.get(
            path.parent.name, "diseases"
        )
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema={SCHEMAS[kind]}", path
        assert (path.parent / SCHEMAS[kind]).resolve().exists()
