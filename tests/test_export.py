"""``ctatlas export`` and :mod:`ctatlas.export`: CSV, XLSX, JSON and a Frictionless Data Package
whose descriptor matches its CSVs and whose keys hold; the CLI writes the API's bytes."""

from __future__ import annotations

import csv
import io
import json
import warnings
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ctatlas.cli import app

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"


@pytest.fixture
def built(sqlite_url: str) -> str:
    from ctatlas.store import ensure_store

    ensure_store(sqlite_url, FIXTURE_DATA)
    return sqlite_url


def run(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--data", str(FIXTURE_DATA), *args])


@pytest.mark.parametrize("fmt", ["csv", "programs_csv", "xlsx", "json", "datapackage"])
def test_cli_writes_the_api_bytes(
    runner: CliRunner, built: str, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "out" / f"atlas.{fmt}"
    result = run(runner, "export", "--format", fmt, "--out", str(out), "--db", built)
    assert result.exit_code == 0, result.output
    assert f"Wrote 6 products and 5 programs as {fmt} to {out}" in result.stderr
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from ctatlas.store import open_store
    from ctatlas.web import create_app

    with TestClient(create_app(store=open_store(built), refresh_seconds=0)) as client:
        api = client.get(f"/api/v1/export/{fmt}").content
    if fmt == "xlsx":  # a zip whose entries carry the time of writing: compare the cells
        from openpyxl import load_workbook

        def cells(data: bytes) -> list[list[object]]:
            book = load_workbook(io.BytesIO(data), read_only=True)
            try:
                return [list(r) for s in book.worksheets for r in s.iter_rows(values_only=True)]
            finally:
                book.close()

        assert cells(out.read_bytes()) == cells(api)
    else:
        assert out.read_bytes() == api


def test_csv_one_row_per_authorization(runner: CliRunner, built: str, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    assert run(runner, "export", "-f", "csv", "-o", str(out), "--db", built).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 10
    kymriah = [r for r in rows if r["slug"] == "tisagenlecleucel"]
    assert {r["jurisdiction"] for r in kymriah} == {"US", "KR", "SG"}
    assert all(r["sources"].startswith("http") for r in rows)


def test_jurisdiction_filter_and_unknown_code(
    runner: CliRunner, built: str, tmp_path: Path
) -> None:
    out = tmp_path / "kr.json"
    result = run(runner, "export", "-f", "json", "-o", str(out), "-j", "kr", "--db", built)
    assert result.exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {a["jurisdiction"] for p in doc["products"] for a in p["authorizations"]} == {"KR"}
    assert [(p["slug"], p["stage"]) for p in doc["programs"]] == [("cartistem", "approved")]
    bad = run(runner, "export", "-f", "json", "-o", str(out), "-j", "XX", "--db", built)
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: unknown jurisdiction XX; known: CN, JP, KR, SG, US")


def test_bad_format_is_a_usage_error(runner: CliRunner, built: str, tmp_path: Path) -> None:
    result = run(runner, "export", "-f", "pdf", "-o", str(tmp_path / "x"), "--db", built)
    assert result.exit_code == 2 and not (tmp_path / "x").exists()


def test_datapackage_descriptor_matches_its_tables(
    runner: CliRunner, built: str, tmp_path: Path
) -> None:
    out = tmp_path / "dp.zip"
    assert run(runner, "export", "-f", "datapackage", "-o", str(out), "--db", built).exit_code == 0
    archive = zipfile.ZipFile(out)
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["profile"] == "tabular-data-package"
    assert set(archive.namelist()) == {"datapackage.json"} | {
        r["path"] for r in descriptor["resources"]
    }
    tables: dict[str, list[dict[str, str]]] = {}
    for resource in descriptor["resources"]:
        text = archive.read(resource["path"]).decode("utf-8")
        reader = csv.DictReader(io.StringIO(text))
        fields = [f["name"] for f in resource["schema"]["fields"]]
        assert reader.fieldnames == fields, resource["name"]
        tables[resource["name"]] = list(reader)
        assert resource["stats"]["rows"] == len(tables[resource["name"]])
        assert {f["type"] for f in resource["schema"]["fields"]} <= {
            "string",
            "integer",
            "boolean",
            "date",
        }
    for resource in descriptor["resources"]:
        rows = tables[resource["name"]]
        schema = resource["schema"]
        if "primaryKey" in schema:
            keys = [tuple(r[k] for k in schema["primaryKey"]) for r in rows]
            assert len(keys) == len(set(keys)), resource["name"]
        for fk in schema.get("foreignKeys", []):
            target = tables[fk["reference"]["resource"]]
            known = {tuple(r[k] for k in fk["reference"]["fields"]) for r in target}
            for row in rows:
                value = tuple(row[k] for k in fk["fields"])
                assert value in known, (resource["name"], value)
    assert len(tables["authorizations"]) == 10 and len(tables["products"]) == 6
    # programs: every program, of authorized therapies and of therapies only in development
    assert sorted(r["program_id"] for r in tables["programs"]) == [
        "cartistem:0",
        "cartistem:1",
        "cartistem:2",
        "cartistem:3",
        "hs-001:0",
    ]
    assert "hs-001" not in {r["slug"] for r in tables["products"]}
    dates = [r["accessed"] for r in tables["sources"]]
    assert all(len(d) == 10 for d in dates)
    # a source read through a copy names the original in url and the copy in read_via
    via = [r for r in tables["sources"] if r["read_via"]]
    assert via and all("fda.gov" in r["url"] and r["read_via"] != r["url"] for r in via)


def test_export_replaces_atomically(built: str, tmp_path: Path, monkeypatch) -> None:
    from ctatlas import export as export_module
    from ctatlas.store import open_store

    store = open_store(built)
    out = tmp_path / "a.csv"
    out.write_text("old", encoding="utf-8")

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_module, "_csv", broken)
    with pytest.raises(RuntimeError):
        export_module.write_export(
            "csv", out, store.products(), store.jurisdictions(), store.diseases()
        )
    assert out.read_text(encoding="utf-8") == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".a.csv.")]


def test_programs_in_every_format(runner: CliRunner, built: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "programs.csv"
    result = run(runner, "export", "-f", "programs_csv", "-o", str(out), "-j", "JP", "--db", built)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert sorted((r["program_id"], r["stage"], r["status"]) for r in rows) == [
        ("cartistem:0", "phase3", "active"),
        ("cartistem:3", "phase2", "discontinued"),
        ("hs-001:0", "phase1_2", "unknown"),
    ]
    assert {r["cell_family"] for r in rows} == {"MSC", "iPSC_derived"}
    xlsx = tmp_path / "a.xlsx"
    assert run(runner, "export", "-f", "xlsx", "-o", str(xlsx), "--db", built).exit_code == 0
    book = load_workbook(xlsx, read_only=True)
    try:
        sheet = list(book["programs"].iter_rows(values_only=True))
    finally:
        book.close()
    assert sheet[0][:3] == ("program_id", "slug", "name") and len(sheet) == 6
    as_json = tmp_path / "a.json"
    assert run(runner, "export", "-f", "json", "-o", str(as_json), "--db", built).exit_code == 0
    doc = json.loads(as_json.read_text(encoding="utf-8"))
    assert len(doc["programs"]) == 5
    assert "hs-001" not in {p["slug"] for p in doc["products"]}
