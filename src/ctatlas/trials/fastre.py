"""Regexes that skip, in C, the positions where they cannot start.

Python's ``re`` tries every branch of an alternation at every position of the text, and
only uses a quick "can a match start here?" test when the pattern begins with a literal or a
character class. Most classification patterns begin with ``\\b`` or an alternation of
phrases, so they get no such test and cost up to ten times what they need.

:func:`compile` computes the set of characters a match can begin with (from the parsed
pattern: literals, classes, alternations and groups, skipping zero-width assertions) and, when
that set is finite, prefixes the pattern with the look-ahead ``(?=[those characters])``. The
look-ahead cannot change what matches (every match starts with one of those characters); it
only makes the engine reject the other positions with one class test. When the set cannot be
computed (a leading ``\\w``, ``.``, a negated class, or a pattern that can match the empty
string) the pattern is compiled unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from re import _constants as _k  # type: ignore[attr-defined]
from re import _parser as _p  # type: ignore[attr-defined]
from typing import Any

import ahocorasick

from . import recache

__all__ = ["compile", "first_chars", "required_literals", "without_literal_tests"]

_MAX_RANGE = 256


#: In a first-character set: "or at a word boundary" (for ``\b\w+…`` alternatives).
BOUNDARY = "\\b"


def _first_seq(items: Any) -> tuple[set[str] | None, bool]:
    r"""(characters a match of the sequence can begin with, whether it can be empty).

    The set may hold :data:`BOUNDARY`: a branch that begins with ``\b`` and then something
    no finite set describes (``\b\w+cel``) can only start at a word boundary."""
    chars: set[str] = set()
    at_boundary = False
    for op, av in items:
        c, nullable = _first_item(op, av)
        if c is None:
            if at_boundary:  # \b then anything: the match starts at a word boundary
                return chars | {BOUNDARY}, False
            return None, False
        if op is _k.AT and av is _k.AT_BOUNDARY:
            at_boundary = True
        chars |= c
        if not nullable:
            return chars, False
    return chars, True


def _first_item(op: Any, av: Any) -> tuple[set[str] | None, bool]:
    if op is _k.LITERAL:
        return {chr(av)}, False
    if op in (_k.AT, _k.ASSERT, _k.ASSERT_NOT):  # zero width: the next item decides
        return set(), True
    if op is _k.IN:
        out: set[str] = set()
        for o, a in av:
            if o is _k.LITERAL:
                out.add(chr(a))
            elif o is _k.RANGE and a[1] - a[0] <= _MAX_RANGE:
                out.update(chr(x) for x in range(a[0], a[1] + 1))
            else:  # NEGATE, CATEGORY (\w, \d, \s…), a wide range
                return None, False
        return out, False
    if op is _k.BRANCH:
        out = set()
        nullable = False
        for seq in av[1]:
            c, n = _first_seq(seq)
            if c is None:
                return None, False
            out |= c
            nullable = nullable or n
        return out, nullable
    if op is _k.SUBPATTERN:
        return _first_seq(av[3])
    if op in (_k.MAX_REPEAT, _k.MIN_REPEAT, getattr(_k, "POSSESSIVE_REPEAT", None)):
        c, n = _first_seq(av[2])
        if c is None:
            return None, False
        return c, n or av[0] == 0
    if op is getattr(_k, "ATOMIC_GROUP", None):
        return _first_seq(av)
    return None, False  # ANY, NOT_LITERAL, GROUPREF, …


def first_chars(pattern: str, flags: int = 0) -> set[str] | None:
    """The characters every match of ``pattern`` begins with, or None if not computable."""
    chars, nullable = _first_seq(_p.parse(pattern, flags))
    if chars is None or nullable or not chars:
        return None
    return chars


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - mirrors re.compile
    """``re.compile`` with a first-character look-ahead when one can be computed."""
    return _with_look_ahead(pattern, first_chars(pattern, flags), flags)


def _with_look_ahead(pattern: str, chars: set[str] | None, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled behind the look-ahead of ``chars`` (its first characters, as
    :func:`first_chars` gives them; None: compiled unchanged)."""
    if chars is None:
        return recache.compile(pattern, flags)
    chars = set(chars)
    boundary = BOUNDARY in chars
    chars.discard(BOUNDARY)
    cls = "".join(re.escape(ch) for ch in sorted(chars))
    ahead = "|".join(([f"[{cls}]"] if cls else []) + ([r"\b"] if boundary else []))
    return recache.compile(f"(?={ahead})(?:{pattern})", flags)


def _has_upper(items: Any) -> bool:
    for op, av in items:
        if op in (_k.LITERAL, _k.NOT_LITERAL):
            if chr(av) != chr(av).lower():
                return True
        elif op is _k.IN:
            for o, a in av:
                if o is _k.LITERAL and chr(a) != chr(a).lower():
                    return True
                if o is _k.RANGE and any(
                    chr(x) != chr(x).lower() for x in range(a[0], min(a[1], a[0] + 4096) + 1)
                ):
                    return True
        elif op is _k.BRANCH:
            if any(_has_upper(seq) for seq in av[1]):
                return True
        elif op is _k.SUBPATTERN:
            if _has_upper(av[3]):
                return True
        elif op in (_k.MAX_REPEAT, _k.MIN_REPEAT, getattr(_k, "POSSESSIVE_REPEAT", None)):
            if _has_upper(av[2]):
                return True
        elif op in (_k.ASSERT, _k.ASSERT_NOT):
            if _has_upper(av[1]):
                return True
        elif op is getattr(_k, "ATOMIC_GROUP", None) and _has_upper(av):
            return True
    return False


# --------------------------------------------------------------------------- required literals
# A match of ``cells? (?:injection|infusion)`` contains "cell" and one of " injection",
# " infusion": a text that lacks them cannot match, and a substring test (C, memchr-fast) says
# so far sooner than the regex engine trying every position. ``required_literals`` reads the
# parsed pattern: the literal runs of a sequence are required, an alternation requires one of
# its branches' requirements, a repeat requires its body's when it must occur at least once;
# look-arounds, classes and optional parts require nothing. Only what a match *contains* is
# used, so the test can never reject a text the pattern matches.

Need = list[frozenset[str]]  # every set must have one of its strings in the text
_MAX_ALTERNATIVES = 24  # a set of more strings costs more to test than it saves


def _score(group: frozenset[str]) -> tuple[int, int]:
    return (min(len(x) for x in group), -len(group))


def _minimal(strings: set[str]) -> frozenset[str]:
    """The strings that contain no other of the set (a text with "car." has "car")."""
    return frozenset(x for x in strings if not any(y != x and y in x for y in strings))


def _need_seq(items: Any) -> Need:
    out: Need = []
    run: list[str] = []
    for op, av in items:
        if op is _k.LITERAL:
            run.append(chr(av))
            continue
        if run:
            out.append(frozenset({"".join(run)}))
            run = []
        out.extend(_need_item(op, av))
    if run:
        out.append(frozenset({"".join(run)}))
    return out


def _need_item(op: Any, av: Any) -> Need:
    if op is _k.SUBPATTERN:
        return _need_seq(av[3])
    if op is getattr(_k, "ATOMIC_GROUP", None):
        return _need_seq(av)
    if op in (_k.MAX_REPEAT, _k.MIN_REPEAT, getattr(_k, "POSSESSIVE_REPEAT", None)):
        return _need_seq(av[2]) if av[0] >= 1 else []
    if op is _k.IN and len(av) == 1 and av[0][0] is _k.LITERAL:
        return [frozenset({chr(av[0][1])})]
    if op is _k.BRANCH:
        union: set[str] = set()
        for seq in av[1]:
            need = _need_seq(seq)
            if not need:
                return []  # a branch that requires nothing: the alternation requires nothing
            union |= max(need, key=_score)
        return [_minimal(union)]
    return []  # a class, any character, a look-around, an anchor, a back-reference…


_LITERAL_TESTS = [True]


@contextmanager
def without_literal_tests() -> Iterator[None]:
    """Run every :class:`Folded` pattern without its required-literal test (the regex
    engine on every text): what the ingest benchmark's equivalence check compares with."""
    _LITERAL_TESTS[0] = False
    try:
        yield
    finally:
        _LITERAL_TESTS[0] = True


def required_literals(pattern: str, flags: int = 0, keep: int = 2) -> list[frozenset[str]]:
    """Up to ``keep`` sets of strings such that every match of ``pattern`` contains one
    string of each set (the most selective first: longest shortest string, fewest strings);
    empty when nothing useful is required. For a pattern matched case-sensitively."""
    if flags & re.IGNORECASE:
        return []
    return _required(_p.parse(pattern, flags), keep)


def _required(parsed: Any, keep: int) -> list[frozenset[str]]:
    need = {g for g in _need_seq(parsed) if len(g) <= _MAX_ALTERNATIVES}
    need = {g for g in need if _score(g)[0] >= 2}  # single characters reject almost nothing
    return sorted(need, key=_score, reverse=True)[:keep]


def _branch_facts(branch: str) -> tuple[tuple[tuple[str, ...], ...], frozenset[str] | None]:
    """(required strings, first characters) of one top-level branch, from one parse. The
    first characters of an alternation of branches are the union of theirs (None when any
    branch's are None): a subset of the branches is compiled behind that look-ahead without
    parsing the subset a second time to compute it."""
    parsed = _p.parse(branch)
    need = tuple(tuple(sorted(g)) for g in _required(parsed, 8))
    chars, nullable = _first_seq(parsed)
    return need, (None if chars is None or nullable or not chars else frozenset(chars))


def top_branches(pattern: str) -> list[str]:
    """The pattern's top-level alternatives as written (``a|(?:b|c)|d`` -> ``a``,
    ``(?:b|c)``, ``d``): the pattern is exactly ``"|".join`` of them."""
    out: list[str] = []
    depth, in_class, start, i, n = 0, False, 0, 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # a "]" first in a class is a literal
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


#: An alternation of fewer branches is run whole.
_MIN_BRANCHES = 4
#: Sub-alternations kept compiled per pattern (beyond that the whole pattern runs).
_MAX_SUBSETS = 512


class Match:
    """What the callers use of ``re.Match``: the span, and group 0 from the original text."""

    __slots__ = ("_a", "_b", "_text")

    def __init__(self, text: str, a: int, b: int) -> None:
        self._text, self._a, self._b = text, a, b

    def span(self) -> tuple[int, int]:
        return self._a, self._b

    def start(self) -> int:
        return self._a

    def end(self) -> int:
        return self._b

    def group(self, index: int = 0) -> str:
        if index != 0:
            raise IndexError("only group 0 is kept")
        return self._text[self._a : self._b]


def _facts(pattern: str) -> tuple[Any, ...]:
    """What :class:`Folded` reads from a pattern's parse, as plain data (kept between
    processes by :func:`~ctatlas.trials.recache.remember`): its first characters (None: not
    computable), the strings every match contains, and, for an alternation of enough
    top-level branches, each branch's source and required strings and its first characters."""
    first = first_chars(pattern)
    need = [sorted(g) for g in required_literals(pattern)]
    branches = top_branches(pattern)
    facts: list[tuple[tuple[tuple[str, ...], ...], frozenset[str] | None]] = []
    # (a leading global flag, "(?x)…", belongs to every branch: such a pattern runs whole)
    if len(branches) >= _MIN_BRANCHES and not re.match(r"\(\?[aiLmsux]+\)", pattern):
        facts = [_branch_facts(b) for b in branches]
    else:
        branches = []
    return (
        None if first is None else sorted(first),
        need,
        [[b, [list(g) for g in bneed]] for b, (bneed, _) in zip(branches, facts, strict=True)],
        [None if f is None else sorted(f) for _, f in facts],
    )


class Folded:
    """A case-insensitive pattern, run case-sensitively on the lowercased text.

    With ``re.IGNORECASE``, ``re`` compares every literal through case folding and loses its
    fast paths (the literal prefix search, skipping a branch whose first literal differs). A
    pattern written in lower case, matched on ``text.lower()``, finds the same spans (the
    lowercased text has the same length, which is checked: where it has not, the pattern runs
    with ``re.IGNORECASE`` on the original text). Matches report their text from the original.
    """

    __slots__ = (
        "_always", "_auto", "_branches", "_ci", "_firsts", "_last", "_multi", "_need", "_rx",
        "_single", "_subsets", "pattern",
    )

    def __init__(self, pattern: str) -> None:
        # (read from the parse once, and kept with the compiled patterns: see ``_prepare``)
        if recache.remember(f"upper\x00{pattern}", lambda: _has_upper(_p.parse(pattern))):
            raise ValueError(f"a folded pattern must be written in lower case: {pattern[:60]!r}")
        self.pattern = pattern
        #: the last text searched and what was found in it (the classifier asks the same
        #: pattern about the same text several times: a title's follow-up words up to five
        #: times, a transplant's words in each rule that reads them); a search of that text
        #: again returns the same answer without running anything
        self._last: tuple[str, Match | None] | None = None

    def __getattr__(self, name: str) -> Any:
        """Compile on first use: the rule tables build dozens of these at import, and a
        process that never classifies a text (the report, which imports the classifier for its
        family names) should not pay for compiling them (about 0.3 s)."""
        if name == "_ci":
            # the case-insensitive form serves only a text whose length lowercasing changes
            # (rare): it compiles when one comes
            ci = compile(self.pattern, re.IGNORECASE)
            object.__setattr__(self, "_ci", ci)
            return ci
        if name.startswith("_") and name in Folded.__slots__:
            self._prepare()
            return object.__getattribute__(self, name)
        raise AttributeError(name)

    def _prepare(self) -> None:
        pattern = self.pattern
        first, need, branches, firsts = recache.remember(pattern, lambda: _facts(pattern))
        self._rx = _with_look_ahead(pattern, None if first is None else set(first))
        #: strings every match contains (see :func:`required_literals`), tested first on the
        #: lowercased text; the case-insensitive path (a text whose length lowercasing
        #: changes) does without them
        self._need = tuple(tuple(g) for g in need)
        # An alternation is run with only the branches that can match in the text: a branch
        # whose required strings the text lacks matches nowhere in it, so leaving it out
        # changes no match (the leftmost match, and among branches matching there the first,
        # is the same), and ``re`` no longer tries it at every position.
        #: (source, required strings) of each top-level branch, when there are enough
        self._branches: list[tuple[str, tuple[tuple[str, ...], ...]]] = [
            (b, tuple(tuple(g) for g in bneed)) for b, bneed in branches
        ]
        #: each branch's first characters (None: not computable), for its subsets' look-ahead
        self._firsts: list[frozenset[str] | None] = [
            None if f is None else frozenset(f) for f in firsts
        ]
        self._subsets: dict[tuple[int, ...], re.Pattern[str] | None] = {}
        #: one Aho-Corasick pass finds which branches' strings the text has: string -> the
        #: branches of one required set it satisfies; the branches of several sets, and
        #: those of none (always kept)
        self._auto: Any = None
        self._single: dict[str, tuple[int, ...]] = {}
        self._multi: list[tuple[int, tuple[frozenset[str], ...]]] = []
        self._always: tuple[int, ...] = ()
        if self._branches:
            single: dict[str, set[int]] = {}
            always = []
            for i, (_, need) in enumerate(self._branches):
                if not need:
                    always.append(i)
                elif len(need) == 1:
                    for lit in need[0]:
                        single.setdefault(lit, set()).add(i)
                else:
                    self._multi.append((i, tuple(frozenset(g) for g in need)))
            self._single = {lit: tuple(sorted(ix)) for lit, ix in single.items()}
            self._always = tuple(always)
            auto = ahocorasick.Automaton()
            for lit in set(self._single) | {x for _, gs in self._multi for g in gs for x in g}:
                auto.add_word(lit, lit)
            auto.make_automaton()
            self._auto = auto

    def _may(self, low: str) -> bool:
        """False when the lowercased text lacks a string every match contains."""
        if not _LITERAL_TESTS[0]:
            return True
        for group in self._need:
            for lit in group:
                if lit in low:
                    break
            else:
                return False
        return True

    def _for(self, low: str) -> re.Pattern[str] | None:
        """The pattern to run on the lowercased text: None when it cannot match there, else
        the alternation of the branches that can (all of them: the whole pattern)."""
        if not _LITERAL_TESTS[0]:
            return self._rx
        if not self._may(low):
            return None
        if not self._branches:
            return self._rx
        found = {lit for _, lit in self._auto.iter(low)}
        kept = set(self._always)
        single = self._single
        for lit in found:
            ix = single.get(lit)
            if ix:
                kept.update(ix)
        if self._multi and found:
            for i, groups in self._multi:
                for g in groups:
                    if g.isdisjoint(found):
                        break
                else:
                    kept.add(i)
        keep = tuple(sorted(kept))
        if len(keep) == len(self._branches):
            return self._rx
        rx = self._subsets.get(keep, self)
        if rx is self:
            if len(self._subsets) >= _MAX_SUBSETS:
                return self._rx
            rx = self._compile_subset(keep) if keep else None
            self._subsets[keep] = rx
        return rx  # type: ignore[return-value]

    def _compile_subset(self, keep: tuple[int, ...]) -> re.Pattern[str]:
        """The alternation of the branches ``keep`` (in order), behind the look-ahead of the
        union of their first characters (the subset is parsed once, by ``re`` itself)."""
        source = "|".join(self._branches[i][0] for i in keep)
        chars: set[str] = set()
        for i in keep:
            first = self._firsts[i]
            if first is None:  # a branch that can begin anywhere: no look-ahead
                return _with_look_ahead(source, None)
            chars |= first
        return _with_look_ahead(source, chars or None)

    def search(self, text: str) -> Match | None:
        last = self._last
        if last is not None and last[0] == text and _LITERAL_TESTS[0]:
            return last[1]
        low = text.lower()
        if len(low) != len(text):
            m = self._ci.search(text)
        else:
            rx = self._for(low)
            m = rx.search(low) if rx is not None else None
        found = Match(text, m.start(), m.end()) if m else None
        self._last = (text, found)
        return found

    def finditer(self, text: str) -> list[Match]:
        low = text.lower()
        if len(low) != len(text):
            it = self._ci.finditer(text)
        else:
            rx = self._for(low)
            if rx is None:
                return []
            it = rx.finditer(low)
        return [Match(text, m.start(), m.end()) for m in it]

    def mask(
        self,
        text: str,
        char: str,
        near: list[tuple[int, int]] | None = None,
        reach: int = 80,
    ) -> str:
        """``text`` with every match overwritten by ``char`` (same length).

        ``near``: spans of literals every match contains (and reaches at most ``reach``
        characters beyond); only the text around them is searched. The searched stretches are
        merged where they overlap and end at a space, so a match is found whole and the
        ``\b`` at a stretch's end means what it means in the whole text.
        """
        low = text.lower()
        folded = len(low) == len(text)
        rx = self._for(low) if folded else self._ci
        if rx is None:
            return text
        n = len(text)
        if near is None or not folded:
            stretches = [(0, n)]
        else:
            stretches = []
            for s, e in sorted(near):
                a, b = max(0, s - reach), min(n, e + reach)
                if b < n:
                    sp = low.find(" ", b)
                    b = sp if sp != -1 else n
                if stretches and a <= stretches[-1][1]:
                    stretches[-1] = (stretches[-1][0], max(stretches[-1][1], b))
                else:
                    stretches.append((a, b))
        out = []
        last = 0
        for a0, b0 in stretches:
            it = rx.finditer(low, a0, b0) if folded else self._ci.finditer(text)
            for m in it:
                a, b = m.span()
                out.append(text[last:a])
                out.append(char * (b - a))
                last = b
        if not out:
            return text
        out.append(text[last:])
        return "".join(out)
