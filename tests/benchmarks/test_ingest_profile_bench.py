"""Smoke run of ``benchmarks/ingest_profile.py`` on a tiny corpus (no timings asserted: the
figures live in benchmarks/README.md)."""

from __future__ import annotations

from pathlib import Path

from .conftest import run_tiny


def test_every_part_of_ingest_is_timed_and_every_study_has_a_kind(tmp_path: Path) -> None:
    got, stdout = run_tiny("ingest_profile.py", tmp_path)
    assert got["studies"] == 30
    for part in ("walk", "unzip", "decode", "write", "classify", "link", "row", "hash", "raw",
                 "ingest_items"):
        assert got[part] >= 0, part
    kinds = got["classify_by_kind"]
    assert sum(count for count, _ in kinds.values()) == 30
    # one study in 5 carries a real cell-therapy trial's words: some are labelled, most not
    assert kinds["labelled a cell therapy / HSCT / acellular"][0] >= 1
    assert kinds["no stem (early exit)"][0] + kinds["stem inside another word"][0] >= 15
    assert set(got["startup"]) == {"python", "imports", "imports + atlas terms"}
    assert "= the floor" in stdout and "the rest" in stdout
    # the rest split inside one traced run (session 14): every study went through the traced
    # process_item and every batch through the traced write_batch, and the split adds up
    inside = got["inside"]
    assert inside["process_item"] > 0 and inside["write_batch"] > 0
    assert inside["process_item"] + inside["write_batch"] <= inside["run"] + 1e-9
    assert all(v["passes"] >= 1 for v in inside["gc"].values())
    assert "of the rest is the spread" in stdout
    # the whole process: fresh processes, each ingesting twice (cold, then warm)
    for run in ("first", "again"):
        assert set(got["whole"][run]) == {"wall", "user", "sys"}
        assert got["whole"][run]["user"] > 0
    assert "paid once per process" in stdout
    # the figures to resolve on: the command and its start-up in fresh processes, the bound's
    # decode, and the middle row's minimum, which is part of classifying those studies
    for kind in ("command", "startup"):
        assert got["command"][kind]["cpu"] > 0 and got["command"][kind]["wall"] > 0
    assert got["orjson"] > 0
    middle_n, middle = kinds["stem inside another word"]
    assert 0 <= got["middle_judged"] <= middle_n
    assert 0 < got["minimum_middle"] <= middle * 1.5 + 0.01
    r = got["resolve"]
    assert r["floor"] < r["with_minimum"] and r["bound"] > 0
    assert "floor + minimum + linking" in stdout
    # the same denominator as whole passes in fresh processes (session 15), both ratios printed
    _assert_whole_passes(got, r, runs=1)
    assert r["ratio_per_study"] == r["command_net_cpu"] / r["with_minimum"]
    assert "the per-study fastest (above)" in stdout and "the whole passes" in stdout
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]  # its work folder is removed


def _assert_whole_passes(got: dict, r: dict, runs: int) -> None:
    passes = got["command"]["passes"]
    assert len(passes["runs"]) == runs
    for run in passes["runs"]:
        assert set(run) == {"read", "minimum", "link", "write", "sum"}
        assert all(run[k] > 0 for k in ("read", "minimum", "write")), run
        assert run["sum"] == sum(run[k] for k in ("read", "minimum", "link", "write"))
    assert passes["fastest_sum"] == min(run["sum"] for run in passes["runs"])
    assert r["with_minimum_whole"] == passes["sum"]
    assert r["ratio_whole"] == r["command_net_cpu"] / passes["sum"]


def test_whole_only_times_the_command_and_the_whole_passes_in_turns(tmp_path: Path) -> None:
    got, stdout = run_tiny("ingest_profile.py", tmp_path, "--whole-only", repeat=2)
    # no per-study parts: only the command, its start-up and the passes, each run twice
    assert "classify_by_kind" not in got and "ingest_items" not in got
    for kind in ("command", "startup"):
        assert got["command"][kind]["cpu"] > 0
    r = got["resolve"]
    _assert_whole_passes(got, r, runs=2)
    assert r["ratio_per_study"] is None
    assert "floor + minimum + linking, whole passes" in stdout
    assert "the per-study fastest" not in stdout
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]
