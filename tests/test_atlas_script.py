"""``scripts/atlas``: says on stderr what it is doing, one line per step."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_atlas_script_names_its_steps(tmp_path: Path) -> None:
    """Run in a copy of the project layout whose .venv already holds the atlas: no install, one
    line saying what starts, then the atlas itself (here its --help)."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "atlas", tmp_path / "scripts" / "atlas")
    (tmp_path / "scripts" / "runtime-apt-packages.txt").write_text("")
    (tmp_path / "pyproject.toml").write_text("")
    os.utime(tmp_path / "pyproject.toml", (0, 0))  # older than the installed atlas
    venv_bin = tmp_path / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    ctatlas = shutil.which("ctatlas", path=str(Path(sys.executable).parent))
    assert ctatlas, "the atlas is installed next to this Python"
    (venv_bin / "python").symlink_to(sys.executable)
    (venv_bin / "ctatlas").symlink_to(ctatlas)
    result = subprocess.run(
        ["bash", str(tmp_path / "scripts" / "atlas"), "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    steps = [line for line in result.stderr.splitlines() if line.startswith("atlas: ")]
    assert steps == [
        "atlas: starting: the store is built from data/ first when it is missing or stale"
    ]
    assert "--port" in result.stdout  # it went on to `ctatlas serve --help`
