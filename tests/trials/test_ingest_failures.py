"""Ingest when the machine fails under it (issue 21, items 8 and 12): a full disk is one line,
not a traceback full of record bytes; workers end when the ingest process is killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from ctatlas.cli import app
from ctatlas.trials import store as store_mod

from .conftest import FIX, real_studies

runner = CliRunner()


def test_full_disk_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's own "database or disk is full" (its size capped with max_page_count)."""
    real_init = store_mod.TrialStore.__init__

    def capped(self, url, engine=None, *, readonly=False):  # type: ignore[no-untyped-def]
        real_init(self, url, engine, readonly=readonly)

        @sa.event.listens_for(self.engine, "connect")
        def _cap(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.execute("PRAGMA max_page_count=48")  # ~200 KB

        self.engine.dispose()  # every connection from now on is capped

    monkeypatch.setattr(store_mod.TrialStore, "__init__", capped)
    db = tmp_path / "trials.sqlite"
    args = ["trials", "ingest", str(FIX / "ctgov"), str(FIX / "ctgov_export"), "--db", str(db)]
    result = runner.invoke(app, [*args, "-q"])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: writing the trials store at sqlite:///{db} failed")
    assert "the disk is full" in lines[0] and "run the command again" in lines[0]
    assert "Traceback" not in result.output and "protocolSection" not in result.output
    store_mod.TrialStore(f"sqlite:///{db}").count()  # the store is still a database


def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.add(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_workers_end_with_a_killed_ingest(tmp_path: Path) -> None:
    studies = real_studies()
    records = tmp_path / "many.jsonl"
    with records.open("w") as fh:
        for copy in range(120):  # ~7,000 real records under new ids: ingest runs a while
            for s in studies:
                s = json.loads(json.dumps(s))
                ident = s["protocolSection"]["identificationModule"]
                ident["nctId"] = f"NCT9{copy:03d}{ident['nctId'][-4:]}"
                fh.write(json.dumps(s) + "\n")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from ctatlas.cli import main; main()", "trials", "ingest"]
        + [str(records)]
        + ["--workers", "2", "-q", "--db", str(tmp_path / "t.sqlite")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={
            **os.environ,
            "CTATLAS_DB": f"sqlite:///{tmp_path / 'atlas.sqlite'}",
            "CTATLAS_DATA": str(FIX.parent / "data"),
        },
    )
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2:
            assert proc.poll() is None, "the ingest ended before its workers were seen"
            assert time.monotonic() < deadline, "no workers appeared"
            workers = _children(proc.pid)
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers), "workers outlived the killed ingest"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
