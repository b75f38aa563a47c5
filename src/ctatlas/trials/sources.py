"""Find the raw records in whatever a user holds, streaming, one record at a time.

Forms read: the ClinicalTrials.gov bulk zip (one JSON file per study, in folders; CSV members of
a zip are read as CSV files, each within the one-record cap), a folder of
study files, a JSON array (the website's export, streamed — never loaded whole), JSON lines,
API page envelopes (``{"studies": [...]}``, streamed too), gzip-compressed variants of the
JSON forms, CRIS list-API JSON (a bare array or the data.go.kr ``response/body/items``
envelope), ICTRP CSV exports, and ClinicalTrials.gov CSV (the current website export, the
legacy pre-2023 one, flattened snapshots).

Nothing here parses more than it must: a zip member is handed on as its compressed bytes
(the worker inflates and checks the CRC), so reading stays sequential and cheap; zips are
walked by :mod:`ctatlas.trials.zipstream`, which bounds what one member may cost (zip bombs
are refused by size and compression ratio). A broken file,
member or line becomes a :class:`Problem` with its name; the rest is still read.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .ctgov import CSV_EXPORT_REQUIRED
from .zipstream import (
    MAX_RECORD_BYTES,
    TooBig,
    ZipMember,
    ZipProblem,
    inflate_bounded,
    iter_members,
)

__all__ = ["Item", "Problem", "count_hint", "files_under", "iter_items"]

REGISTRIES = ("ctgov", "cris", "ictrp")
#: how much of a long CSV line is read at a time
READ_CHUNK = 1 << 20


@dataclass(slots=True)
class Item:
    """One raw record. ``encoding`` says what ``payload`` is:

    - ``deflate`` / ``stored``: a zip member's bytes as stored (``crc`` to check after inflating)
    - ``json``: the record's JSON text (bytes)
    - ``obj``: an already-parsed JSON object (from a page envelope or a small CRIS file)
    - ``row``: a CSV row (dict)
    """

    source: str | None  # ctgov | cris | ictrp, or None to detect from the record
    name: str
    payload: Any
    encoding: str
    crc: int | None = None
    size: int = 0  # uncompressed bytes, when known (for MB/s)


@dataclass(slots=True)
class Problem:
    name: str
    reason: str


def too_large(size: int | None = None) -> str:
    """The reason a record over :data:`MAX_RECORD_BYTES` is skipped."""
    got = f"{_bytes(size)}; " if size else ""
    return (
        f"record too large ({got}the most one record may hold is "
        f"{_bytes(MAX_RECORD_BYTES)}): skipped"
    )


def _bytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def iter_items(
    paths: list[str | os.PathLike[str]], registry: str | None = None
) -> Iterator[Item | Problem]:
    """Every raw record under ``paths`` (files or folders), in a stable order."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in files_under(path):
                yield from _iter_file(f, registry, quiet_unknown=True)
        elif path.exists():
            yield from _iter_file(path, registry, quiet_unknown=False)
        else:
            yield Problem(str(path), "no such file or folder")


def files_under(folder: Path) -> Iterator[Path]:
    """Every file under ``folder``, in the order of ``sorted(folder.rglob("*"))``, found one
    directory at a time: memory is the names of the directories being walked, not the whole
    tree's (the bulk download's 600,000 study files would be ~0.2 GB as a sorted list of
    paths). Like ``rglob``, links to directories are not followed."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:  # depth first, names in order: how paths compare, part by part
        path = folder / entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from files_under(path)
            elif entry.is_file():
                yield path
        except OSError:
            continue


def count_hint(paths: list[str | os.PathLike[str]]) -> int | None:
    """How many records to expect, when cheap to know (zip central directories); else None."""
    total = 0
    for p in paths:
        path = Path(p)
        files = files_under(path) if path.is_dir() else [path]
        for f in files:
            if f.suffix.lower() == ".zip":
                if f.stat().st_size > 500_000_000:
                    return None  # reading a huge central directory costs memory; no total
                try:
                    with zipfile.ZipFile(f) as zf:
                        infos = zf.infolist()
                    if any(i.filename.lower().endswith(".csv") for i in infos):
                        return None  # CSV rows are not counted before they are read
                    total += sum(1 for i in infos if _is_study_member(i))
                except (zipfile.BadZipFile, OSError):
                    continue
            elif f.suffix.lower() == ".json" and f.stat().st_size < 5_000_000:
                total += 1
            else:
                return None
    return total


# --------------------------------------------------------------------------- dispatch


def _iter_file(path: Path, registry: str | None, quiet_unknown: bool) -> Iterator[Item | Problem]:
    name = path.name.lower()
    try:
        if name.endswith(".zip"):
            yield from _iter_zip(path, registry)
        elif name.endswith((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")):
            yield from _iter_jsonl(path, registry)
        elif name.endswith((".json", ".json.gz")):
            yield from _iter_json_file(path, registry)
        elif name.endswith((".csv", ".csv.gz")):
            yield from _iter_csv(path, registry)
        elif not quiet_unknown:
            yield Problem(str(path), "unknown file type (expected .zip, .json, .jsonl or .csv)")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        yield Problem(str(path), f"unreadable: {exc}")


def _open_text(path: Path) -> io.TextIOBase:
    if path.name.lower().endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig")  # type: ignore[return-value]
    return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115


# --------------------------------------------------------------------------- zip


def _is_study_member(info: zipfile.ZipInfo) -> bool:
    return not info.is_dir() and info.filename.lower().endswith(".json")


def _iter_zip(path: Path, registry: str | None) -> Iterator[Item | Problem]:
    """Walk the zip's local headers front to back: memory stays flat however many members
    (the central directory of a 600,000-study zip alone is ~0.4 GB as ``ZipInfo`` objects),
    and a download cut short yields every member before the cut."""
    with open(path, "rb") as fh:
        if fh.read(4) != b"PK\x03\x04":
            yield Problem(str(path), "not a zip file (or corrupt at the start)")
            return
    yield from _iter_zip_local_headers(path, registry)


def _iter_zip_local_headers(path: Path, registry: str | None) -> Iterator[Item | Problem]:
    for m in iter_members(path, suffix=(".json", ".csv")):
        if isinstance(m, ZipProblem):
            yield Problem(m.name, m.reason)
        elif m.name.lower().endswith(".csv"):
            yield from _iter_zipped_csv(m, registry)
        else:
            yield Item(registry, m.name, m.data, m.encoding, crc=m.crc, size=m.size)


def _iter_zipped_csv(m: ZipMember, registry: str | None) -> Iterator[Item | Problem]:
    """The rows of a CSV member of a zip (a zipped website export): inflated whole, within
    the cap one record may hold (:data:`MAX_RECORD_BYTES`; a larger CSV is refused with its
    name: unzip it and read the file, which is streamed), then read as a CSV file is."""
    data = m.data
    if m.encoding == "deflate":
        try:
            data = inflate_bounded(data)
        except TooBig as exc:
            yield Problem(m.name, str(exc))
            return
        except zlib.error as exc:
            yield Problem(m.name, f"corrupt compressed data: {exc}")
            return
    if m.crc is not None and zlib.crc32(data) != m.crc:
        yield Problem(m.name, "CRC mismatch (corrupt or truncated member)")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Problem(m.name, f"unreadable: {exc}")
        return
    yield from _iter_csv_lines(io.StringIO(text, newline=""), m.name, registry)


# --------------------------------------------------------------------------- JSON forms


def _iter_jsonl(path: Path, registry: str | None) -> Iterator[Item | Problem]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as fh:  # type: ignore[operator]
        lineno = 0
        while True:
            line = fh.readline(MAX_RECORD_BYTES + 1)  # never more than one record's worth
            if not line:
                return
            lineno += 1
            if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
                size = len(line)
                while line and not line.endswith(b"\n"):  # skip the rest, a chunk at a time
                    line = fh.readline(1 << 20)
                    size += len(line)
                yield Problem(f"{path}:{lineno}", too_large(size))
                continue
            line = line.strip()
            if line:
                yield Item(registry, f"{path}:{lineno}", line, "json", size=len(line))


def _iter_json_file(path: Path, registry: str | None) -> Iterator[Item | Problem]:
    """A JSON file of any size: an array, an API page, a data.go.kr envelope or one record,
    streamed by :mod:`ctatlas.trials.jsonstream` (one record held at a time)."""
    from .jsonstream import iter_json_stream

    gz = path.name.lower().endswith(".gz")
    with gzip.open(path, "rb") if gz else open(path, "rb") as fh:
        yield from iter_json_stream(fh, str(path), registry, None if gz else path.stat().st_size)


# --------------------------------------------------------------------------- CSV


class _RowTooLarge(Exception):
    """A CSV record (one row, over one or more lines) grew past :data:`MAX_RECORD_BYTES`."""


class _BoundedLines:
    """The lines of a CSV file for :mod:`csv`, never holding more than one record's worth: a
    row that grows past the cap (one long line, many cells, or many lines inside quotes) is
    abandoned at the cap, the rest of it is skipped a chunk at a time (to the end of the line
    where its quotes close), and :class:`_RowTooLarge` is raised."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh
        self.line = 0  # physical lines read
        self.row_done()

    def row_done(self) -> None:
        """The reader finished a row: the next line starts a new record."""
        self.pending = 0  # characters read since the last complete row
        self.quoted = False  # inside a quoted cell (an odd number of quotes so far)

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self.fh.readline(MAX_RECORD_BYTES + 1 - self.pending)
        if not line:
            raise StopIteration
        self.pending += len(line)
        self.quoted ^= line.count('"') % 2 == 1
        if self.pending > MAX_RECORD_BYTES:
            self.line += line.endswith("\n")
            while not (line.endswith("\n") and not self.quoted):
                line = self.fh.readline(READ_CHUNK)
                if not line:
                    break
                self.quoted ^= line.count('"') % 2 == 1
                self.line += line.endswith("\n")
            self.row_done()
            raise _RowTooLarge
        self.line += 1
        return line  # type: ignore[no-any-return]


def _iter_csv(path: Path, registry: str | None) -> Iterator[Item | Problem]:
    with _open_text(path) as fh:
        yield from _iter_csv_lines(fh, str(path), registry)


def _iter_csv_lines(fh: Any, path: str, registry: str | None) -> Iterator[Item | Problem]:
    """The rows of the CSV text ``fh`` (named ``path`` in problems), its form found by its
    header."""
    csv.field_size_limit(MAX_RECORD_BYTES)
    lines = _BoundedLines(fh)
    reader = csv.DictReader(lines)
    try:
        header = reader.fieldnames or []
    except _RowTooLarge:
        yield Problem(f"{path}:1", f"CSV header {too_large()}")
        return
    fields = {f.strip().lower() for f in header}
    if registry in (None, "ctgov") and fields & {"study title", "study url"}:
        # the current website export: name what it lacks rather than misread it
        missing = [c for c in CSV_EXPORT_REQUIRED if c.lower() not in fields]
        if missing:
            yield Problem(
                path,
                "ClinicalTrials.gov CSV export (Study Title / Study URL columns) "
                f"without its required column(s): {', '.join(missing)}",
            )
            return
    if registry is None:
        if "trialid" in fields:
            registry = "ictrp"
        elif "nct number" in fields or "nctid" in fields:
            registry = "ctgov"
        else:
            yield Problem(
                path,
                "CSV with neither ICTRP (TrialID) nor "
                "ClinicalTrials.gov (NCT Number / NCTId) columns",
            )
            return
    lines.row_done()
    last = lines.line  # the line the last good row ended on (the header's)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except (csv.Error, _RowTooLarge) as exc:
            if isinstance(exc, _RowTooLarge) or "field limit" in str(exc):
                # one row past the cap: skip it, read on from the next line
                yield Problem(f"{path}:{last + 1}", too_large())
                reader = csv.DictReader(lines, fieldnames=header)
                last = lines.line
                continue
            yield Problem(f"{path}:{last + 1}", f"broken CSV: {exc}")
            return
        lines.row_done()
        last = lines.line
        yield Item(registry, f"{path}:{last}", row, "row")
