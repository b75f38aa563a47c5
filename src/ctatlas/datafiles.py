"""Which files make up the dataset, and their content hash (no heavy imports here)."""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["DATA_FORMAT_VERSION", "data_files", "data_hash"]

#: Bumped when the meaning of the data or the store layout changes, so stores get rebuilt.
DATA_FORMAT_VERSION = "3"


def data_files(root: Path) -> list[Path]:
    """Every data file the dataset is built from, in a stable order."""
    files = sorted((root / "products").glob("*.yaml")) + sorted(
        (root / "jurisdictions").glob("*.yaml")
    )
    diseases = root / "diseases.yaml"
    if diseases.exists():
        files.append(diseases)
    return files


def data_hash(root: Path) -> str:
    """A content hash of the data files (names and bytes), not their modification times."""
    digest = hashlib.sha256(DATA_FORMAT_VERSION.encode())
    for path in data_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
