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
from re import _constants as _k  # type: ignore[attr-defined]
from re import _parser as _p  # type: ignore[attr-defined]
from typing import Any

__all__ = ["compile", "first_chars"]

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
    chars = first_chars(pattern, flags)
    if chars is None:
        return re.compile(pattern, flags)
    boundary = BOUNDARY in chars
    chars.discard(BOUNDARY)
    cls = "".join(re.escape(ch) for ch in sorted(chars))
    ahead = "|".join(([f"[{cls}]"] if cls else []) + ([r"\b"] if boundary else []))
    return re.compile(f"(?={ahead})(?:{pattern})", flags)


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


class Folded:
    """A case-insensitive pattern, run case-sensitively on the lowercased text.

    With ``re.IGNORECASE``, ``re`` compares every literal through case folding and loses its
    fast paths (the literal prefix search, skipping a branch whose first literal differs). A
    pattern written in lower case, matched on ``text.lower()``, finds the same spans (the
    lowercased text has the same length, which is checked: where it has not, the pattern runs
    with ``re.IGNORECASE`` on the original text). Matches report their text from the original.
    """

    __slots__ = ("_ci", "_rx", "pattern")

    def __init__(self, pattern: str) -> None:
        if _has_upper(_p.parse(pattern)):
            raise ValueError(f"a folded pattern must be written in lower case: {pattern[:60]!r}")
        self.pattern = pattern
        self._rx = compile(pattern)
        self._ci = compile(pattern, re.IGNORECASE)

    def search(self, text: str) -> Match | None:
        low = text.lower()
        m = self._rx.search(low) if len(low) == len(text) else self._ci.search(text)
        return Match(text, m.start(), m.end()) if m else None

    def finditer(self, text: str) -> list[Match]:
        low = text.lower()
        it = self._rx.finditer(low) if len(low) == len(text) else self._ci.finditer(text)
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
            it = self._rx.finditer(low, a0, b0) if folded else self._ci.finditer(text)
            for m in it:
                a, b = m.span()
                out.append(text[last:a])
                out.append(char * (b - a))
                last = b
        if not out:
            return text
        out.append(text[last:])
        return "".join(out)
