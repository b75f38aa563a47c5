"""Compiled patterns kept between processes (issue 20): a pattern built from the kept code is
the one ``re.compile`` makes (``==`` compares flags, source and code), the facts read from a
parse are the ones the parse gives, and a file that is unreadable, refused or written by other
code is never trusted."""

from __future__ import annotations

import re
from re import _compiler as _c  # type: ignore[attr-defined]
from re import _parser as _p  # type: ignore[attr-defined]

import orjson
import pytest

from ctatlas.trials import fastre, prefilter, recache, rules
from ctatlas.trials.classify import classify
from ctatlas.trials.ctgov import normalise_study
from ctatlas.trials.rules import FAMILY_PATTERNS, INN_CEL

from .conftest import real_studies


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """A process's view of the cache: nothing loaded yet, the file in a home of its own."""
    monkeypatch.setenv("CTATLAS_HOME", str(tmp_path))
    monkeypatch.setattr(recache, "_S", recache._State())
    monkeypatch.setattr(recache, "_OFF", [False])

    def next_process() -> None:
        recache.save()
        monkeypatch.setattr(recache, "_S", recache._State())

    return next_process


def _folded_patterns() -> list[str]:
    return sorted({f.pattern for f in _all_folded()})


def _facts(f: fastre.Folded) -> tuple:
    return (f._rx, f._need, f._branches, f._firsts)


def test_every_rule_pattern_is_built_from_the_file_as_re_compiles_it(fresh, monkeypatch):
    patterns = _folded_patterns()
    assert len(patterns) > 40
    first = [_facts(fastre.Folded(p)) for p in patterns]
    fresh()  # written at the end of the first process, read by the next
    assert recache.cache_path().exists()
    parses = []
    real_parse = _p.parse
    monkeypatch.setattr(_p, "parse", lambda *a, **k: parses.append(a) or real_parse(*a, **k))
    again = [_facts(fastre.Folded(p)) for p in patterns]
    assert parses == []  # nothing parsed: every pattern and fact came from the file
    assert again == first
    monkeypatch.setattr(_p, "parse", real_parse)
    with monkeypatch.context() as m:  # and both are what the code computes without the file
        m.setattr(recache, "_OFF", [True])
        assert [_facts(fastre.Folded(p)) for p in patterns] == first
    for f, p in zip(again, patterns, strict=True):
        assert p in f[0].pattern and f[0] == re.compile(f[0].pattern)  # flags, source, code


def test_the_gate_s_checks_from_the_file_are_those_compiled_from_the_parse(fresh, monkeypatch):
    patterns = {**FAMILY_PATTERNS, "inn": INN_CEL.pattern}
    first = prefilter.Gate(patterns)
    fresh()
    parses = []
    real_parse = _p.parse
    monkeypatch.setattr(_p, "parse", lambda *a, **k: parses.append(a) or real_parse(*a, **k))
    again = prefilter.Gate(patterns)
    monkeypatch.setattr(_p, "parse", real_parse)
    assert parses == []  # its analysis and its checks came from the file
    with monkeypatch.context() as m:
        m.setattr(recache, "_OFF", [True])
        plain = prefilter.Gate(patterns)
    assert len(plain.checks) > 50
    assert again.checks == first.checks == plain.checks  # (back, pattern): the code compared
    for gate in (first, again):  # and everything else read from the parses
        for name in ("branches", "always", "need", "literals", "_all", "_users"):
            assert getattr(gate, name) == getattr(plain, name), name
    text = "autologous car-t cells and mesenchymal stem cells in the immune system"
    assert again.live(text, list(patterns)) == plain.live(text, list(patterns))


def _unprepare(monkeypatch) -> None:
    """Every rule pattern and gate as before its first use (compiled again when next used)."""
    from ctatlas.trials import classify_text

    prepared = ("_rx", "_need", "_branches", "_firsts", "_subsets", "_auto", "_single",
                "_multi", "_always")
    for f in {id(v): v for v in _all_folded()}.values():
        for name in prepared:
            if hasattr(f, name) and name in object.__dir__(f):
                try:
                    object.__delattr__(f, name)
                except AttributeError:
                    pass
        f._last = None
    monkeypatch.setattr(classify_text, "_GATE", None)
    monkeypatch.setattr(classify_text, "_ONE_GATES", {})


def _all_folded() -> list[fastre.Folded]:
    out = [v for v in vars(rules).values() if isinstance(v, fastre.Folded)]
    out += [v for d in vars(rules).values() if isinstance(d, dict)
            for v in d.values() if isinstance(v, fastre.Folded)]
    return out


def test_a_gate_whose_checks_the_file_lost_reads_its_parses_again(fresh, monkeypatch):
    patterns = {"car": r"\bcar[- ]?t\b|chimeric antigen receptor", "nk": r"\bnk[- ]?cells?\b"}
    first = prefilter.Gate(patterns)
    fresh()
    path = recache.cache_path()
    kept = orjson.loads(path.read_bytes())
    path.write_bytes(orjson.dumps({k: v for k, v in kept.items() if not k.startswith("parsed")}))
    again = prefilter.Gate(patterns)
    assert again.checks == first.checks and again.branches == first.branches


def test_answers_are_the_same_read_from_the_file(fresh, monkeypatch):
    studies = [normalise_study(s) for s in real_studies()]
    monkeypatch.setattr(recache, "_OFF", [True])
    _unprepare(monkeypatch)
    plain = [classify(t).__dict__ for t in studies]
    monkeypatch.setattr(recache, "_OFF", [False])
    _unprepare(monkeypatch)
    [classify(t) for t in studies]  # the first process writes the file ...
    fresh()
    _unprepare(monkeypatch)
    assert [classify(t).__dict__ for t in studies] == plain  # ... the next reads it
    assert recache._S.used


def test_an_unreadable_file_is_ignored_and_written_anew(fresh):
    path = recache.cache_path()
    path.write_bytes(b"\x00 not json")
    rx = recache.compile(r"\bstem cells?\b", re.I)
    assert rx == re.compile(r"\bstem cells?\b", re.I)
    fresh()
    assert orjson.loads(path.read_bytes())[f"{int(re.I)}\x00\\bstem cells?\\b"]


def test_an_entry_the_engine_refuses_is_compiled_again(fresh):
    recache.compile("car[- ]?t")
    recache._S.entries["0\x00car[- ]?t"][1] = [99, 99, 99]  # not code the engine accepts
    fresh()
    path = recache.cache_path()
    kept = orjson.loads(path.read_bytes())
    kept["0\x00car[- ]?t"][1] = [99, 99, 99]
    path.write_bytes(orjson.dumps(kept))
    assert recache.compile("car[- ]?t") == re.compile("car[- ]?t")


def test_facts_kept_by_other_code_are_dropped(fresh):
    recache.remember("x", lambda: [1])
    fresh()
    path = recache.cache_path()
    kept = orjson.loads(path.read_bytes())
    kept["reader"] = "another ctatlas"
    kept["facts\x00x"] = ["stale"]
    path.write_bytes(orjson.dumps(kept))
    assert recache.remember("x", lambda: [1]) == [1]


def test_a_forked_worker_never_writes_the_file(fresh):
    recache.compile("nk[- ]?cells?")
    recache._S.pid = -1  # as a worker sees the state its parent loaded
    recache.save()
    assert not recache.cache_path().exists()


def test_a_parsed_piece_is_keyed_by_its_source_and_items(fresh):
    parsed = _p.parse(r"\bcar[- ]?t\b")
    items = list(parsed.data)[1:]
    sub = _p.SubPattern(parsed.state, items)
    assert recache.compile_parsed(r"\bcar[- ]?t\b", repr(items), sub) == _c.compile(sub)
