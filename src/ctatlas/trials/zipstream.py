"""Read a zip front to back by its local headers, with bounded memory and bounded work.

The central directory of a 600,000-study zip alone is ~0.4 GB as ``ZipInfo`` objects, so the
trials ingest walks the local headers instead: memory stays flat however many members, and a
download cut short yields every member before the cut. What a member may cost is bounded:

* a member that inflates past :data:`MAX_RECORD_BYTES`, or at a ratio past :data:`MAX_RATIO`
  (a zip bomb: zeros deflate ~1,000:1, registry JSON ~5-20:1), is refused with its name and
  the reason, and the members after it are still read;
* members whose sizes come after the data (a writer streaming to a pipe sets the data-
  descriptor flag) are inflated in 1 MB steps to find their end, never held past the cap;
  stored (uncompressed) ones are found by their descriptor's signature, checked against the
  CRC and length of the bytes before it;
* ZIP64 local headers (sizes in the ZIP64 extra field, 8-byte sizes in the descriptor) are
  read like the others.

Every member that cannot be read becomes a :class:`ZipProblem` naming it; when the walk cannot
go on (a cut download, a stored member without a findable descriptor) the last problem says so.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "MAX_RATIO",
    "MAX_RECORD_BYTES",
    "RATIO_FLOOR",
    "ZipMember",
    "ZipProblem",
    "inflate_bounded",
    "iter_members",
]

#: The largest record read, uncompressed (the largest ClinicalTrials.gov study is ~2 MB).
MAX_RECORD_BYTES = 32 * 1024 * 1024
#: Uncompressed / compressed above which a member is refused as a bomb ...
MAX_RATIO = 100
#: ... once it has inflated past this many bytes (small members may compress very well).
RATIO_FLOOR = 1024 * 1024

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"
_DESCRIPTOR = b"PK\x07\x08"
_STEP = 1 << 20
CUT = "truncated member (the zip is truncated: the download was cut here)"


@dataclass(slots=True)
class ZipMember:
    """A member to decode: ``data`` is its bytes as stored (``deflate``/``stored``, checked by
    the decoder against ``crc``) or already inflated (``json``, checked here)."""

    name: str
    data: bytes
    encoding: str
    crc: int | None
    size: int


@dataclass(slots=True)
class ZipProblem:
    name: str
    reason: str


class TooBig(ValueError):
    """A member refused for its size or compression ratio."""


def too_big(out: int, consumed: int) -> str | None:
    """Why ``out`` bytes inflated from ``consumed`` are refused, or None."""
    if out > MAX_RECORD_BYTES:
        return (
            f"refused: inflates past {MAX_RECORD_BYTES // (1024 * 1024)} MB "
            "(the most one record may hold)"
        )
    if out > RATIO_FLOOR and out > MAX_RATIO * max(consumed, 1):
        return (
            f"refused: compression ratio over {MAX_RATIO}:1 after {out // (1024 * 1024)} MB "
            "(a zip bomb, not a registry record)"
        )
    return None


def inflate_bounded(data: bytes) -> bytes:
    """Inflate a raw deflate stream; :class:`TooBig` past the size or ratio cap,
    ``zlib.error`` when corrupt or cut."""
    d = zlib.decompressobj(-15)
    out = bytearray()
    tail = data
    while tail and not d.eof:
        out += d.decompress(tail, _STEP)
        tail = d.unconsumed_tail
        reason = too_big(len(out), len(data) - len(tail))
        if reason:
            raise TooBig(reason)
    if not d.eof:
        raise zlib.error("incomplete or truncated stream")
    return bytes(out)


def iter_members(
    path: Path, *, suffix: str | tuple[str, ...] = ".json"
) -> Iterator[ZipMember | ZipProblem]:
    """Every member whose name ends in ``suffix`` (or one of them), front to back (see the
    module's doc)."""
    with open(path, "rb") as fh:
        pos = 0
        while True:
            fh.seek(pos)
            header = fh.read(30)
            if len(header) < 30 or header[:4] != _LOCAL:
                return
            (_, _, flags, method, _, _, crc, csize, usize, n, m) = struct.unpack(
                "<IHHHHHIIIHH", header
            )
            raw_name = fh.read(n)
            fname = raw_name.decode("utf-8" if flags & 0x800 else "cp437", "replace")
            extra = fh.read(m)
            start = fh.tell()
            member = f"{path}!{fname}"
            wanted = fname.lower().endswith(suffix) and not fname.endswith("/")
            zip64 = _zip64_sizes(extra, csize, usize)
            if zip64 is not None:
                usize, csize = zip64
            descriptor = bool(flags & 0x08)
            if method not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED) or flags & 0x1:
                if descriptor and method != zipfile.ZIP_STORED:
                    yield ZipProblem(
                        member,
                        "unsupported zip member (encrypted or unusual compression, sizes "
                        "after the data): the members after it cannot be found",
                    )
                    return
                pos = start + csize
                if not fname.endswith("/"):
                    yield ZipProblem(member, "encrypted or unsupported compression method")
                continue
            if descriptor or (csize == 0 and method == zipfile.ZIP_DEFLATED):
                found = yield from _read_streamed(fh, start, member, method, zip64 is not None)
                if found is None:
                    return
                pos, result = found
                if wanted and result is not None:
                    yield result
                continue
            pos = start + csize
            if not wanted:
                continue
            declared = too_big(usize, csize) if method == zipfile.ZIP_DEFLATED else None
            if csize > MAX_RECORD_BYTES:
                declared = too_big(csize, csize)
            if declared:
                if fh.seek(0, os.SEEK_END) < pos:
                    yield ZipProblem(member, CUT)
                    return
                yield ZipProblem(member, declared)
                continue
            data = fh.read(csize)
            if len(data) < csize:
                yield ZipProblem(member, CUT)
                return
            enc = "deflate" if method == zipfile.ZIP_DEFLATED else "stored"
            yield ZipMember(member, data, enc, crc, usize)


def _zip64_sizes(extra: bytes, csize: int, usize: int) -> tuple[int, int] | None:
    """(uncompressed, compressed) from a ZIP64 extra field, when the header has one."""
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4 : i + 4 + size]
        i += 4 + size
        if tag != 0x0001:
            continue
        values = [struct.unpack_from("<Q", body, j)[0] for j in range(0, len(body) - 7, 8)]
        out_u, out_c = usize, csize
        if len(values) >= 2 and (usize == 0xFFFFFFFF or csize == 0xFFFFFFFF or usize == 0):
            return values[0], values[1]  # a local header carries both, in this order
        if usize == 0xFFFFFFFF and values:
            out_u = values.pop(0)
        if csize == 0xFFFFFFFF and values:
            out_c = values.pop(0)
        return out_u, out_c
    return None


def _read_streamed(
    fh: BinaryIO, start: int, member: str, method: int, zip64: bool
) -> Generator[ZipProblem, None, tuple[int, ZipMember | ZipProblem] | None]:
    """A member whose sizes follow its data. Returns where the next header is and what was
    read; None (after yielding why) when the end of the member cannot be found."""
    if method == zipfile.ZIP_DEFLATED:
        end, out, reason = _inflate_to_end(fh, start)
        if end is None:
            yield ZipProblem(member, CUT)
            return None
        after, desc_crc = _skip_descriptor(fh, end, zip64)
        if reason:
            return after, ZipProblem(member, reason)
        assert out is not None
        if desc_crc is not None and zlib.crc32(out) != desc_crc:
            return after, ZipProblem(member, "CRC mismatch (corrupt member)")
        return after, ZipMember(member, bytes(out), "json", None, len(out))
    found = _scan_stored(fh, start)
    if found is None:
        yield ZipProblem(
            member,
            "stored member whose data descriptor cannot be found (cut, or written without "
            "its signature): the members after it cannot be found",
        )
        return None
    after, data, length = found
    if data is None:
        reason = too_big(length, length) or "refused: too large"
        return after, ZipProblem(member, reason)
    return after, ZipMember(member, data, "json", None, length)


def _inflate_to_end(fh: BinaryIO, start: int) -> tuple[int | None, bytearray | None, str | None]:
    """Inflate from ``start`` to the end of the deflate stream, keeping at most the cap.
    Returns (end offset or None if cut, the bytes or None if refused, why refused)."""
    fh.seek(start)
    d = zlib.decompressobj(-15)
    out: bytearray | None = bytearray()
    produced = 0
    read = 0
    reason = None
    while not d.eof:
        chunk = fh.read(1 << 16)
        if not chunk:
            return None, None, None
        read += len(chunk)
        tail = chunk
        while tail and not d.eof:
            try:
                piece = d.decompress(tail, _STEP)
            except zlib.error:
                return None, None, None
            tail = d.unconsumed_tail
            produced += len(piece)
            if out is not None:
                out += piece
                reason = too_big(produced, read - len(tail))
                if reason:
                    out = None  # keep inflating, discarding, only to find the end
    end = start + read - len(d.unused_data)
    return end, out, reason


def _skip_descriptor(fh: BinaryIO, at: int, zip64: bool) -> tuple[int, int | None]:
    """The offset after the data descriptor at ``at`` and its CRC."""
    fh.seek(at)
    head = fh.read(28)
    offset = 4 if head[:4] == _DESCRIPTOR else 0
    if len(head) < offset + 12:
        return at + len(head), None
    crc = struct.unpack_from("<I", head, offset)[0]
    small, large = offset + 12, offset + 20
    # the sizes are 8 bytes with ZIP64; trust what follows (the next header) over the flag
    if head[large : large + 4] in (_LOCAL, _CENTRAL) and head[small : small + 4] not in (
        _LOCAL,
        _CENTRAL,
    ):
        return at + large, crc
    if head[small : small + 4] in (_LOCAL, _CENTRAL):
        return at + small, crc
    return at + (large if zip64 else small), crc


def _scan_stored(fh: BinaryIO, start: int) -> tuple[int, bytes | None, int] | None:
    """Find the end of a stored member with a trailing descriptor: the first descriptor
    signature whose CRC and length match the bytes before it. Returns (offset after the
    descriptor, the bytes or None when past the cap, length), or None when not found."""
    fh.seek(start)
    kept: bytearray | None = bytearray()
    crc = 0
    length = 0  # bytes before ``window``
    window = b""
    while True:
        chunk = fh.read(1 << 16)
        window += chunk
        search = 0
        pending = None
        while True:
            i = window.find(_DESCRIPTOR, search)
            if i < 0:
                break
            if len(window) < i + 28 and chunk:
                pending = i  # judge it once the bytes after it are read
                break
            size = _descriptor_matches(window, i, zlib.crc32(window[:i], crc), length + i)
            if size:
                total = length + i
                if kept is not None and total <= MAX_RECORD_BYTES:
                    return start + total + size, bytes(kept + window[:i]), total
                return start + total + size, None, total
            search = i + 1
        if not chunk:
            return None
        # everything before a possible (partial) signature is data
        commit = max(0, len(window) - 3 if pending is None else pending)
        crc = zlib.crc32(window[:commit], crc)
        if kept is not None:
            kept += window[:commit]
            if len(kept) > MAX_RECORD_BYTES:
                kept = None
        length += commit
        window = window[commit:]


def _descriptor_matches(window: bytes, i: int, crc: int, length: int) -> int:
    """The descriptor's size (16, or 24 with ZIP64 sizes) if the one at ``i`` describes
    ``length`` bytes with ``crc``; else 0."""
    if i + 16 > len(window) or struct.unpack_from("<I", window, i + 4)[0] != crc:
        return 0
    small = struct.unpack_from("<II", window, i + 8) == (length, length)
    large = i + 24 <= len(window) and struct.unpack_from("<QQ", window, i + 8) == (length, length)
    if small and large:  # an empty member: the next header says which
        return 16 if window[i + 16 : i + 20] in (_LOCAL, _CENTRAL) else 24
    return 16 if small else 24 if large else 0
