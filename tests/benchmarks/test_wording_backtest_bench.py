"""Smoke run of ``benchmarks/wording_backtest.py``'s judging mode (``--judge-heldout5``, for the
lead to run once) on a readable set standing in for held-out set 5, so that the command works
before it is used and prints totals only. Held-out set 5 itself is never read here."""

from __future__ import annotations

import importlib.util
import sys

import ctatlas.trials.evaluate as evaluate
from ctatlas.trials.wording_train import load_set, train

from .conftest import BENCHMARKS

FIX = BENCHMARKS.parent / "tests" / "fixtures" / "trials"


def _backtest_module():
    spec = importlib.util.spec_from_file_location("wording_backtest", BENCHMARKS /
                                                  "wording_backtest.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["wording_backtest"] = module
    spec.loader.exec_module(module)
    return module


def test_the_judging_mode_prints_totals_of_rules_and_c1_only(monkeypatch, capsys):
    bench = _backtest_module()
    stand_in = load_set(FIX, "tuning5")  # 136 real studies of a readable set
    monkeypatch.setattr(evaluate, "load_heldout5", lambda folder: stand_in)
    dev = load_set(FIX, "development")
    model = train([(t, int(r["gold_label"] == "cell_therapy")) for r, t in dev])
    asked = []
    monkeypatch.setattr(bench, "_current_model", lambda names=None: asked.append(names) or model)
    bench.judge_heldout5()
    out = capsys.readouterr().out
    assert "held-out set 5, whole, totals only: rules 16." in out
    assert f"{len(stand_in)} studies" in out
    lines = [x for x in out.splitlines() if x.startswith("  ")]
    assert [x.split(":")[0].split()[-2:] for x in lines] == [["rules", "alone"], ["+", "C1"]]
    assert "C2" not in out
    # the judged model of rules 16.18/16.19, never the shipped one trained on sets 5 and 6
    assert asked == [bench.SETS_AT_16_18]
    assert not {"judge5", "judge6"} & set(asked[0])
    gold = sum(r["gold_label"] == "cell_therapy" for r, _ in stand_in)
    tp, fn = (int(lines[0].split(f"{k}=")[1].split()[0]) for k in ("tp", "fn"))
    assert tp + fn == gold
    # no study of the set is named
    assert not any(t.trial_id in out for _, t in stand_in)
