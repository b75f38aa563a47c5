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


def _kept(path) -> dict:
    """Every entry of the file, parsed."""
    kept = recache._read(path.read_bytes(), recache._reader())
    return dict(orjson.loads(kept.blob[at[0] : at[0] + at[1]]) for at in kept.index.values())


def _rewrite(path, entries: dict, reader: str | None = None) -> None:
    """The file holding exactly ``entries``, as ``reader``'s code would have written it."""
    kept = recache._Kept()
    kept.got.update(entries)
    path.write_bytes(kept.to_bytes(reader or recache._reader()))


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
    _rewrite(path, {k: v for k, v in _kept(path).items() if not k.startswith("parsed")})
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
    assert _kept(path)[f"{int(re.I)}\x00\\bstem cells?\\b"]


def test_an_entry_the_engine_refuses_is_compiled_again(fresh):
    recache.compile("car[- ]?t")
    recache._S.entries["0\x00car[- ]?t"][1] = [99, 99, 99]  # not code the engine accepts
    fresh()
    path = recache.cache_path()
    kept = _kept(path)
    kept["0\x00car[- ]?t"][1] = [99, 99, 99]
    _rewrite(path, kept)
    assert recache.compile("car[- ]?t") == re.compile("car[- ]?t")


def test_facts_kept_by_other_code_are_dropped(fresh):
    recache.remember("x", lambda: [1])
    fresh()
    path = recache.cache_path()
    kept = _kept(path)
    assert kept["facts\x00x"] == [1]
    kept["facts\x00x"] = ["stale"]
    _rewrite(path, kept, reader="another ctatlas")
    assert recache.remember("x", lambda: [1]) == [1]
    fresh()
    _rewrite(path, kept)  # the same facts kept by this code are read
    assert recache.remember("x", lambda: [1]) == ["stale"]


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


def test_a_process_parses_only_the_entries_it_uses_and_keeps_the_rest_as_read(fresh):
    sources = [rf"\b(?:car|tcr)[- ]?t{i}\b" for i in range(40)]
    for src in sources:
        recache.compile(src)
    fresh()
    path = recache.cache_path()
    before = _kept(path)
    assert len(before) == 40
    assert recache.compile(sources[7]) == re.compile(sources[7])
    assert list(recache._S.entries.got) == [f"0\x00{sources[7]}"]  # only its own entry read
    recache.compile(r"\bnk[- ]?cells?\b")  # something new: the file is written again ...
    fresh()
    after = _kept(path)
    assert after == {**before, "0\x00\\bnk[- ]?cells?\\b": after["0\x00\\bnk[- ]?cells?\\b"]}
    for src in sources:  # ... and every entry the second process never read is still good
        assert recache.compile(src) == re.compile(src)
    assert not recache._S.new


def test_a_torn_file_keeps_the_entries_before_the_tear(fresh, monkeypatch):
    sources = [rf"\bmsc{i}s?\b" for i in range(10)]
    for src in sources:
        recache.compile(src)
    fresh()
    path = recache.cache_path()
    path.write_bytes(path.read_bytes()[:-30])  # the last entry cut short
    parses = []
    real_parse = _p.parse
    monkeypatch.setattr(_p, "parse", lambda *a, **k: parses.append(a[0]) or real_parse(*a, **k))
    got = [recache.compile(s) for s in sources]
    assert len(parses) == 1  # the torn entry compiled as ever, the other nine read
    assert got == [re.compile(s) for s in sources]


def test_the_file_of_the_earlier_layout_is_not_read(fresh, monkeypatch):
    recache.compile("car[- ]?t")
    entry = recache._S.entries["0\x00car[- ]?t"]
    path = recache.cache_path()
    path.write_bytes(orjson.dumps({"0\x00car[- ]?t": entry}))  # the JSON object of session 12
    legacy = path.with_suffix(".json")
    legacy.write_bytes(orjson.dumps({"0\x00car[- ]?t": entry}))  # ... and under its name
    monkeypatch.setattr(recache, "_S", recache._State())
    parses = []
    real_parse = _p.parse
    monkeypatch.setattr(_p, "parse", lambda *a, **k: parses.append(a[0]) or real_parse(*a, **k))
    assert recache.compile("car[- ]?t") == re.compile("car[- ]?t")
    assert parses == ["car[- ]?t"]
    recache.save()  # the file written anew in this layout; the earlier one left as it was
    assert path.read_bytes().startswith(recache._MAGIC) and legacy.exists()


def test_patterns_a_worker_compiled_are_kept_by_its_parent(fresh, tmp_path, monkeypatch):
    from ctatlas.trials.ingest import ingest_items
    from ctatlas.trials.sources import iter_items
    from ctatlas.trials.store import TrialStore

    from .conftest import make_bulk_zip

    zip_path = make_bulk_zip(tmp_path / "studies.zip", real_studies())
    _unprepare(monkeypatch)  # as in a fresh process: the workers compile on first use
    parent = set(recache._entries().got)
    store = TrialStore(f"sqlite:///{tmp_path / 'trials.sqlite'}")
    try:
        summary = ingest_items(iter_items([zip_path]), store, workers=2)
    finally:
        store.close()
    assert summary.records == 62
    made = {k for k in recache._S.entries.got if k not in parent}
    compiled = [k for k in made if k[0].isdigit()]  # patterns (flags, source) of the workers
    assert len(compiled) > 10 and recache._S.new
    fresh()  # the parent writes them: the next process reads them
    kept = _kept(recache.cache_path())
    for key in compiled:
        flags, source = key.split("\x00", 1)
        assert recache._build(source, kept[key]) == re.compile(source, int(flags))


def test_an_entry_is_used_only_for_its_own_key_whatever_the_index_says(fresh, monkeypatch):
    """A changed rule is a new source, so a new key: the index is a digest of the key, and the
    entry it points at is used only when the key stored with it is the one asked for (an entry
    of another pattern, at a digest that collided or was copied wrongly, is never built)."""
    recache.compile(r"\bcar[- ]?t\b")
    fresh()
    path = recache.cache_path()
    kept = recache._read(path.read_bytes(), recache._reader())
    (at,) = list(kept.index.values())
    index = {recache._digest("0\x00\\bcar[- ]?t cells\\b"): at}  # another key, the old entry
    head = orjson.dumps({"reader": recache._reader(), "index": index})
    path.write_bytes(recache._MAGIC + head + b"\n" + bytes(kept.blob))
    monkeypatch.setattr(recache, "_S", recache._State())
    parses = []
    real_parse = _p.parse
    monkeypatch.setattr(_p, "parse", lambda *a, **k: parses.append(a[0]) or real_parse(*a, **k))
    rx = recache.compile(r"\bcar[- ]?t cells\b")
    assert parses == [r"\bcar[- ]?t cells\b"]  # compiled anew, not built from the other entry
    assert rx == re.compile(r"\bcar[- ]?t cells\b")
