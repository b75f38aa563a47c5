"""Exports that Excel opens cleanly, read back from the files: the CSV downloads start with a
UTF-8 byte-order mark (Excel then reads 카티스템 as UTF-8), the Data Package's CSVs stay plain
UTF-8 as its descriptor declares, the XLSX sheets keep their header row frozen with a filter on
every column, and written files (exports and the report) get the permissions of any new file
(0644 under umask 022), not the owner-only 0600 of a temporary file."""

from __future__ import annotations

import io
import json
import os
import stat
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ctatlas.cli import app

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def built(any_db_url: str) -> str:
    from ctatlas.store import ensure_store

    ensure_store(any_db_url, FIXTURE_DATA)
    return any_db_url


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def export(runner: CliRunner, db: str, fmt: str, out: Path) -> Path:
    result = runner.invoke(
        app, ["--data", str(FIXTURE_DATA), "export", "-f", fmt, "-o", str(out), "--db", db]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("any_db_url", ["sqlite", "postgres"], indirect=True)
def test_csv_downloads_carry_a_byte_order_mark(
    runner: CliRunner, built: str, tmp_path: Path
) -> None:
    import csv

    for fmt, first in (("csv", "slug"), ("programs_csv", "program_id")):
        data = export(runner, built, fmt, tmp_path / f"{fmt}.csv").read_bytes()
        assert data.startswith(BOM + first.encode()), fmt
        assert data.count(BOM) == 1
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows and first in rows[0], fmt
    rows = list(csv.DictReader(io.StringIO((tmp_path / "csv.csv").read_text("utf-8-sig"))))
    assert "카티스템" in {r["local_name"] for r in rows}
    # the API's download: the same bytes, declared as UTF-8
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from ctatlas.store import open_store
    from ctatlas.web import create_app

    with TestClient(create_app(store=open_store(built), refresh_seconds=0)) as client:
        r = client.get("/api/v1/export/csv?jurisdiction=KR")
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.content.startswith(BOM + b"slug,")


@pytest.mark.parametrize("any_db_url", ["sqlite"], indirect=True)
def test_datapackage_csvs_are_plain_utf8_as_declared(
    runner: CliRunner, built: str, tmp_path: Path
) -> None:
    archive = zipfile.ZipFile(export(runner, built, "datapackage", tmp_path / "dp.zip"))
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["resources"]
    for resource in descriptor["resources"]:
        assert resource["encoding"] == "utf-8"
        data = archive.read(resource["path"])
        assert not data.startswith(BOM), resource["path"]
        first = resource["schema"]["fields"][0]["name"]
        assert data.decode("utf-8").split(",", 1)[0] == first  # no stray mark in the header


@pytest.mark.parametrize("any_db_url", ["sqlite", "postgres"], indirect=True)
def test_xlsx_header_frozen_with_filters(runner: CliRunner, built: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from ctatlas.export import TABLES

    book = load_workbook(export(runner, built, "xlsx", tmp_path / "a.xlsx"))
    try:
        for name, (fields, _, _) in TABLES.items():
            sheet = book[name]
            assert sheet.freeze_panes == "A2", name
            last = sheet.cell(1, len(fields)).column_letter
            assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", name
            assert [c.value for c in sheet[1]] == [f.name for f in fields]
        assert book["authorizations"].max_row == 11  # the header and 10 authorizations
        assert book["about"].freeze_panes is None  # the about sheet is not a table
    finally:
        book.close()


@pytest.mark.parametrize("any_db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_written_files_get_normal_permissions(
    runner: CliRunner, built: str, tmp_path: Path, mask: int
) -> None:
    expected = 0o666 & ~mask
    with umask(mask):
        for fmt in ("csv", "xlsx", "json", "datapackage"):
            out = export(runner, built, fmt, tmp_path / f"export.{fmt}")
            assert stat.S_IMODE(out.stat().st_mode) == expected, (fmt, oct(out.stat().st_mode))
        # replacing an existing file keeps normal permissions too
        again = export(runner, built, "csv", tmp_path / "export.csv")
        assert stat.S_IMODE(again.stat().st_mode) == expected
        report = runner.invoke(
            app,
            ["--data", str(FIXTURE_DATA), "report", "--format", "html", "--db", built,
             "--out", str(tmp_path / "report.html")],
        )  # fmt: skip
        assert report.exit_code == 0, report.output
        mode = stat.S_IMODE((tmp_path / "report.html").stat().st_mode)
        assert mode == expected, oct(mode)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("any_db_url", ["sqlite", "postgres"], indirect=True)
def test_status_events_carry_the_new_holder_and_the_bound_of_an_undated_event(
    runner: CliRunner, any_db_url: str, tmp_path: Path
) -> None:
    """Holoclar's EU licence passed to Holostem (a holder_changed event) and NKM's Korean
    licence had ended by 2020-08-28 (an undated withdrawal bounded by not_after): both facts
    reach the status_events table in the Data Package's CSV and in the XLSX sheet."""
    import csv
    import shutil

    from openpyxl import load_workbook

    from ctatlas.store import ensure_store

    fixtures = Path(__file__).parent / "fixtures"
    data = tmp_path / "data"
    shutil.copytree(fixtures / "conditional", data)
    shutil.copy(fixtures / "events" / "products" / "nkm.yaml", data / "products" / "nkm.yaml")
    ensure_store(any_db_url, data)

    def run(fmt: str, out: Path) -> Path:
        result = runner.invoke(
            app, ["--data", str(data), "export", "-f", fmt, "-o", str(out), "--db", any_db_url]
        )
        assert result.exit_code == 0, result.output
        return out

    archive = zipfile.ZipFile(run("datapackage", tmp_path / "dp.zip"))
    rows = list(csv.DictReader(io.StringIO(archive.read("data/status_events.csv").decode("utf-8"))))
    assert {"not_after", "holder"} <= set(rows[0])
    nkm = [r for r in rows if r["authorization_id"].startswith("nkm:KR")]
    assert [(r["event"], r["date"], r["not_after"]) for r in nkm] == [
        ("conditionally_approved", "2007-08", ""),
        ("withdrawn", "", "2020-08-28"),
    ]
    changes = [r for r in rows if r["event"] == "holder_changed"]
    assert [(r["authorization_id"].split(":")[0], r["holder"]) for r in changes] == [
        ("holoclar", "Holostem Terapie Avanzate")
    ]
    assert all(r["holder"] == "" for r in rows if r["event"] != "holder_changed")

    book = load_workbook(run("xlsx", tmp_path / "a.xlsx"))
    try:
        sheet = book["status_events"]
        header = [c.value for c in sheet[1]]
        cells = [
            dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)
        ]
    finally:
        book.close()
    by_event = {(r["authorization_id"].split(":")[0], r["event"]): r for r in cells}
    assert by_event[("nkm", "withdrawn")]["not_after"] == "2020-08-28"
    assert by_event[("holoclar", "holder_changed")]["holder"] == "Holostem Terapie Avanzate"
