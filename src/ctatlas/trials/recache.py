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
source compiled as ever. The file is written by the process that loaded it, when it compiled
something new (atomically: a temporary file renamed over it): at exit, or from the console
script's fast end (:func:`ctatlas.cli.common.exit_now`, which skips ``atexit``); a forked
worker hands what it compiled to its parent with its results (:func:`take_new`, :func:`add`).

An entry is read only when a pattern asks for it: the file is an index (a digest of each key ->
where its entry lies) and then the entries, each its own JSON, so a process pays for the
entries it uses, not for every entry any earlier run on any other corpus made (each set of
branches a text selects is an entry: a file of 3,000 entries was 9 MB, 0.17 s to parse whole at
every start-up).
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

__all__ = ["add", "cache_path", "compile", "compile_parsed", "kept_parsed", "remember", "take_new"]

#: More entries than this and the file keeps only those this process used.
MAX_ENTRIES = 8192

_Entry = list[Any]  # [flags, code, groups - 1, groupindex, indexgroup]

#: the file's first line: its layout (a file without it, e.g. the JSON of an earlier layout, is
#: not read and is replaced at the next write)
_MAGIC = b"ctatlas-patterns 2\n"


MISSING = object()


def _digest(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class _Kept:
    """The kept entries: those of the file (each parsed when first asked for) and those this
    process made. ``index``: digest of a key -> ``[offset, length, is_facts]`` in ``blob``,
    where the entry is the JSON ``[key, value]`` (the key is compared, so a digest never
    answers for another key)."""

    def __init__(self, blob: bytes | memoryview = b"", index: dict[str, list[Any]] | None = None):
        self.blob = blob
        self.index = index or {}
        self.got: dict[str, Any] = {}

    def find(self, key: str) -> Any:
        """The value kept under ``key``, or :data:`MISSING`."""
        value = self.got.get(key, MISSING)
        if value is not MISSING:
            return value
        at = self.index.get(_digest(key))
        if at is None:
            return MISSING
        try:
            kept_key, value = orjson.loads(self.blob[at[0] : at[0] + at[1]])
        except (ValueError, TypeError):  # torn or foreign: compiled as ever
            return MISSING
        if kept_key != key:
            return MISSING
        self.got[key] = value
        return value

    def get(self, key: str) -> Any:
        value = self.find(key)
        return None if value is MISSING else value

    def __contains__(self, key: str) -> bool:
        return self.find(key) is not MISSING

    def __getitem__(self, key: str) -> Any:
        value = self.find(key)
        if value is MISSING:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self.got[key] = value

    def __len__(self) -> int:
        return len(self.index.keys() | {_digest(k) for k in self.got})

    def to_bytes(self, reader: str, keep: set[str] | None = None) -> bytes:
        """The file: every entry (``keep``: only the entries this process holds with those
        keys). Entries never asked for are copied as read, not parsed."""
        index: dict[str, list[Any]] = {}
        parts: list[bytes] = []
        pos = 0

        def put(digest: str, data: bytes, facts: bool) -> None:
            nonlocal pos
            index[digest] = [pos, len(data), facts]
            parts.append(data)
            pos += len(data)

        for key, value in self.got.items():
            if keep is None or key in keep:
                put(_digest(key), orjson.dumps([key, value]), key.startswith("facts\x00"))
        if keep is None:
            for digest, (offset, length, facts) in self.index.items():
                if digest not in index:
                    put(digest, bytes(self.blob[offset : offset + length]), facts)
        head = orjson.dumps({"reader": reader, "index": index})
        return b"".join((_MAGIC, head, b"\n", *parts))


def _read(data: bytes, reader: str) -> _Kept:
    """The entries of a file's bytes (none when it is not this layout or is torn); facts kept
    by code other than ``reader`` are dropped (the code ``re`` made depends only on the source
    and this Python, and stays)."""
    if not data.startswith(_MAGIC):
        return _Kept()
    end = data.find(b"\n", len(_MAGIC))
    try:
        head = orjson.loads(data[len(_MAGIC) : end]) if end > 0 else None
    except ValueError:
        head = None
    if not isinstance(head, dict) or not isinstance(head.get("index"), dict):
        return _Kept()
    blob = memoryview(data)[end + 1 :]
    index = {}
    for digest, at in head["index"].items():
        if not (isinstance(at, list) and len(at) == 3 and all(isinstance(x, int) for x in at)):
            continue
        if at[0] < 0 or at[1] < 0 or at[0] + at[1] > len(blob):
            continue
        if at[2] and head.get("reader") != reader:
            continue
        index[digest] = at
    return _Kept(blob, index)


class _State:
    def __init__(self) -> None:
        self.entries: _Kept | None = None  # loaded on first use
        self.used: set[str] = set()
        self.new = False
        self.fresh: dict[str, Any] = {}  # made here and not yet handed on (:func:`take_new`)
        self.pid = 0
        self.path: Path | None = None
        self.registered = False
        self.reader = ""


_S = _State()
_OFF = [os.environ.get("CTATLAS_NO_PATTERN_CACHE") == "1"]


def cache_path() -> Path:
    """The file for this Python (its version and the regex code's format)."""
    from ..config import user_data_dir

    tag = f"{sys.implementation.cache_tag}-{sys.version_info.micro}-{_sre.MAGIC}"
    return user_data_dir() / f"patterns-{tag}.kept"


def _reader() -> str:
    """A digest of the code that reads the parses whose facts are kept (this package's
    ``fastre`` and ``prefilter``): facts kept by other code are dropped when the file is
    read."""
    here = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=12)
    for name in ("fastre.py", "prefilter.py", "recache.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def _entries() -> _Kept:
    if _S.entries is None:
        _S.pid = os.getpid()  # the process that may write the file (a forked worker never)
        try:
            _S.reader = _reader()
        except OSError:  # the code's files cannot be read: nothing kept can be vouched for
            _OFF[0] = True
            _S.entries = _Kept()
            return _S.entries
        try:
            _S.path = cache_path()
            _S.entries = _read(_S.path.read_bytes(), _S.reader)
        except OSError:
            _S.entries = _Kept()  # none yet, or unreadable: compiled as ever, written anew
        if not _S.registered:
            atexit.register(save)
            _S.registered = True
    return _S.entries


def _made(key: str, value: Any) -> None:
    """A new entry made in this process."""
    _entries()[key] = value
    _S.used.add(key)
    _S.new = True
    _S.fresh[key] = value


def take_new() -> dict[str, Any]:
    """The entries this process made since the last call: a worker sends them to the parent
    with its results, which keeps them with :func:`add` (a forked worker never writes)."""
    fresh, _S.fresh = _S.fresh, {}
    # as the file would give them back: the code ``re`` makes holds its opcodes as named int
    # constants, which do not pickle
    return orjson.loads(orjson.dumps(fresh)) if fresh else fresh


def add(entries: dict[str, Any]) -> None:
    """Keep entries a worker made (:func:`take_new`), as if this process had made them."""
    if not entries or _OFF[0]:
        return
    kept = _entries()
    for key, value in entries.items():
        if key not in kept.got:
            kept[key] = value
            _S.used.add(key)
            _S.new = True


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
    _made(key, entry)
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
    value = entries.find(key)
    if value is not MISSING:
        _S.used.add(key)
        return value
    value = orjson.loads(orjson.dumps(make()))  # as the file gives it back: lists, not tuples
    _made(key, value)
    return value


def save() -> None:
    """Write the file when this process compiled something new (the process that loaded it:
    a forked worker never writes)."""
    if not _S.new or _S.entries is None or _S.pid != os.getpid() or _S.path is None:
        return
    entries = _S.entries
    data = entries.to_bytes(_S.reader, _S.used if len(entries) > MAX_ENTRIES else None)
    try:
        _S.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=_S.path.parent, prefix=".patterns-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, _S.path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return  # a read-only home: the next process compiles as this one did
    _S.new = False
