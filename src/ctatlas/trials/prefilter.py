"""Say, in one pass, that a set of regexes cannot match a text: literals tested where they sit.

:mod:`ctatlas.trials.fastre` tests the strings every match *contains*; that lets through the
many ordinary texts in which a stem sits inside another word ("stem" in "system", "cel" in
"barcelona", "nk " in "think "). A pattern says more than that: ``\\bstem cells?\\b`` holds
"stem cell" after a word boundary, ``\\b[a-z]+-?stem\\b(?<!system)`` holds "stem" after a
letter or "-", at a boundary, not as the end of "system". :class:`Gate` reads each pattern's
parse (never a hand list: it stays in step when the rules change) and, for each top-level
branch, keeps every literal the branch requires at its top level (a literal run, or an
alternation of literals) together with a *check*: a regex made of the parse items around it,
the one character before it (when the branch requires one there), the zero-width assertions
next to it and the whole rest of the branch after it. A branch can match only where each of
its literals occurs with its check matching at that place; the check is a piece of the
branch itself, so where the branch matches, every check matches: a text the gate rejects is
one no pattern matches (the test asserts it, and the ingest benchmark's check compares every
stored record with the pipeline run without it).

The gate never decides anything itself: the classifier asks it whether a window of text can
hold a mention at all, and runs its rules (the same as before) whenever it can.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from re import _constants as _k  # type: ignore[attr-defined]
from re import _parser as _p  # type: ignore[attr-defined]
from typing import Any

import ahocorasick
import orjson

from . import recache
from .fastre import required_literals, top_branches

__all__ = ["Gate", "active", "without_prefilters"]

_ON = [True]


def active() -> bool:
    """Whether the prefilters run (see :func:`without_prefilters`)."""
    return _ON[0]


@contextmanager
def without_prefilters() -> Iterator[None]:
    """Run without the positional gate and the atlas terms' quick test (every text through
    the whole rules): what the ingest benchmark's equivalence check compares with."""
    _ON[0] = False
    try:
        yield
    finally:
        _ON[0] = True


#: A literal shorter than this rejects almost nothing: a branch keeps only longer ones.
_MIN_LITERAL = 2
#: Groups kept per branch (the most selective).
_KEEP = 2
#: A group whose literals are all this long is preferred to any with shorter ones.
_GOOD_LITERAL = 3
_ZERO_WIDTH = (_k.AT, _k.ASSERT, _k.ASSERT_NOT)
_REPEATS = (_k.MAX_REPEAT, _k.MIN_REPEAT, getattr(_k, "POSSESSIVE_REPEAT", None))


def _literal(seq: Any) -> str | None:
    """The string a sequence of parse items is, when it is only literals."""
    if not seq or any(op is not _k.LITERAL for op, _ in seq):
        return None
    return "".join(chr(av) for _, av in seq)


def _one_char(op: Any, av: Any) -> list[Any] | None:
    """A single-character item as ``IN`` entries (to merge classes), or None."""
    if op is _k.LITERAL:
        return [(_k.LITERAL, av)]
    if op is _k.IN and not any(o is _k.NEGATE for o, _ in av):
        return list(av)
    return None


def _left(items: list[Any], at: int) -> tuple[list[Any], int]:
    """(the parse items the check starts with, how many characters before the literal they
    consume: 0 or 1) for a literal at ``items[at]``: the zero-width assertions right before it,
    and before them the character the branch requires there (a class, a literal, the last of
    a ``[a-z]+``; optional single characters in between are merged into its class)."""
    i = at - 1
    zero: list[Any] = []
    while i >= 0 and items[i][0] in _ZERO_WIDTH:
        zero.insert(0, items[i])
        i -= 1
    merged: list[Any] = []
    while i >= 0:
        op, av = items[i]
        if op in _REPEATS and len(av[2]) == 1:
            cls = _one_char(*av[2][0])
            if cls is None:
                break
            merged += cls
            if av[0] >= 1:
                return [(_k.IN, merged), *zero], 1
            i -= 1  # optional: the character before may come from further left
            continue
        cls = _one_char(op, av)
        if cls is not None:
            return [(_k.IN, merged + cls), *zero], 1
        break
    return zero, 0


def _run_at(seq: list[Any], lo: int, hi: int) -> tuple[str, list[Any], int] | None:
    """The longest literal run of ``seq`` that starts in ``seq[lo:hi]``, as (literal, check
    items, characters before)."""
    best: tuple[str, list[Any], int] | None = None
    i = lo
    while i < hi:
        if seq[i][0] is _k.LITERAL and (i == lo or seq[i - 1][0] is not _k.LITERAL):
            j = i
            while j < len(seq) and seq[j][0] is _k.LITERAL:
                j += 1
            lit = _literal(seq[i:j])
            if lit and len(lit) >= _MIN_LITERAL and (best is None or len(lit) > len(best[0])):
                left, back = _left(seq, i)
                best = (lit, [*left, *seq[i:]], back)
            i = j
            continue
        i += 1
    return best


def _anchors(seq: list[Any]) -> list[list[tuple[str, list[Any], int]]]:
    """For one branch (a parse sequence): the groups of (literal, check items, characters
    before) it requires: every match holds, for each group, one of its literals with its
    check matching at the literal's start minus those characters.

    A literal run of the sequence is one group. An alternation is one group when each of its
    alternatives has a literal run of its own: the alternative is put in the alternation's
    place (the sequence with it is what a match through it matched) and its longest run
    taken, with the check read from that sequence."""
    groups = []
    i, n = 0, len(seq)
    while i < n:
        op, av = seq[i]
        if op is _k.LITERAL:
            j = i
            while j < n and seq[j][0] is _k.LITERAL:
                j += 1
            found = _run_at(seq, i, i + 1)
            if found:
                groups.append([found])
            i = j
            continue
        if op is _k.BRANCH:
            group = []
            for alt in av[1]:
                flat = [*seq[:i], *alt, *seq[i + 1 :]]
                found = _run_at(flat, i, i + len(alt))
                if found is None:
                    break
                group.append(found)
            else:
                groups.append(group)
        i += 1
    # keep the most selective: the longest shortest literal, then the fewest alternatives (a
    # group of two-letter literals is met in most texts, and every literal of a group kept
    # is looked for in every text); dropping a group only lets more texts through
    groups.sort(key=lambda g: (-min(len(a[0]) for a in g), len(g)))
    good = [g for g in groups if min(len(a[0]) for a in g) >= _GOOD_LITERAL]
    return good[:_KEEP] if good else groups[:1]


def _analyse(
    patterns: Mapping[str, str], compiled: list[re.Pattern[str]]
) -> dict[str, Any]:
    """What a :class:`Gate` reads from its patterns' parses, as plain data: each pattern's
    required strings, its branches' groups of anchor ids, the patterns that can match
    anywhere, each anchor's check as (characters before, branch source, the check's parse
    items written out: its key among the kept compiled patterns) and its literal. The checks
    are compiled (and kept) on the way, into ``compiled``."""
    need = [
        [name, [sorted(g) for g in required_literals(pattern, keep=4)]]
        for name, pattern in patterns.items()
    ]
    branches: dict[str, list[list[list[int]]]] = {}
    always: list[str] = []
    checks: list[list[Any]] = []
    literals: list[str] = []
    ids: dict[tuple[str, str, int], int] = {}
    for name, pattern in patterns.items():
        out = []
        # a pattern led by a global flag ("(?x)…") is kept whole: it can match anywhere
        if re.match(r"\(\?[aiLmsux]+\)", pattern):
            always.append(name)
            continue
        for source in top_branches(pattern):
            parsed = _p.parse(source)
            if any(op is _k.GROUPREF for op, _ in parsed.data):
                always.append(name)
                break
            groups = []
            for group in _anchors(list(parsed.data)):
                anchor_ids = []
                for lit, items, back in group:
                    key = (lit, repr(items), back)
                    if key not in ids:
                        ids[key] = len(checks)
                        compiled.append(recache.compile_parsed(
                            source, repr(items), _p.SubPattern(parsed.state, items)))
                        checks.append([back, source, repr(items)])
                        literals.append(lit)
                    anchor_ids.append(ids[key])
                groups.append(anchor_ids)
            if not groups:
                always.append(name)
                break
            out.append(groups)
        branches[name] = out
    return {"need": need, "branches": list(branches.items()), "always": always,
            "checks": checks, "literals": literals}


class Gate:
    """Which of some named patterns can match a text (lowercased; the patterns are written in
    lower case and matched case-sensitively, as :class:`~ctatlas.trials.fastre.Folded` runs
    them)."""

    def __init__(self, patterns: Mapping[str, str]) -> None:
        # what the patterns' parses give is kept between processes with the checks' code
        # (:mod:`~ctatlas.trials.recache`): a later process reads it instead of parsing
        key = "gate\x00" + "\x00".join(f"{n}\x01{p}" for n, p in patterns.items())
        compiled: list[re.Pattern[str]] = []  # the checks, when the parses are read here
        facts = recache.remember(key, lambda: _analyse(patterns, compiled))
        checks: list[re.Pattern[str] | None] = list(compiled) or [
            recache.kept_parsed(source, items) for _, source, items in facts["checks"]
        ]
        if any(rx is None for rx in checks):  # a check the file no longer holds: read anew
            compiled = []
            facts = orjson.loads(orjson.dumps(_analyse(patterns, compiled)))
            checks = list(compiled)
        #: pattern name -> its branches, each a tuple of groups of anchor ids
        self.branches: dict[str, list[tuple[tuple[int, ...], ...]]] = {
            name: [tuple(tuple(g) for g in groups) for groups in branches]
            for name, branches in facts["branches"]
        }
        #: patterns with a branch that requires no literal: they can match anywhere
        self.always: set[str] = set(facts["always"])
        #: anchor id -> (characters before, compiled check)
        self.checks: list[tuple[int, re.Pattern[str]]] = [
            (back, rx)  # type: ignore[misc]
            for (back, _, _), rx in zip(facts["checks"], checks, strict=True)
        ]
        #: pattern name -> strings every match contains (one of each group), tested with
        #: ``in`` before the one pass: a pattern whose text lacks them is not looked for
        self.need: dict[str, tuple[tuple[str, ...], ...]] = {
            name: tuple(tuple(g) for g in groups) for name, groups in facts["need"]
        }
        #: anchor id -> its literal
        self.literals: list[str] = list(facts["literals"])
        #: branch id -> (pattern, groups); literal -> the ids of the branches requiring it
        self._all: list[tuple[str, tuple[tuple[int, ...], ...]]] = []
        users: dict[str, set[int]] = {}
        for name, branches in self.branches.items():
            for groups in branches:
                for g in groups:
                    for a in g:
                        users.setdefault(self.literals[a], set()).add(len(self._all))
                self._all.append((name, groups))
        self._users = {lit: tuple(sorted(b)) for lit, b in users.items()}
        self._auto = ahocorasick.Automaton()
        for lit in dict.fromkeys(self.literals):
            self._auto.add_word(lit, (len(lit) - 1, lit))
        self._auto.make_automaton()

    def live(self, low: str, names: Iterable[str]) -> list[str]:
        """The named patterns that may match ``low`` (a pattern left out cannot).

        One Aho-Corasick pass finds where each literal occurs; only branches that require a
        literal found are looked at, and an anchor's check runs (once, at each place its
        literal occurs) only when a branch asks for it."""
        names = list(names)
        out = [n for n in names if n in self.always]
        need = self.need
        wanted = {
            n for n in names if n not in self.always
            and all(any(lit in low for lit in group) for group in need[n])
        }
        if not wanted:
            return out
        where: dict[str, list[int]] = {}
        for end, (n, lit) in self._auto.iter(low):
            where.setdefault(lit, []).append(end - n)
        if not where:  # every branch requires a literal
            return out
        checks, literals = self.checks, self.literals
        known: dict[int, bool] = {}

        def holds(a: int) -> bool:
            r = known.get(a)
            if r is None:
                back, rx = checks[a]
                r = known[a] = any(
                    s >= back and rx.match(low, s - back) is not None
                    for s in where.get(literals[a], ())
                )
            return r

        users, branches = self._users, self._all
        for b in {u for lit in where for u in users.get(lit, ())}:
            name, groups = branches[b]
            if name in wanted and all(any(holds(a) for a in g) for g in groups):
                out.append(name)
                wanted.discard(name)
                if not wanted:
                    break
        return out
