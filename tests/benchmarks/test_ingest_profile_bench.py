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
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]  # its work folder is removed
