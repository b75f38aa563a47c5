"""What the invariants tests of the judged (held-out) sets share: the label files' columns and
classes, and helpers that read a set's files without classifying anything.

They count and compare ids and bytes only; no helper here runs the classifier or prints a
label row.
"""

from __future__ import annotations

import collections
import csv
import hashlib
import io
import re
from pathlib import Path

from .conftest import FIX

HARD = {"acell", "lab", "mobil", "drug", "cond", "cytokine"}
LABELS = {"cell_therapy", "acellular_cell_derived", "hsct_procedure", "not_cell"}
CLASSES = HARD | {"coded", "pos", "other"}
COLUMNS = ["trial_id", "form", "source_file", "gold_label", "gold_family", "gold_origin",
           "hard_class", "note"]


def split_records(data: bytes) -> list[bytes]:
    """The file's lines cut at newlines outside quoted fields (the header first)."""
    out, start, quoted = [], 0, False
    for i, c in enumerate(data):
        if c == 0x22:
            quoted = not quoted
        elif c == 0x0A and not quoted:
            out.append(data[start:i + 1])
            start = i + 1
    if start < len(data):
        out.append(data[start:])
    return out


def first_rows(path: Path, n: int) -> bytes:
    """The header and the first ``n`` records of a record file, byte for byte."""
    return b"".join(split_records(path.read_bytes())[: n + 1])


def ids_of(data: bytes) -> list[str]:
    """The NCT numbers of a record file's rows (website export or flattened API v2 CSV)."""
    rows = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    return [r.get("NCT Number") or r.get("NCTId") for r in rows]


def gold_rows(judge: Path) -> list[dict[str, str]]:
    """Every row of the set's ``gold_part*.csv`` files, each with its file in ``_part``."""
    rows = []
    for part in sorted(judge.glob("gold_part*.csv")):
        with open(part, newline="", encoding="utf-8") as fh:
            rows += [dict(r, _part=part.name) for r in csv.DictReader(fh)]
    return rows


def checked_record_files(judge: Path) -> tuple[dict[str, set[str]], list[tuple[Path, bytes]]]:
    """The gold rows' trial ids by the record file they name, and every record file of
    ``judge`` with its bytes, once it is checked that the record files are exactly the files the
    gold rows name and that each one's SHA-256 (its first 16 hex digits) is on its line of the
    README's source table (``| `name` | ...``), so that a changed byte shows."""
    by_file: dict[str, set[str]] = collections.defaultdict(set)
    for r in gold_rows(judge):
        by_file[r["source_file"]].add(r["trial_id"])
    paths = sorted(p for p in judge.iterdir()
                   if p.is_file() and p.suffix != ".md" and not p.name.startswith("gold_part"))
    assert {p.name for p in paths} == set(by_file)
    readme = (judge / "README.md").read_text(encoding="utf-8")
    files = []
    for p in paths:
        data = p.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:16]
        line = next((ln for ln in readme.splitlines() if ln.startswith(f"| `{p.name}`")), "")
        assert digest in line, (p.name, digest)
        files.append((p, data))
    return by_file, files


def part_ids(judge: Path, name: str) -> set[str]:
    """The trial ids of one gold file."""
    with open(judge / name, newline="", encoding="utf-8") as fh:
        return {r["trial_id"].strip() for r in csv.DictReader(fh)}


def readme_counts(readme: Path, section: str) -> dict[tuple[str, str], int]:
    """The ``all`` column of the composition table of one section of a set's README (rows
    ``| `label` / `class` | ... | n |``)."""
    text = readme.read_text(encoding="utf-8")
    body = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    out = {}
    for m in re.finditer(r"^\| `(\w+)` / `(\w+)` \|(.*)\|\s*$", body, re.M):
        out[(m[1], m[2])] = int(m[3].split("|")[-1].strip().strip("*"))
    return out


def root_with(tmp_path: Path, name: str, labels: list[list[str]], records: dict[str, bytes]):
    """A fixtures root beside the real one: every folder but ``name`` linked; a ``name``
    folder holding ``records`` and the given label rows in ``gold_part_a.csv``."""
    root = tmp_path / "trials"
    root.mkdir(parents=True)
    for p in FIX.iterdir():
        if p.name != name:
            (root / p.name).symlink_to(p)
    judge = root / name
    judge.mkdir()
    (judge / "README.md").write_text("a test set\n", encoding="utf-8")
    for file, data in records.items():
        (judge / file).write_bytes(data)
    with open(judge / "gold_part_a.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(labels)
    return root
