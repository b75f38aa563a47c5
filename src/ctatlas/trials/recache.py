"""Compiled regular expressions kept from one process to the next (issue 20).

The classifier's patterns are compiled on first use in every process: Python's ``re`` parses
each source and generates its matching code in Python, about 0.15-0.2 s for an ingest's
patterns (their branch subsets and the gate's checks included) before the first record is
classified. What ``re`` builds from a source is plain data (the code as a list of integers,
the flags, the groups), and ``_sre.compile`` makes a pattern from that data without parsing:
:func:`compile` keeps it in a file in the user's data folder (``CTATLAS_HOME``, beside the
stores) and builds each pattern from it, so only a process that meets a new source pays the
parse.

The file is named for the Python version and the regex engine's ``MAGIC`` (the code's format),
so another Python never reads it; an entry is the data ``re`` itself produced for that exact
source and flags, and the pattern built from it is equal (``==``, which compares the code) to
``re.compile``'s; a file that cannot be read, or an entry ``_sre`` refuses, is ignored and the
source compiled as ever. The file is written once, at exit, by the process that loaded it,
when it compiled something new (atomically: a temporary file renamed over it).
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import atexit
import hashlib
import os
import re
import sys
import tempfile
from pathlib import Path
from re import _compiler as _c  # type: ignore[attr-defined]
from re import _parser as _p  # type: ignore[attr-defined]
from typing import Any

import orjson

__all__ = ["cache_path", "compile", "compile_parsed", "kept_parsed", "remember"]

#: More entries than this and the file keeps only those this process used.
MAX_ENTRIES = 8192

_Entry = list[Any]  # [flags, code, groups - 1, groupindex, indexgroup]


class _State:
    def __init__(self) -> None:
        self.entries: dict[str, _Entry] | None = None  # loaded on first use
        self.used: set[str] = set()
        self.new = False
        self.pid = 0
        self.path: Path | None = None
        self.registered = False
        self.reader = ""


_S = _State()
_READER = "reader"  # the entry naming the code that read the kept facts
_OFF = [os.environ.get("CTATLAS_NO_PATTERN_CACHE") == "1"]


def cache_path() -> Path:
    """The file for this Python (its version and the regex code's format)."""
    from ..config import user_data_dir

    tag = f"{sys.implementation.cache_tag}-{sys.version_info.micro}-{_sre.MAGIC}"
    return user_data_dir() / f"patterns-{tag}.json"


def _reader() -> str:
    """A digest of the code that reads the parses whose facts are kept (this package's
    ``fastre`` and ``prefilter``): facts kept by other code are dropped when the file is
    read."""
    here = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=12)
    for name in ("fastre.py", "prefilter.py", "recache.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def _entries() -> dict[str, _Entry]:
    if _S.entries is None:
        _S.pid = os.getpid()  # the process that may write the file (a forked worker never)
        try:
            _S.reader = _reader()
        except OSError:  # the code's files cannot be read: nothing kept can be vouched for
            _OFF[0] = True
            _S.entries = {}
            return _S.entries
        try:
            _S.path = cache_path()
            raw = orjson.loads(_S.path.read_bytes())
            _S.entries = raw if isinstance(raw, dict) else {}
        except (OSError, ValueError):
            _S.entries = {}  # none yet, or unreadable: compiled as ever, written anew
        if _S.entries.get(_READER) != _S.reader:
            # facts read by other code (an older ctatlas): dropped; the code ``re`` made
            # depends only on the source and this Python, and stays
            _S.entries = {k: v for k, v in _S.entries.items() if not k.startswith("facts\x00")}
            _S.entries[_READER] = _S.reader
        if not _S.registered:
            atexit.register(save)
            _S.registered = True
    return _S.entries


def _build(pattern: str | None, entry: _Entry) -> re.Pattern[str]:
    flags, code, groups, groupindex, indexgroup = entry
    return _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))


def _entry(p: Any, flags: int) -> _Entry:
    """What ``re._compiler.compile`` passes to ``_sre.compile`` for the parse ``p``."""
    code = _c._code(p, flags)
    groupindex = dict(p.state.groupdict)
    indexgroup: list[str | None] = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    return [flags | p.state.flags, code, p.state.groups - 1, groupindex, indexgroup]


def _get(key: str, pattern: str | None, make: Any) -> re.Pattern[str]:
    entries = _entries()
    entry = entries.get(key)
    if entry is not None:
        try:
            rx = _build(pattern, entry)
        except (TypeError, ValueError, RuntimeError):
            entry = None  # not what this engine accepts: compiled again below
        else:
            _S.used.add(key)
            return rx
    entry = make()
    entries[key] = entry
    _S.used.add(key)
    _S.new = True
    return _build(pattern, entry)


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - mirrors re.compile
    """``re.compile(pattern, flags)`` (the same pattern, ``==`` to it), built from the kept
    code when this source was compiled before."""
    flags = int(flags)
    if _OFF[0] or flags & re.DEBUG:
        return re.compile(pattern, flags)
    return _get(f"{flags}\x00{pattern}", pattern,
                lambda: _entry(_p.parse(pattern, flags), flags))


def compile_parsed(source: str, items_key: str, sub: Any) -> re.Pattern[str]:
    """``re._compiler.compile(sub)`` for a parse ``sub`` built from the parse of ``source``
    (a piece of it, as :class:`~ctatlas.trials.prefilter.Gate`'s checks are); ``items_key``
    names the piece (the same source and key always give the same piece)."""
    if _OFF[0]:
        return _c.compile(sub)
    return _get(f"parsed\x00{source}\x00{items_key}", None, lambda: _entry(sub, 0))


def kept_parsed(source: str, items_key: str) -> re.Pattern[str] | None:
    """The pattern :func:`compile_parsed` made or kept for that piece, or None when neither
    this process nor the file has it (or the engine refuses what the file holds)."""
    if _OFF[0]:
        return None
    key = f"parsed\x00{source}\x00{items_key}"
    entry = _entries().get(key)
    if entry is None:
        return None
    try:
        rx = _build(None, entry)
    except (TypeError, ValueError, RuntimeError):
        return None
    _S.used.add(key)
    return rx


def remember(key: str, make: Any) -> Any:
    """``make()`` (plain data: lists, strings, numbers, None), kept under ``key`` like the
    patterns: what is read from a pattern's parse (its required strings, its branches' first
    characters) is kept with its code. ``key`` must name everything ``make`` reads."""
    if _OFF[0]:
        return make()
    entries = _entries()
    key = f"facts\x00{key}"
    if key in entries:
        _S.used.add(key)
        return entries[key]
    value = orjson.loads(orjson.dumps(make()))  # as the file gives it back: lists, not tuples
    entries[key] = value
    _S.used.add(key)
    _S.new = True
    return value


def save() -> None:
    """Write the file when this process compiled something new (the process that loaded it:
    a forked worker never writes)."""
    if not _S.new or _S.entries is None or _S.pid != os.getpid() or _S.path is None:
        return
    entries = _S.entries
    if len(entries) > MAX_ENTRIES:
        entries = {k: v for k, v in entries.items() if k in _S.used or k == _READER}
    try:
        _S.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=_S.path.parent, prefix=".patterns-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(orjson.dumps(entries))
            os.replace(tmp, _S.path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return  # a read-only home: the next process compiles as this one did
    _S.new = False
