"""The prefilters change no answer (issue 20): the positional gate in front of the
classifier's mention rules, and the atlas terms' quick test.

Every labelled study (the development set, the held-out set, every tuning set) and every
real base study gets the same label, family, class, origin and evidence with the prefilters
and without them (and without fastre's literal tests: the unoptimised classifier); the gate
itself never rejects a text one of its patterns matches; and every name and code of the
curated atlas, written the ways a registry writes them, is found through the quick test
exactly as without it, on a corpus of code-only trials.
"""

from __future__ import annotations

import ast
import copy
import inspect
import random
import re
import sys
import types
from pathlib import Path

import pytest

from ctatlas.trials import classify as cl
from ctatlas.trials import classify_mentions
from ctatlas.trials.ctgov import normalise_study
from ctatlas.trials.evaluate import (
    TUNING_SETS,
    load_fixture_trials,
    load_heldout,
    load_tuning,
)
from ctatlas.trials.fastre import without_literal_tests
from ctatlas.trials.prefilter import Gate, without_prefilters
from ctatlas.trials.record import Trial
from ctatlas.trials.rules import FAMILY_PATTERNS, INN_CEL, STANDARD_CARE

from .conftest import FIX, real_studies


def _answer(t: Trial, terms) -> tuple:
    c = cl.classify(t, terms=terms)
    return (c.label, c.cell_class, c.cell_family, c.stem_type, c.origin, c.evidence)


def _labelled() -> list[Trial]:
    out = list(load_fixture_trials(FIX).values())
    out += [t for _, t in load_heldout(FIX)]
    for name in TUNING_SETS:
        out += [t for _, t in load_tuning(FIX, name)]
    out += [normalise_study(s) for s in real_studies()]
    return out


@pytest.mark.parametrize("with_terms", [True, False])
def test_every_labelled_study_gets_the_same_answer_without_the_prefilters(
    atlas_terms, with_terms
):
    terms = atlas_terms if with_terms else None
    trials = _labelled()
    assert len(trials) > 900
    fast = [_answer(t, terms) for t in trials]
    with without_prefilters(), without_literal_tests():
        slow = [_answer(t, terms) for t in trials]
    differ = [(t.trial_id, a, b) for t, a, b in zip(trials, fast, slow, strict=True) if a != b]
    assert not differ, differ[:3]
    # the gate is not idle: many of these records have a stem yet no mention
    labels = [a[0] for a in fast]
    assert labels.count("cell_therapy") > 200 and labels.count("not_cell") > 200


def _gated(t: Trial) -> bool:
    """Whether the gate answers for this record (no window can hold a mention)."""
    fields = cl._fields(t)
    alltext = " ".join(x for _, x in fields)
    low = alltext.lower()
    hits = cl._scan(low)
    if {h[2] for h in hits}.isdisjoint(cl._ANY_PRODUCT):
        return False  # the early exit, before the gate
    windows = cl._masked_windows(fields, cl._field_hits(fields, alltext, low, hits))
    return not any(cl._may_mention(m, p) for _, ws in windows for _, _, p, m in ws)


def test_the_gate_answers_for_ordinary_studies_whose_stem_sits_in_another_word():
    # NCT05925803 ("systemic sclerosis", "immune system"), NCT05883644 ("hepatocellular",
    # "Barcelona"), NCT05915026 ("they think it is"): stems, no cell product
    by_id = {s["protocolSection"]["identificationModule"]["nctId"]: s for s in real_studies()}
    for nct in ("NCT05925803", "NCT05883644", "NCT05915026"):
        t = normalise_study(by_id[nct])
        assert _gated(t), nct
        assert cl.classify(t).label == "not_cell"
    # and never for one that names a cell product
    t = Trial(source="ctgov", registry="ctgov", trial_id="NCT00000001",
              title="Ecosystem of care: autologous stem cells for knee osteoarthritis")
    assert not _gated(t)
    assert cl.classify(t).label == "cell_therapy"


def _patterns() -> dict[str, str]:
    return {**FAMILY_PATTERNS, "inn": INN_CEL.pattern, "soc": STANDARD_CARE.pattern}


def test_the_gate_never_rejects_a_text_its_patterns_match():
    """On every field of the labelled records, and on texts glued from their words, stems,
    masks ("#") and punctuation (inside words, at edges, after "system"…)."""
    pats = _patterns()
    gate = Gate(pats)
    compiled = {k: re.compile(v) for k, v in pats.items()}
    texts = [x for t in _labelled() for _, x in cl._fields(t)]
    rng = random.Random(20)
    words = [w for x in texts[:3000] for w in x.lower().split()]
    bits = ["system", "stem", "cel", "cells", "#", "~", "-", "(", "car", "t", "nk", "9",
            "leucel", "brain", "approved", "standard", "of", "care", "세포", "ipsc"]
    for _ in range(4000):
        parts = [rng.choice(words) if rng.random() < 0.5 else rng.choice(bits)
                 for _ in range(rng.randint(1, 8))]
        texts.append("".join(p + rng.choice(["", " ", "-", "#", ". "]) for p in parts))
    rejected = 0
    for text in texts:
        low = text.lower()
        live = set(gate.live(low, pats))
        for name, rx in compiled.items():
            if name not in live:
                rejected += 1
                assert rx.search(low) is None, (name, text[:120])
    assert rejected > len(texts) * len(pats) // 2  # and it does reject


def test_a_pattern_whose_required_strings_are_absent_is_not_looked_for():
    """The strings every match contains are tested with ``in`` before the one pass; a text
    without them is answered at once, a text with them as before."""
    gate = Gate({"soc": STANDARD_CARE.pattern})
    assert len(gate.need["soc"]) == 2  # a standard-of-care word, and a cell-therapy word
    assert gate.live("car-t cells after bridging chemotherapy", ["soc"]) == []
    assert gate.live("the standard of care car-t cells", ["soc"]) == ["soc"]
    assert gate.live("standard approved system", ["soc"]) == []  # the pass decides this one


def test_every_pattern_the_mentions_use_has_literals_the_gate_tests():
    """A pattern with a branch that requires no literal would make the gate say "may match"
    everywhere: a rule added that way is caught here (and is still answered correctly)."""
    gate = Gate(_patterns())
    assert not gate.always
    assert set(gate.branches) == set(_patterns())


def _spellings(value: str) -> list[str]:
    """A term as curated, in upper and lower case, and with its letters and digits split as
    registries write codes ("EN001" -> "EN 001", "EN-001")."""
    out = [value, value.upper(), value.lower()]
    split = re.sub(r"(?<=[A-Za-z])(?=\d)", " ", value)
    out += [split, split.replace(" ", "-"), value.replace("-", " "), value.replace("-", "")]
    return list(dict.fromkeys(out))


def test_every_atlas_code_and_name_gets_through_on_code_only_trials(atlas_terms):
    """Every cell-therapy code, name and alias of the curated atlas, as the one intervention
    of an otherwise ordinary study (a code-only trial), is found and labelled exactly as
    without the prefilters."""
    from ctatlas.dataset import load_dataset

    data = load_dataset(Path(__file__).resolve().parents[2] / "data")
    values = set()
    for p in data.products:
        doc = p.model_dump(mode="json")
        values.update(doc.get("codes") or [])
        values.update(doc.get("aliases") or [])
        values.add(doc["name"])
        for auth in doc.get("authorizations") or []:
            values.add(auth["brand_name"])
            if auth.get("local_name"):
                values.add(auth["local_name"])
    base = normalise_study(real_studies()[0])  # an ordinary drug study
    found = 0
    for value in sorted(values):
        for written in _spellings(value):
            text = f"{written} injection"
            fast = atlas_terms.find(text)
            with without_prefilters():
                slow = atlas_terms.find(text)
            assert fast == slow, written
            found += bool(fast)
            t = copy.deepcopy(base)
            t.interventions = [{"type": "BIOLOGICAL", "name": written, "description": "",
                                "other_names": []}]
            a = _answer(t, atlas_terms)
            with without_prefilters(), without_literal_tests():
                b = _answer(t, atlas_terms)
            assert a == b, written
    assert found > len(atlas_terms.codes)  # every code at least once, and names


def test_the_joined_quick_test_lets_through_every_text_with_a_term(atlas_terms):
    """``may_hold_any`` (one quick test over a study's interventions and title joined) is
    False only when ``find`` finds no term in any of them: every key and every name written
    without spaces, in an ASCII or a non-ASCII neighbour, in either field."""
    assert not atlas_terms.may_hold_any(["Placebo", "A Study of Metformin in Type 2 Diabetes"])
    assert not atlas_terms.may_hold_any(["Café au lait", "Étude de la metformine"])
    written = sorted(atlas_terms.keys) + sorted(atlas_terms.unspaced)
    assert atlas_terms.unspaced  # the atlas has names in scripts written without spaces
    for value in written:
        for around in ("A phase 2 study of {} in adults", "Étude de {} chez l'adulte",
                       "{}を用いた臨床研究"):
            for texts in (["Placebo", around.format(value)], [around.format(value), "Saline"]):
                if any(atlas_terms.find(t) for t in texts):
                    assert atlas_terms.may_hold_any(texts), texts


def _loop_only_names() -> list[str]:
    """The names the rules' mention loop (``classify_mentions.read_mentions``) binds only for
    the loop (the ``if windows:`` block), read from its source."""
    tree = ast.parse(inspect.getsource(classify_mentions.read_mentions))
    block = next(n for n in ast.walk(tree) if isinstance(n, ast.If)
                 and isinstance(n.test, ast.Name) and n.test.id == "windows")
    return sorted({t.id for n in ast.walk(block) if isinstance(n, ast.Assign)
                   for t in n.targets if isinstance(t, ast.Name)})


def _classify_reading_after_the_loop(name: str, monkeypatch):
    """``classify`` as a rule change would make it if a rule after the mention loop read
    ``name``: the mention module's own source with that one read added, compiled beside it
    and put in the place ``classify`` calls."""
    source = inspect.getsource(classify_mentions)
    at = '    # an intervention named "<a few words> cells" is a cell product\n'
    assert source.count(at) == 1
    source = source.replace(at, f"    _ = {name}  # a new rule reads it\n" + at)
    module = types.ModuleType("ctatlas.trials._classify_mentions_changed")
    module.__package__ = "ctatlas.trials"
    monkeypatch.setitem(sys.modules, module.__name__, module)  # (its dataclass looks there)
    exec(compile(source, "<classify_mentions changed>", "exec"), module.__dict__)  # noqa: S102
    monkeypatch.setattr(cl, "read_mentions", module.read_mentions)
    return cl.classify


def test_a_rule_after_the_loop_reading_what_only_the_loop_reads_fails_loudly(monkeypatch):
    # what only the loop reads is not computed for a record none of whose windows can hold a
    # mention: a rule change that came to read it after the loop must stop such a record, not
    # answer it from a value never computed
    names = _loop_only_names()
    assert {"sampling_only", "druglike_only", "iv_keys"} <= set(names)
    by_id = {s["protocolSection"]["identificationModule"]["nctId"]: s for s in real_studies()}
    gated = normalise_study(by_id["NCT05925803"])
    assert _gated(gated)
    named = Trial(source="ctgov", registry="ctgov", trial_id="NCT00000001",
                  title="Autologous stem cells for knee osteoarthritis")
    for name in names:
        changed = _classify_reading_after_the_loop(name, monkeypatch)
        with pytest.raises(UnboundLocalError, match=name):
            changed(gated)
        assert changed(named).label == "cell_therapy"  # the loop ran: the value is there
        with without_prefilters():
            assert changed(gated).label == "not_cell"  # every window looked at: computed
