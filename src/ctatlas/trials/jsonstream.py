"""Stream the records out of one large JSON file, holding one record at a time.

The forms read: a top-level array (the website's export of hundreds of thousands of studies),
an API v2 page envelope (``{"studies": [...], "nextPageToken": ...}``), a data.go.kr envelope
(``{"response": {"body": {"items": {"item": [...]}}}}``, or ``items`` a bare list, or one
``item`` object), and a file that is one record. Whatever the file's size, memory is one read
buffer plus one record (at most :data:`~ctatlas.trials.zipstream.MAX_RECORD_BYTES`).

Each record is handed on as the bytes read (``Item.encoding == "json"``): the worker decodes
it, and the store keeps exactly those bytes. Finding where a record ends costs a skip, not a
decode: msgspec validates a value without building it (``msgspec.Raw``) and names the byte
where the value ended ("trailing characters (byte N)"), so the scan runs at C speed.

Broken input is named, never fatal to what came before it: an element past the record cap is
skipped (its size said) and the next one read; a cut or malformed file ends the stream with a
problem naming the element it stopped at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

import msgspec

from .sources import Item, Problem, too_large
from .zipstream import MAX_RECORD_BYTES

__all__ = ["READ_CHUNK", "iter_json_stream"]

#: how many bytes a large JSON file is read by at a time
READ_CHUNK = 1 << 20
_WS = b" \t\r\n"
_BOM = b"\xef\xbb\xbf"
_RAW = msgspec.json.Decoder(msgspec.Raw)
_TRAILING = re.compile(r"trailing characters \(byte (\d+)\)")
_TRUNCATED = "truncated"
_AT = re.compile(r"\(byte (\d+)\)")

class _Broken(Exception):
    """The text cannot be read on: the stream ends here with this reason (``where``: the
    element it stopped at, when inside a list of records)."""

    where: str | None = None


class _Reader:
    """A window on the file: ``buf[pos:]`` is what has been read and not yet consumed."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.buf = b""
        self.pos = 0
        self.eof = False

    def more(self, at_least: int = READ_CHUNK) -> bool:
        """Read on (at least ``at_least`` bytes); False at the end of the file."""
        if self.eof:
            return False
        chunk = self.fh.read(max(READ_CHUNK, at_least))
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self) -> int | None:
        """The next byte that is not white space (not consumed), or None at the end."""
        while True:
            buf, pos, n = self.buf, self.pos, len(self.buf)
            while pos < n and buf[pos] in _WS:
                pos += 1
            self.pos = pos
            if pos < n:
                return buf[pos]
            if not self.more():
                return None

    def expect(self, char: bytes) -> None:
        got = self.peek()
        if got != char[0]:
            seen = "the end of the file" if got is None else repr(chr(got))
            raise _Broken(f"invalid JSON: expected {char.decode()!r}, found {seen}")
        self.pos += 1

    def value(self) -> bytes | str:
        """The next JSON value's bytes, consumed; or, when it cannot be held (past the record
        cap) or read (invalid inside: a bad character, a lone surrogate escape…), why: it is
        skipped and the stream reads on after it."""
        self.peek()
        while True:
            view = memoryview(self.buf)[self.pos :]
            try:
                _RAW.decode(view)
            except msgspec.DecodeError as exc:
                msg = str(exc)
                m = _TRAILING.search(msg)
                if m:  # msgspec counts from 1: byte N is the first one after the value
                    end = self.pos + int(m.group(1)) - 1
                    out = self.buf[self.pos : end].rstrip(_WS)
                    self.pos = end
                    return out if len(out) <= MAX_RECORD_BYTES else too_large(len(out))
                at = _AT.search(msg)
                truncated = _TRUNCATED in msg.lower()
                # a read may also end inside a number or an escape: msgspec then says the
                # number is invalid at the last byte read; only more text tells
                near_end = at is not None and int(at.group(1)) >= len(view) - 16
                view.release()
                if len(self.buf) - self.pos > MAX_RECORD_BYTES:
                    return too_large(self._skip())
                if (truncated or near_end) and self.more(len(self.buf) - self.pos):
                    continue  # reads grow with the value
                if truncated:
                    raise _Broken("truncated JSON (the file ends inside a record)") from None
                return self._invalid(msg.removeprefix("JSON is malformed: "))
            # the value runs to the end of what is read: complete only if nothing follows
            view.release()
            if self.eof or not self.more():
                out = self.buf[self.pos :].rstrip(_WS)
                self.pos = len(self.buf)
                return out if len(out) <= MAX_RECORD_BYTES else too_large(len(out))

    def _invalid(self, why: str) -> str:
        """Skip a value msgspec cannot read, to its closing bracket; returns the reason."""
        if self.buf[self.pos] not in b"[{":
            raise _Broken(f"invalid JSON: {why}")
        size = self._skip()
        if size > MAX_RECORD_BYTES:
            return too_large(size)
        return f"invalid JSON: {why}"

    def _skip(self) -> int:
        """Skip one object or array, a chunk at a time, keeping nothing; returns its size."""
        state = _Brackets()
        size = 0
        while True:
            end = state.scan(memoryview(self.buf)[self.pos :])
            if end is not None:
                size += end
                self.pos += end
                return size
            size += len(self.buf) - self.pos
            self.pos = len(self.buf)
            if not self.more():
                raise _Broken("truncated JSON (the file ends inside a record)")

    def key(self) -> str:
        raw = self.value()
        if isinstance(raw, str) or not raw.startswith(b'"'):
            raise _Broken("invalid JSON: an object key is not a string")
        try:
            key = msgspec.json.decode(raw)
        except msgspec.DecodeError as exc:  # the skip does not check UTF-8; decoding does
            raise _Broken(f"invalid JSON: an object key: {exc}") from None
        self.expect(b":")
        return key


class _Brackets:
    """Where an object or array ends, found by counting its brackets outside strings (slow:
    used only for values that cannot be held or that msgspec cannot read)."""

    def __init__(self) -> None:
        self.depth = 0
        self.in_string = self.escaped = False

    def scan(self, data: memoryview | bytes) -> int | None:
        """The offset just after the value's end in ``data``, or None if it goes on."""
        depth, in_string, escaped = self.depth, self.in_string, self.escaped
        for i, ch in enumerate(bytes(data)):
            if in_string:
                if escaped:
                    escaped = False
                elif ch == 0x5C:  # backslash
                    escaped = True
                elif ch == 0x22:
                    in_string = False
            elif ch == 0x22:
                in_string = True
            elif ch in b"[{":
                depth += 1
            elif ch in b"]}":
                depth -= 1
                if depth == 0:
                    return i + 1
        self.depth, self.in_string, self.escaped = depth, in_string, escaped
        return None


def iter_json_stream(
    fh: BinaryIO, name: str, registry: str | None, whole: int | None
) -> Iterator[Item | Problem]:
    """Every record in the JSON text ``fh`` (binary; a BOM is allowed), streamed.

    ``whole``: the file's size when known, to tell a single record too large to hold from an
    envelope whose list was not found."""
    r = _Reader(fh)
    r.more()
    if r.buf.startswith(_BOM):
        r.pos = len(_BOM)
    first = r.peek()
    if first is None:
        yield Problem(name, "empty file")
        return
    try:
        if first == 0x5B:  # [
            yield from _array(r, name, registry)
            return
        if first != 0x7B:  # {
            yield Problem(name, "JSON is neither a study, a list of studies nor an API page")
            return
        found = yield from _envelope(r, name, registry)
    except _Broken as exc:
        yield Problem(exc.where or name, str(exc))
        return
    if found:
        return
    # no list of records in it: the file is one record
    fh.seek(0)
    data = fh.read(MAX_RECORD_BYTES + 1)
    if len(data) > MAX_RECORD_BYTES:
        yield Problem(name, too_large(whole))
        return
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    data = data.strip(_WS)
    yield Item(registry, name, data, "json", size=len(data))


def _array(
    r: _Reader, name: str, registry: str | None, index: int = 0
) -> Iterator[Item | Problem]:
    """The elements of the array at the reader's position, each as its bytes."""
    r.expect(b"[")
    if r.peek() == 0x5D:  # ]
        r.pos += 1
        return
    while True:
        here = f"{name}[{index}]"
        try:
            raw = r.value()
        except _Broken as exc:
            exc.where = exc.where or here
            raise
        if isinstance(raw, str):
            yield Problem(here, raw)
        else:
            yield Item(registry, here, raw, "json", size=len(raw))
        index += 1
        nxt = r.peek()
        if nxt == 0x2C:  # ,
            r.pos += 1
            continue
        if nxt == 0x5D:
            r.pos += 1
            return
        broken = _Broken(
            "truncated JSON array (no closing bracket)" if nxt is None
            else f"invalid JSON array: {chr(nxt)!r} after an element"
        )
        broken.where = f"{name}[{index}]"
        raise broken


def _members(r: _Reader) -> Iterator[str]:
    """The keys of the object at the reader's position; after each, the reader is at the
    key's value, which the caller must consume (read, skip or descend into)."""
    r.expect(b"{")
    if r.peek() == 0x7D:  # }
        r.pos += 1
        return
    while True:
        yield r.key()
        nxt = r.peek()
        if nxt == 0x2C:
            r.pos += 1
            continue
        if nxt == 0x7D:
            r.pos += 1
            return
        raise _Broken("truncated JSON (the file ends inside an object)" if nxt is None else
                      f"invalid JSON object: {chr(nxt)!r} after a value")


def _skip_value(r: _Reader) -> None:
    r.value()  # a value too large or invalid inside is skipped by value() itself


def _envelope(r: _Reader, name: str, registry: str | None) -> Iterator[Item | Problem]:
    """Stream the records of an API page or data.go.kr envelope; returns whether there was
    a list of records (when not, the object is one record)."""
    found = False
    for key in _members(r):
        if not found and key == "studies" and r.peek() == 0x5B:
            yield from _array(r, name, registry or "ctgov")
            found = True
        elif not found and key == "response" and r.peek() == 0x7B:
            found = yield from _data_go_kr(r, name, registry or "cris")
        else:
            _skip_value(r)
    return found


def _data_go_kr(r: _Reader, name: str, registry: str) -> Iterator[Item | Problem]:
    """``response`` -> ``body`` -> ``items`` (a list, or ``{"item": list or one record}``)."""
    found = False
    for key in _members(r):
        if found or key != "body" or r.peek() != 0x7B:
            _skip_value(r)
            continue
        for bkey in _members(r):
            if found or bkey != "items":
                _skip_value(r)
                continue
            found = True
            nxt = r.peek()
            if nxt == 0x5B:
                yield from _array(r, name, registry)
            elif nxt == 0x7B:
                for ikey in _members(r):
                    if ikey != "item":
                        _skip_value(r)
                    elif r.peek() == 0x5B:
                        yield from _array(r, name, registry)
                    else:
                        raw = r.value()
                        if isinstance(raw, str):
                            yield Problem(f"{name}[0]", raw)
                        elif raw.startswith(b"{"):
                            yield Item(registry, f"{name}[0]", raw, "json", size=len(raw))
            else:
                found = False
                _skip_value(r)
    return found
