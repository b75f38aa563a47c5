"""The console script's end after ``trials ingest`` (issue 20): the command closes the store
(its last checkpoint) and the process ends without the interpreter's teardown, yet nothing
written or printed is lost and the exit code is the command's."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from .conftest import FIX

#: the console script, with a hook that prints at the interpreter's normal teardown
SCRIPT = (
    "import atexit; atexit.register(lambda: print('interpreter teardown', flush=True)); "
    "from ctatlas.cli import main; main()"
)


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "CTATLAS_DB": f"sqlite:///{tmp_path / 'atlas.sqlite'}",
            "CTATLAS_DATA": str(FIX.parent / "data"),
        },
    )


def _stored(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM trials").fetchone()[0]
    finally:
        con.close()


def test_ingest_ends_at_once_with_everything_in_the_store_file(tmp_path: Path) -> None:
    db = tmp_path / "trials.sqlite"
    proc = _run(
        tmp_path, "trials", "ingest", str(FIX / "ctgov_legacy"), str(FIX / "ictrp"),
        "--db", str(db), "-q", "--json",
    )
    assert proc.returncode == 0, proc.stderr
    assert "interpreter teardown" not in proc.stdout  # ended without the teardown
    summary = json.loads(proc.stdout)  # printed whole before the end
    assert summary["records"] == summary["inserted"] == 155
    # the store was closed first: its WAL is checkpointed into the file and removed
    assert not Path(f"{db}-wal").exists()
    assert _stored(db) == 155
    # and the run record was finished before the end
    con = sqlite3.connect(db)
    try:
        runs = con.execute("SELECT finished_at FROM ingest_runs").fetchall()
    finally:
        con.close()
    assert len(runs) == 1 and runs[0][0] is not None


def test_a_skipped_record_still_exits_3_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "broken.json").write_text('{"protocolSection": {')
    db = tmp_path / "trials.sqlite"
    proc = _run(
        tmp_path, "trials", "ingest", str(FIX / "ictrp"), str(bad), "--db", str(db), "-q"
    )
    assert proc.returncode == 3, proc.stderr
    assert "interpreter teardown" not in proc.stdout
    assert "125 records: 125 new" in proc.stdout
    assert "skipped: " in proc.stderr and "broken.json" in proc.stderr
    assert _stored(db) == 125


def test_other_commands_end_as_usual(tmp_path: Path) -> None:
    db = tmp_path / "trials.sqlite"
    proc = _run(tmp_path, "trials", "ingest", str(FIX / "ictrp"), "--db", str(db), "-q")
    assert proc.returncode == 0, proc.stderr
    proc = _run(tmp_path, "trials", "list", "--db", str(db), "--label", "all", "-f", "json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("interpreter teardown")


def test_a_flag_left_by_an_earlier_in_process_run_is_not_honoured(tmp_path: Path) -> None:
    """An embedding that ran the ingest in process (the flag set) and then the console entry
    for another command: that command ends as usual."""
    db = tmp_path / "trials.sqlite"
    code = (
        "import atexit, sys; atexit.register(lambda: print('interpreter teardown', flush=True))\n"
        "from ctatlas.cli.common import STATE\n"
        "STATE.exit_fast = True\n"
        f"sys.argv = ['ctatlas', 'trials', 'list', '--db', {str(db)!r}, '-f', 'json']\n"
        "from ctatlas.cli import main; main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, env={**os.environ,
                                            "CTATLAS_DB": f"sqlite:///{tmp_path / 'atlas.sqlite'}",
                                            "CTATLAS_DATA": str(FIX.parent / "data")})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("interpreter teardown")


def test_the_fast_end_writes_the_patterns_compiled_for_the_next_run(tmp_path: Path) -> None:
    from ctatlas.trials import recache

    path = recache.cache_path()  # in this test's CTATLAS_HOME, which the command inherits
    assert not path.exists()
    db = tmp_path / "trials.sqlite"
    proc = _run(tmp_path, "trials", "ingest", str(FIX / "ctgov"), "--db", str(db), "-q")
    assert proc.returncode == 0, proc.stderr
    assert "interpreter teardown" not in proc.stdout  # the fast end, and still ...
    assert path.read_bytes().startswith(recache._MAGIC)  # ... the patterns kept
    assert len(recache._read(path.read_bytes(), recache._reader()).index) > 50
