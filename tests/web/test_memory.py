"""The server's memory across rebuilds (issue 21): glibc's arenas capped, freed pages returned.

The figures live in ``benchmarks/web_soak.py``; here the mechanism is checked on this process,
and the soak itself runs briefly (a rebuild under load: no error, the new data served).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ctatlas.web import memory

REPO = Path(__file__).resolve().parents[2]


def _glibc() -> bool:
    return memory._glibc() is not None


def test_release_collects_the_old_data_and_trims_where_glibc_allows() -> None:
    """What a swap drops is often in reference cycles (documents that point at each other):
    release collects them before trimming, so their pages can go back to the system."""
    import gc
    import weakref

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: reference counting alone never frees it
    gone = weakref.ref(a)
    del a, b
    gc.disable()  # only release_freed_memory may collect it
    try:
        assert gone() is not None
        assert memory.release_freed_memory() is _glibc()
        assert gone() is None
    finally:
        gc.enable()


def test_the_arena_cap_yields_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert memory.limit_malloc_arenas() is False  # the operator's setting wins
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    assert memory.limit_malloc_arenas() is _glibc()


def test_a_short_soak_with_a_rebuild_has_no_error_and_serves_the_new_data() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTATLAS_")}
    out = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "web_soak.py"), "--clients", "8"]
        + ["--duration", "8", "--rebuilds", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=True,
    ).stdout
    assert "errors:     0" in out, out
    assert "the server serves the new data" in out, out
    assert "server RSS:" in out
