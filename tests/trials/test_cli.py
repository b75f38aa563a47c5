"""``ctatlas trials`` through CliRunner; the store is then opened to check what landed."""

from __future__ import annotations

import json
import zipfile

import httpx
import pytest
from typer.testing import CliRunner

from ctatlas.cli import app
from ctatlas.trials.store import TrialStore

from .conftest import FIX, make_bulk_zip, real_studies
from .test_fetch import paged_transport

runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "trials.sqlite")


def test_ingest_list_stats(db):
    r = runner.invoke(
        app, ["trials", "ingest", str(FIX / "ctgov_legacy"), str(FIX / "ictrp"), "--db", db, "-q"]
    )
    assert r.exit_code == 0, r.output
    assert "155 records: 155 new, 0 updated, 0 unchanged; 0 skipped" in r.output
    r = runner.invoke(app, ["trials", "ingest", str(FIX / "ctgov_legacy"), "--db", db, "-q"])
    assert "30 records: 0 new, 0 updated, 30 unchanged" in r.output

    r = runner.invoke(app, ["trials", "list", "--db", db, "--format", "json"])
    rows = json.loads(r.output)
    assert len(rows) >= 36 and all(x["label"] == "cell_therapy" for x in rows)
    assert set(rows[0]) >= {
        "registry",
        "trial_id",
        "secondary_ids",
        "title",
        "phases",
        "status",
        "start_date",
        "countries",
        "sponsor",
        "sponsor_class",
        "conditions",
        "interventions",
        "label",
        "cell_class",
        "cell_family",
        "stem_type",
        "origin",
        "evidence",
        "product_slugs",
    }
    assert all({"field", "text", "rule"} <= set(e) for x in rows for e in x["evidence"])

    r = runner.invoke(
        app, ["trials", "list", "--db", db, "--label", "all", "--country", "IN", "--format", "csv"]
    )
    assert r.exit_code == 0 and r.output.startswith("registry,trial_id")
    r = runner.invoke(
        app, ["trials", "list", "--db", db, "--family", "MSC", "--origin", "autologous"]
    )
    assert r.exit_code == 0 and "trials" in r.output

    r = runner.invoke(app, ["trials", "stats", "--db", db, "--format", "json"])
    stats = json.loads(r.output)
    assert stats and set(stats[0]) == {"country", "phase", "cell_class", "year", "trials"}
    r = runner.invoke(
        app, ["trials", "stats", "--db", db, "--by", "country,year", "--country", "US"]
    )
    assert r.exit_code == 0 and "US" in r.output
    r = runner.invoke(app, ["trials", "stats", "--db", db, "--by", "region", "--format", "json"])
    regions = {x["region"]: x["trials"] for x in json.loads(r.output)}
    assert regions["world"] == len(rows) and regions.get("KR", 0) <= regions["world"]


def test_corrupt_member_exit_code_and_message(db, tmp_path):
    z = make_bulk_zip(tmp_path / "b.zip", real_studies()[:5])
    with zipfile.ZipFile(z) as zf:
        info = sorted(zf.infolist(), key=lambda i: i.header_offset)[1]
    data = bytearray(z.read_bytes())
    pos = info.header_offset + 30 + len(info.filename.encode()) + 5
    data[pos : pos + 30] = b"\xff" * 30
    z.write_bytes(bytes(data))
    r = runner.invoke(app, ["trials", "ingest", str(z), "--db", db, "-q"])
    assert r.exit_code == 3
    assert f"skipped: {z}!{info.filename}:" in r.output
    assert "4 records: 4 new" in r.output
    assert TrialStore(f"sqlite:///{db}").count() == 4


def test_bad_parameters(db):
    for args in (
        ["trials", "list", "--label", "cells"],
        ["trials", "list", "--phase", "5"],
        ["trials", "list", "--country", "Japan"],
        ["trials", "ingest", "x", "--registry", "euctr"],
        ["trials", "stats", "--by", "planet"],
        ["trials", "fetch"],
    ):
        r = runner.invoke(app, [*args, "--db", db])
        assert r.exit_code == 2, (args, r.output)


def test_fetch_command_uses_the_injectable_client(db, monkeypatch):
    import ctatlas.cli.trials as cli

    studies = real_studies()[11:31]
    monkeypatch.setattr(
        cli, "_client", lambda: httpx.Client(transport=paged_transport(studies, 10))
    )
    r = runner.invoke(
        app,
        [
            "trials",
            "fetch",
            "--query",
            "cell",
            "--country",
            "Japan",
            "--page-size",
            "10",
            "--rate",
            "0",
            "--db",
            db,
            "-q",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "20 records: 20 new" in r.output


def test_help_is_fast_to_import():
    import subprocess
    import sys

    code = (
        "import sys, ctatlas.cli; "
        "print(any(m in sys.modules for m in ('sqlalchemy', 'httpx', 'orjson')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


@pytest.mark.parametrize("columns", ["80", "200"])
def test_list_table_never_cuts_the_trial_id(db, columns):
    """The id is what `trials show` takes next: whole at 80 columns (fewer columns) and wide."""
    r = runner.invoke(app, ["trials", "ingest", str(FIX / "ictrp"), "--db", db, "-q"])
    assert r.exit_code == 0, r.output
    ids = [
        x["trial_id"]
        for x in json.loads(
            runner.invoke(
                app, ["trials", "list", "--db", db, "--label", "all", "-f", "json"]
            ).output
        )
    ]
    assert any(len(i) >= 14 for i in ids)  # jRCT ids, the longest
    r = runner.invoke(
        app, ["trials", "list", "--db", db, "--label", "all"], env={"COLUMNS": columns}
    )
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert max(len(line) for line in lines) <= int(columns)
    cells = {cell.strip() for line in lines for cell in line.split("│")}
    assert set(ids) <= cells
    assert ("┃ origin" in lines[1]) is (columns == "200")  # narrow keeps the main columns
