"""Hostile data files and killed builds (issue 21, items 5, 6, 11, 15).

Every bad input is generated here from the real fixture records: an impossible unquoted date, a
byte that is not UTF-8, a file with hundreds of problems, a build killed half way. Each must end
in ``file:line: field: reason`` lines (never a traceback) or a clean next build.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ctatlas import store as store_mod
from ctatlas import yamlio
from ctatlas.canonical import format_data
from ctatlas.cli import app
from ctatlas.dataset import ProblemCode, load_dataset, validate_dataset

BASE = "maci"  # a real US record in tests/fixtures/data/products


def _product(root: Path) -> Path:
    return root / "products" / f"{BASE}.yaml"


def _replace(path: Path, old: str, new: str) -> int:
    """Replace ``old`` once; return the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


@pytest.mark.parametrize("bad", ["2019-13-45", "2019-02-30", "2019-00-10"])
def test_unquoted_impossible_date_is_a_problem_with_its_line(data_copy: Path, bad: str) -> None:
    line = _replace(_product(data_copy), "approval_date: '2016-12-13'", f"approval_date: {bad}")
    dataset, problems = validate_dataset(data_copy)
    assert dataset is None
    (problem,) = problems
    assert problem.file == f"products/{BASE}.yaml"
    assert problem.line == line
    assert problem.field == "authorizations[0].approval_date"
    assert problem.code is ProblemCode.schema
    assert problem.message.startswith("Value error, ")


def test_impossible_date_in_a_plain_date_field(data_copy: Path) -> None:
    path = _product(data_copy)
    text = path.read_text(encoding="utf-8")
    old = next(ln for ln in text.splitlines() if ln.strip().startswith("accessed:"))
    line = _replace(path, old, old.split(":")[0] + ": 2024-02-30")
    _, problems = validate_dataset(data_copy)
    (problem,) = problems
    assert (problem.line, problem.field.rsplit(".", 1)[-1]) == (line, "accessed")


def test_valid_unquoted_date_still_loads(data_copy: Path) -> None:
    _replace(_product(data_copy), "approval_date: '2016-12-13'", "approval_date: 2016-12-13")
    dataset, problems = validate_dataset(data_copy)
    assert problems == [] and dataset is not None
    assert dataset.product(BASE).authorizations[0].approval_date == "2016-12-13"


def test_non_utf8_byte_names_file_line_and_byte(data_copy: Path) -> None:
    path = _product(data_copy)
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4] + b" # caf\xe9"  # Latin-1, not UTF-8
    path.write_bytes(b"\n".join(lines))
    dataset, problems = validate_dataset(data_copy)
    assert dataset is None
    (problem,) = problems
    assert problem.code is ProblemCode.encoding
    assert problem.line == 5
    assert "byte 0xe9 at line 5" in problem.message
    assert problem.hint == "save the file as UTF-8"
    # fmt names it the same way and rewrites nothing
    result = format_data(data_copy, check=False)
    assert [(p.file, p.line, p.code) for p in result.problems] == [
        (f"products/{BASE}.yaml", 5, ProblemCode.encoding)
    ]
    assert b"caf\xe9" in path.read_bytes()


def test_crlf_files_read_as_before(data_copy: Path) -> None:
    path = _product(data_copy)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert "\r" not in yamlio.read(path)
    assert validate_dataset(data_copy)[1] == []


def test_cli_validate_and_build_report_hostile_files_in_one_line_each(
    runner: CliRunner, data_copy: Path, tmp_path: Path
) -> None:
    line = _replace(_product(data_copy), "approval_date: '2016-12-13'", "approval_date: 2019-13-45")
    other = next(p for p in sorted((data_copy / "products").glob("*.yaml")) if p.stem != BASE)
    other.write_bytes(b"\xff\xfe" + other.read_bytes())
    db = f"sqlite:///{tmp_path / 'atlas.db'}"
    for args in (
        ["validate", str(data_copy)],
        ["validate", "--data", str(data_copy)],
        ["--data", str(data_copy), "validate"],
        ["build", "--db", db, "--data", str(data_copy)],
        ["--db", db, "--data", str(data_copy), "products"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output
        err = result.stderr.splitlines()
        assert any(
            e.startswith(f"products/{BASE}.yaml:{line}: authorizations[0].approval_date: ")
            for e in err
        ), err
        assert any(
            e.startswith(f"products/{other.name}:1: (file): the file is not UTF-8") for e in err
        ), err
        assert "2 error(s)" in result.stderr
    assert not (tmp_path / "atlas.db").exists()


def test_validate_data_option_and_argument(runner: CliRunner, data_copy: Path) -> None:
    ok = runner.invoke(app, ["validate", "--data", str(data_copy)])
    assert ok.exit_code == 0 and ok.stdout.startswith("ok: ")
    same = runner.invoke(app, ["validate", str(data_copy), "--data", str(data_copy)])
    assert same.exit_code == 0
    two = runner.invoke(app, ["validate", str(data_copy), "--data", str(data_copy / "products")])
    assert two.exit_code == 2
    assert "two data folders given" in two.stderr


def test_many_problems_in_one_file_parse_it_once(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding the lines of N problems in one file costs one parse, not N (issue 21, item 6)."""
    doc = yamlio.load_text(_product(data_copy).read_text(encoding="utf-8"))
    auth = doc["authorizations"][0]
    doc["authorizations"] = [
        {**auth, "status": "live", "pathway": f"p{i}"} for i in range(150)
    ]  # two problems per authorization, plus the cross-checks
    _product(data_copy).write_text(yamlio.dump_canonical(doc), encoding="utf-8")
    parses = []
    real = yamlio._rt_yaml
    monkeypatch.setattr(yamlio, "_rt_yaml", lambda: parses.append(1) or real())
    _, problems = validate_dataset(data_copy)
    assert len(problems) >= 300
    assert len(parses) == 1
    lines = [p.line for p in problems if p.field.endswith(".status")]
    assert len(lines) == 150 and lines == sorted(lines) and len(set(lines)) == 150


# --------------------------------------------------------------------------- killed builds

_KILLABLE_BUILD = """
import sys, time
from ctatlas import store
from ctatlas.dataset import load_dataset
real = store._fill
def slow(conn, md, rows):
    real(conn, md, rows)
    print("filling", flush=True)
    time.sleep(600)
store._fill = slow
store.build_store(load_dataset(sys.argv[1]), sys.argv[2])
"""


def _start_build(data: Path, url: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLABLE_BUILD, str(data), url],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "filling"
    return proc


def test_next_build_cleans_what_a_killed_build_left(data_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "atlas.db"
    url = f"sqlite:///{target}"
    proc = _start_build(data_copy, url)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith("atlas.db.tmp-")]
    assert left, "the killed build should have left its temporary file"
    assert all(f"tmp-{proc.pid}-" in name for name in left)

    running = _start_build(data_copy, url)  # a build in progress is left alone
    try:
        store_mod.build_store(load_dataset(data_copy), url)
        names = sorted(p.name for p in tmp_path.iterdir())
        assert not any(f"tmp-{proc.pid}-" in n for n in names)
        assert any(f"tmp-{running.pid}-" in n for n in names)
        assert "atlas.db" in names
    finally:
        running.kill()
        running.communicate()


def test_a_day_old_temporary_file_is_stale_whatever_its_pid(tmp_path: Path) -> None:
    target = tmp_path / "atlas.db"
    mine = tmp_path / f"atlas.db.tmp-{os.getpid()}-0000abcd"
    mine.write_bytes(b"x")
    unrelated = tmp_path / "atlas.db.tmp-notapid"
    unrelated.write_bytes(b"x")
    assert store_mod.clean_stale_builds(target) == []  # ours, and fresh: a build in progress
    old = time.time() - store_mod.STALE_BUILD_SECONDS - 60
    os.utime(mine, (old, old))
    assert store_mod.clean_stale_builds(target) == [mine]
    assert unrelated.exists()


def _schemas(url: str) -> set[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {n for (n,) in conn.execute(sa.text("SELECT nspname FROM pg_namespace"))}
    finally:
        engine.dispose()


def test_a_killed_postgres_build_leaves_no_schema_and_the_old_store(
    data_copy: Path, pg_url: str
) -> None:
    import sqlalchemy as sa

    store_mod.build_store(load_dataset(data_copy), pg_url)
    before = store_mod.Store(pg_url).meta()["data_hash"]
    # what a killed build of an earlier version left committed
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(sa.text('CREATE SCHEMA "ctatlas_build_0123456789ab"'))
        conn.execute(sa.text('CREATE TABLE "ctatlas_build_0123456789ab".meta (key text)'))
    engine.dispose()

    proc = _start_build(data_copy, pg_url)  # filled, in its transaction, then killed
    assert not [s for s in _schemas(pg_url) if s.startswith("ctatlas_build_") and "0123" not in s]
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    # the old store is whole, and the killed build's schema never became visible
    assert store_mod.Store(pg_url).meta()["data_hash"] == before
    running = _start_build(data_copy, pg_url)  # a build in progress is not disturbed
    try:
        _replace(_product(data_copy), "notes:", "notes: Rebuilt.")  # a new data hash
        store_mod.build_store(load_dataset(data_copy), pg_url)
        left = [s for s in _schemas(pg_url) if s.startswith("ctatlas_build_")]
        assert left == [], f"build schemas left behind: {left}"
        assert store_mod.Store(pg_url).meta()["data_hash"] != before
    finally:
        running.kill()
        running.communicate()
    assert "ctatlas" in _schemas(pg_url)
