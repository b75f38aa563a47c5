"""The atlas's link specs and cell-therapy terms, kept between runs of the trials commands.

Building them (:func:`~ctatlas.trials.link.product_specs` and
:func:`~ctatlas.trials.atlas_terms.cell_terms`) reads every therapy document, works out each
one's cell family with the classifier's patterns and builds the term tables: about a quarter of
``ctatlas trials ingest``'s start-up, the same answer every time until something they are
built from changes. :func:`specs_and_terms` keeps the answer in one file and uses it only when
its key is the same as now:

- the atlas store's build record (its ``meta`` table: the data's content hash, when it was
  built, the version that built it) and its URL: any change of the curated data rebuilds the
  store (``ensure_store``) and so changes the key;
- a content hash of the ``ctatlas`` package's source files (:func:`code_fingerprint`): a
  change of a rule, a pattern, the linker's or the terms' code changes the key;
- the day (the therapy documents are annotated for a day), Python's version.

Anything else (no file, another key, a file that cannot be read or unpickled) builds them
afresh and rewrites the file (atomically: a half-written file is never read). A file that
cannot be written is no error: the next run builds them again. The file sits beside a SQLite
atlas store (``atlas.sqlite.trials-terms``), else in the user data folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["cache_path", "code_fingerprint", "specs_and_terms"]

#: bump to drop every cache file written by an earlier layout
CACHE_FORMAT = "1"


@cache
def code_fingerprint(root: Path | None = None) -> str:
    """A content hash of every ``.py`` file of the package under ``root`` (default: the
    installed ``ctatlas``): names and bytes, in path order."""
    if root is None:
        root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def cache_path(atlas_url: str) -> Path:
    """Where the cache of the atlas at ``atlas_url`` is kept."""
    from ctatlas.config import sqlite_path, user_data_dir

    path = sqlite_path(atlas_url)
    if path is not None:
        return path.with_name(path.name + ".trials-terms")
    return user_data_dir() / "atlas.trials-terms"


def _key(atlas: Any) -> str:
    meta = sorted(atlas.meta().items())
    # the day as ctatlas.conditional.today() computes it (not imported: a cache hit does not
    # need that module)
    day = dt.datetime.now(dt.UTC).date()
    parts = [CACHE_FORMAT, atlas.url, repr(meta), code_fingerprint(), str(day), sys.version]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _build(atlas: Any) -> tuple[Any, Any]:
    from .atlas_terms import cell_terms
    from .link import product_specs

    return product_specs(atlas), cell_terms(atlas)


def specs_and_terms(atlas: Any) -> tuple[Any, Any]:
    """``(product_specs(atlas), cell_terms(atlas))``, from the cache when its key is today's
    key (see the module's text), else built and cached. ``atlas``: a built
    :class:`~ctatlas.store.Store` (``ensure_store`` has checked it against the data)."""
    key = _key(atlas)
    path = cache_path(atlas.url)
    try:
        with open(path, "rb") as fh:
            if fh.readline().rstrip(b"\n") == key.encode():
                found = pickle.load(fh)
                if isinstance(found, tuple) and len(found) == 2:
                    return found
    except Exception:  # noqa: BLE001 - no file, another layout, a torn file: build afresh
        pass
    built = _build(atlas)
    _write(path, key, built)
    return built


def _write(path: Path, key: str, value: tuple[Any, Any]) -> None:
    """Write the cache file whole or not at all (a temporary file renamed over it)."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key.encode() + b"\n")
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
    except OSError:  # a folder we may not write to: no cache, the answer is the same
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
