"""Every pattern the classifier runs only where one of its literal stems occurs holds one of
those stems in every text it can match.

The engine scans a record once for the literal stems (``rules.ANCHORS`` per family,
``ACELL_ANCHORS``, ``HSCT_ANCHORS``, ``LD_ANCHORS``, ``VIVO_ANCHORS``, ``MASK_ANCHORS``) and runs
a family's pattern only in windows around its stems. A pattern that can match a text holding
none of them is silently never run there: "C-CAR011" was missed until rules 16.10 because
``\\bcar\\d+`` matched "car0…" and no stem held "car0". This test reads each pattern's parse
(no hand list), expands the finite stretches of every top-level branch into the strings they
match and asserts that some stretch has a stem in each of its strings.

How a branch is read: a word boundary at a stretch's edge is a space there (the scan reads
every field with a space on each side and fields are joined by spaces: ``classify_text.
_scan``); inside a stretch it is nothing; whitespace (``\\s``) is a space; a positive
look-ahead's text is part of the stretch (the text must hold it); other look-arounds are
nothing. Classes of more than 40 characters, and repeats without a small bound, end a stretch.
"""

from __future__ import annotations

from re import _constants as K  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

import pytest

from ctatlas.trials import rules as R
from ctatlas.trials.fastre import top_branches

_CAP = 4000  # strings per stretch
_B = "\x00"  # a word boundary, placed while expanding


def _chars(op, av) -> list[str] | None:
    if op is K.LITERAL:
        return [chr(av)]
    if op is not K.IN:
        return None
    out: list[str] = []
    for o, a in av:
        if o is K.NEGATE:
            return None
        if o is K.LITERAL:
            out.append(chr(a))
        elif o is K.RANGE and a[1] - a[0] <= 40:
            out += [chr(c) for c in range(a[0], a[1] + 1)]
        elif o is K.CATEGORY and a is K.CATEGORY_DIGIT:
            out += [str(d) for d in range(10)]
        elif o is K.CATEGORY and a is K.CATEGORY_SPACE:
            out.append(" ")
        else:
            return None
    return out


def _finite(seq) -> set[str] | None:
    """Every string the parse items match, or None when that is not a small finite set."""
    cur = {""}
    for op, av in seq:
        if op is K.AT:
            add = {_B} if av is K.AT_BOUNDARY else {""}
        elif op is K.ASSERT and av[0] == 1:
            add = _finite(av[1])  # a look-ahead: the text holds it
        elif op in (K.ASSERT, K.ASSERT_NOT):
            add = {""}
        elif (ch := _chars(op, av)) is not None:
            add = set(ch)
        elif op is K.SUBPATTERN:
            add = _finite(av[3])
        elif op is K.BRANCH:
            alts = [_finite(a) for a in av[1]]
            add = None if any(a is None for a in alts) else set().union(*alts)
        elif op in (K.MAX_REPEAT, K.MIN_REPEAT) and av[1] is not K.MAXREPEAT and av[1] <= 3:
            body = _finite(av[2])
            if body is None:
                return None
            add = set()
            for k in range(av[0], av[1] + 1):
                reps = {""}
                for _ in range(k):
                    reps = {r + x for r in reps for x in body}
                add |= reps
        else:
            return None
        if add is None or len(cur) * len(add) > _CAP:
            return None
        cur = {s + x for s in cur for x in add}
    return cur


def _stretches(seq) -> list[set[str]]:
    """The finite stretches every match of the parse items passes through."""
    out: list[set[str]] = []
    cur = {""}

    def close() -> None:
        nonlocal cur
        if cur - {"", _B}:
            out.append(cur)
        cur = {""}

    for op, av in seq:
        one = _finite([(op, av)])
        if one is not None and len(cur) * len(one) <= _CAP:
            cur = {s + x for s in cur for x in one}
            continue
        if op in (K.MAX_REPEAT, K.MIN_REPEAT) and av[0] >= 1:
            body = _finite(av[2])  # one pass of the body, then the stretch ends
            if body is not None and len(cur) * len(body) <= _CAP:
                cur = {s + x for s in cur for x in body}
        close()
        if op is K.SUBPATTERN:
            out += _stretches(av[3])
    close()
    return out


def _as_scanned(s: str) -> str:
    """A boundary at an edge is the space the scan sees there; inside, it is nothing."""
    if s.startswith(_B):
        s = " " + s[1:]
    if s.endswith(_B):
        s = s[:-1] + " "
    return s.replace(_B, "")


def uncovered(pattern: str, stems) -> list[str]:
    """The top-level branches of ``pattern`` with no stretch whose every string holds one of
    ``stems``."""
    bad = []
    for branch in top_branches(pattern):
        stretches = _stretches(list(P.parse(branch).data))
        if not any(
            all(any(a in _as_scanned(s) for a in stems) for s in st) for st in stretches
        ):
            bad.append(branch)
    return bad


@pytest.mark.parametrize("family", list(R.FAMILY_PATTERNS))
def test_every_family_pattern_holds_one_of_its_stems(family):
    assert uncovered(R.FAMILY_PATTERNS[family], R.FAMILY_ANCHORS[family]) == []


@pytest.mark.parametrize(
    ("name", "rx", "stems"),
    [
        ("-cel INN", R.INN_CEL, frozenset({"cel"})),
        ("acellular", R.ACELLULAR, R.ACELL_ANCHORS),
        ("transplant", R.HSCT, R.HSCT_ANCHORS),
        ("lymphodepletion", R.LYMPHODEPLETION, R.LD_ANCHORS),
        ("in vivo CAR", R.IN_VIVO_CAR, R.VIVO_ANCHORS),
        ("masks", R.MASK, R.MASK_ANCHORS),
    ],
)
def test_every_stem_gated_pattern_holds_one_of_its_stems(name, rx, stems):
    assert uncovered(rx.pattern, stems) == []


def test_the_car0_gap_is_caught():
    """Rules 16.9's CAR-T stems lacked "car0": the test finds the branch it left unscanned."""
    stems = set(R.FAMILY_ANCHORS["CAR_T"]) - {"car0"}
    assert r"\bcar\d+[a-z.]*\b" in uncovered(R.FAMILY_PATTERNS["CAR_T"], stems)
    # and a stem written with the space a boundary implies covers a word at a field's edge
    assert uncovered(r"\btils?\b", {" til", "tils"}) == []
    assert uncovered(r"\bnk\d{3}\b", {"nk0", "nk1"}) == [r"\bnk\d{3}\b"]


@pytest.mark.parametrize(
    ("name", "family"),
    [("TIL", "TIL"), ("ACI", "chondrocyte"), ("DLI", "T_cell_other"), ("NKcells", "NK")],
)
def test_a_product_named_at_a_fields_edge_is_scanned(name, family):
    """A stem written with the space a boundary implies (" til", " aci", " dli") or a new one
    ("nkcell") finds an intervention whose whole name is the product: rules 16.10 missed
    these (the record's first field had no space before it)."""
    from ctatlas.trials.classify import classify
    from ctatlas.trials.record import Trial

    t = Trial(
        source="ctgov", registry="ctgov", trial_id="NCT00000000",
        title="A phase 1 study in adults with relapsed disease",
        interventions=[{"type": "BIOLOGICAL", "name": name, "description": "", "other_names": []}],
    )
    c = classify(t)
    assert (c.label, c.cell_family) == ("cell_therapy", family)
