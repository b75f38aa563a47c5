"""Smoke run of ``benchmarks/wording_scores.py`` (the wording model's scores before and after
session 13's `perf4` changes): its comparison on a readable set prints counts only, and its
reader of a judging set's records passes over the gold files without opening them. No judging
set is read here."""

from __future__ import annotations

import importlib.util
import shutil
import sys

import pytest

from .conftest import BENCHMARKS

FIX = BENCHMARKS.parent / "tests" / "fixtures" / "trials"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCHMARKS))  # it imports trials_ingest and wording_backtest
    try:
        spec = importlib.util.spec_from_file_location("wording_scores",
                                                      BENCHMARKS / "wording_scores.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_a_judging_sets_records_are_read_and_its_gold_files_never_opened(bench, monkeypatch,
                                                                          tmp_path, capsys):
    # a stand-in folder: a readable set's real record file, and gold files that cannot be
    # opened (a dangling link): reading them would fail
    base = tmp_path / "judge9"
    base.mkdir()
    shutil.copy(FIX / "tuning5" / "ctgov_export_urology_rows.csv", base / "a_urology_rows.csv")
    (base / "gold_part_a.csv").symlink_to(tmp_path / "nowhere.csv")
    (base / "gold_part_b.csv").symlink_to(tmp_path / "nowhere.csv")
    monkeypatch.setattr(bench.wb, "FIXTURES", tmp_path)
    studies = bench._records("judge9")
    half_b = bench._records("judge9", "B")
    assert studies and 0 < len(half_b) < len(studies)
    assert bench.compare("stand-in (count only)", studies) == 0
    out = capsys.readouterr().out
    assert f"{len(studies):6d} studies" in out and "0 decisions differ" in out
    assert not any(t.trial_id in out for t in studies)  # counts only, never an id


def test_the_cost_mode_times_both_steps_in_turns(bench, capsys):
    bench.cost(30, 5, 2)
    out = capsys.readouterr().out
    assert "ingest corpus: 30 studies, 1 in 5" in out
    firsts = [x for x in out.splitlines() if x.startswith("the model's step")]
    assert [x.split(":")[0].split()[-1] for x in firsts] == ["shipped", "now"]
    assert all(len(x.split("(")[1].split(",")) == 2 for x in firsts)  # both timed each round
    assert "now / first" in out and "load average" in out
