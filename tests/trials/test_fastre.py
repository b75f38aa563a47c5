"""The classifier's fast matching gives the same answers as the plain ``re`` it replaces.

``fastre.Folded`` runs a lower-case pattern on the lowercased text with a first-character
look-ahead; the Aho-Corasick scan replaces ``str.find`` loops over the literal stems. Both are
only worth having if every span, window and label stays what the plain code gave.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctatlas.trials import classify as C
from ctatlas.trials import rules as R
from ctatlas.trials.fastre import (
    Folded,
    compile,
    first_chars,
    required_literals,
    top_branches,
    without_literal_tests,
)

# Every pattern the classifier runs, as written (lower case, meant for re.IGNORECASE).
PATTERNS = {f"family.{k}": v for k, v in R.FAMILY_PATTERNS.items()} | {
    name: getattr(R, name).pattern
    for name in dir(R)
    if isinstance(getattr(R, name), Folded)
}

# Text made of the words the patterns look for, in any case, with noise between them.
_WORDS = sorted(
    {a.strip() for anchors in R.FAMILY_ANCHORS.values() for a in anchors}
    | set(R.ACELL_ANCHORS)
    | set(R.HSCT_ANCHORS)
    | {"CAR-T cells", "T cells", "patients", "after", "treated with", "Autologous", "ALLOGENEIC",
       "tisagenlecleucel", "UC-MSCs", "small cell", "NK-cell lymphoma", "stem cell mobilization",
       "in vivo CAR", "LNP", "lymphodepletion", "İstanbul", "ß", "Σ", "세포치료", "(NK)", "10^6"}
)
_TEXT = st.lists(
    st.one_of(
        st.sampled_from(_WORDS).map(lambda w: w.upper() if len(w) % 3 == 0 else w),
        st.text(alphabet=" -.,|()/+#abcdeklmnorstuTCNK0123456789", max_size=6),
    ),
    max_size=25,
).map(" ".join)


def test_first_chars_of_simple_patterns():
    assert first_chars(r"\bcar[- ]?t\b") == {"c"}
    assert first_chars(r"(?:ab|cd)?e") == {"a", "c", "e"}
    assert first_chars(r"[x-z]y|q") == {"x", "y", "z", "q"}
    assert first_chars(r"\w+cel") is None  # a category: not computable
    assert first_chars(r"a?") is None  # can match the empty string
    assert compile(r"\bcar").pattern.startswith("(?=[c])")
    assert compile(r"\w+cel").pattern == r"\w+cel"
    # a branch that starts at a word boundary and then a category: "or at a word boundary"
    assert first_chars(r"x|\b\w+cel") == {"x", "\\b"}
    assert compile(r"x|\b\w+cel").pattern == r"(?=[x]|\b)(?:x|\b\w+cel)"
    text = "tisagenlecleucel, excel_cel xcel"
    assert [m.span() for m in compile(r"x|\b\w+cel").finditer(text)] == [
        m.span() for m in re.finditer(r"x|\b\w+cel", text)
    ]


def test_folded_refuses_upper_case_literals():
    with pytest.raises(ValueError, match="lower case"):
        Folded(r"CAR-T")
    Folded(r"\bcar\W\S")  # escapes are not literals


@pytest.mark.parametrize("name", sorted(PATTERNS))
@given(text=_TEXT)
def test_folded_patterns_find_what_re_ignorecase_finds(name, text):
    plain = re.compile(PATTERNS[name], re.I)
    folded = Folded(PATTERNS[name])
    assert [m.span() for m in folded.finditer(text)] == [m.span() for m in plain.finditer(text)]
    m = folded.search(text)
    p = plain.search(text)
    assert (m.span(), m.group(0)) == (p.span(), p.group(0)) if p else m is None
    assert folded.mask(text, "#") == plain.sub(lambda x: "#" * len(x.group(0)), text)


def _windows_by_find(low: str) -> list[tuple[int, int]]:
    """The windows as the classifier computed them before the Aho-Corasick scan (the text
    read with a space on each side, since rules 16.11)."""
    padded = f" {low} "
    if len(low) <= 2 * R.WINDOW:
        return [(0, len(low))] if any(a in padded for a in R.ANCHORS) else []
    hits = []
    for a in R.ANCHORS:
        i = padded.find(a)
        while i != -1:
            hits.append(max(i - 1, 0))
            i = padded.find(a, i + 1)
    out: list[tuple[int, int]] = []
    for h in sorted(hits):
        a = max(0, h - R.WINDOW)
        if a:
            sp = low.rfind(" ", 0, a)
            a = sp + 1 if sp != -1 else 0
        b = min(len(low), h + R.WINDOW)
        if b < len(low):
            sp = low.find(" ", b)
            b = sp if sp != -1 else len(low)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


@given(parts=st.lists(_TEXT, min_size=1, max_size=12))
def test_scan_windows_and_stems_match_the_find_loops(parts):
    low = " ".join(parts).lower()
    hits = C._scan(low)
    assert C._windows(low, hits) == _windows_by_find(low)
    every = set(R.ANCHORS) | set(R.MASK_ANCHORS) | set(R.HSCT_ANCHORS) | set(R.ACELL_ANCHORS)
    assert {h[2] for h in hits} & every == {a for a in every if a in f" {low} "}


@given(parts=st.lists(_TEXT, min_size=1, max_size=12))
def test_masking_near_the_stems_masks_what_masking_everything_masks(parts):
    text = " ".join(parts)
    hits = C._scan(text.lower())
    near = [(s, e) for s, e, stem in hits if stem in R.MASK_ANCHORS]
    plain = re.compile(R.MASK.pattern, re.I)
    assert R.MASK.mask(text, "#", near=near, reach=R.MASK_REACH) == plain.sub(
        lambda m: "#" * len(m.group(0)), text
    )


def test_required_literals_of_simple_patterns():
    # (``re``'s parser takes the branches' common prefix out: "in" + "jection" | "fusion")
    assert required_literals(r"\bcells? (?:injection|infusion)") == [
        frozenset({"jection", "fusion"}), frozenset({"cell"})]
    # an alternation needs one of its branches' strings; a superstring adds nothing
    assert required_literals(r"car\.x|\bcar[- ]t|leucel") == [frozenset({"car", "leucel"})]
    # an optional part, a class or a branch that needs nothing: no requirement
    assert required_literals(r"(?:abc)?\w+") == []
    assert required_literals(r"abc|\d+") == []
    assert required_literals(r"(?:xyz){2,3}q") == [frozenset({"xyz"})]
    assert required_literals(r"abc", re.IGNORECASE) == []
    # what a real rule needs: a head word and a cell therapy
    assert [sorted(g) for g in R.STANDARD_CARE._need] == [
        ["car", "cel", "chimeric antigen"],
        ["approved", "commercial", "licensed", "soc", "standard"],
    ]


@pytest.mark.parametrize("name", sorted(PATTERNS))
@given(text=_TEXT)
def test_every_match_contains_the_required_literals(name, text):
    needs = required_literals(PATTERNS[name])
    for m in re.compile(PATTERNS[name]).finditer(text.lower()):
        for group in needs:
            assert any(lit in m.group(0) for lit in group), (m.group(0), group)


def test_literal_tests_skip_texts_and_change_no_answer():
    text = "A phase 2 study of the operating system in patients with asthma"
    assert R.STANDARD_CARE._need and not R.STANDARD_CARE._may(text.lower())
    with without_literal_tests():
        assert R.STANDARD_CARE._may(text.lower())
        assert R.STANDARD_CARE.search(text) is None
    assert R.STANDARD_CARE.search(text) is None
    text = "Commercially available CAR-T after bridging"
    assert R.STANDARD_CARE.search(text).group(0) == "Commercially available CAR-T"


def test_top_branches_split_only_the_outer_alternation():
    assert top_branches(r"a|(?:b|c)|[|x]d|\|e") == ["a", "(?:b|c)", "[|x]d", "\\|e"]
    assert top_branches(r"[]|]x|y") == ["[]|]x", "y"]
    for name, pattern in PATTERNS.items():
        assert "|".join(top_branches(pattern)) == pattern, name


def test_an_alternation_runs_with_the_branches_the_text_can_match():
    rx = R.FAMILY_RE["other"]
    text = "ALLOGENEIC donor-derived T cells, 2 x 10^6 cells/kg, in the operating system"
    assert rx._for(text.lower()) is not rx._rx  # fewer branches than the whole pattern
    with without_literal_tests():
        assert rx._for(text.lower()) is rx._rx
        plain = [m.span() for m in rx.finditer(text)]
    assert [m.span() for m in rx.finditer(text)] == plain
    assert plain == [m.span() for m in re.finditer(rx.pattern, text, re.I)]


_WITH_BRANCHES = sorted(n for n, p in PATTERNS.items() if len(top_branches(p)) >= 4)


@pytest.mark.parametrize("name", _WITH_BRANCHES)
@given(text=_TEXT, picks=st.lists(st.integers(min_value=0, max_value=200), min_size=1,
                                  max_size=6))
def test_a_subset_of_branches_compiles_to_what_its_whole_source_compiles_to(name, text, picks):
    """A subset's look-ahead comes from its branches' first characters (parsed once, when
    the pattern is prepared), not from parsing the subset again: it finds the same spans as
    the subset compiled from its source, and has a look-ahead exactly when that one has."""
    rx = R.FAMILY_RE[name.split(".", 1)[1]] if name.startswith("family.") else getattr(R, name)
    n = len(rx._branches)
    assert n >= 4
    keep = tuple(sorted({p % n for p in picks}))
    source = "|".join(rx._branches[i][0] for i in keep)
    ours, plain = rx._compile_subset(keep), compile(source)
    low = text.lower()
    assert [m.span() for m in ours.finditer(low)] == [m.span() for m in plain.finditer(low)]
    assert ours.pattern.startswith("(?=") == (first_chars(source) is not None)


@pytest.mark.parametrize("name", ["FOLLOW_UP", "HSCT", "STANDARD_CARE", "family.other"])
@given(pool=st.lists(_TEXT, min_size=1, max_size=3),
       order=st.lists(st.integers(min_value=0, max_value=5), min_size=2, max_size=12))
def test_asking_again_about_a_text_answers_as_the_first_time(name, pool, order):
    """A pattern remembers its last text and answer: asked about texts in any order, with
    repeats, equal copies and other texts between them, every answer is ``re``'s."""
    pattern = PATTERNS[name]
    plain = re.compile(pattern, re.I)
    rx = Folded(pattern)
    for i in order:
        text = pool[i % len(pool)]
        if i >= 3:
            text = "".join(list(text))  # an equal text, not the same object
        m, p = rx.search(text), plain.search(text)
        assert (m.span(), m.group(0)) == (p.span(), p.group(0)) if p else m is None
        assert [x.span() for x in rx.finditer(text)] == [x.span() for x in plain.finditer(text)]


def test_a_remembered_answer_is_not_used_without_the_literal_tests():
    rx = Folded(R.FOLLOW_UP.pattern)
    text = "Long-term follow-up of patients treated with CAR-T cells"
    first = rx.search(text)
    assert rx.search(text) is first  # remembered
    with without_literal_tests():  # the unoptimised reference runs the engine every time
        again = rx.search(text)
        assert again is not first and again.span() == first.span()
