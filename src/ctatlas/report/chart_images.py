"""Chart images for the printable report, drawn in a short-lived child process.

vl-convert keeps its JavaScript runtime (about 120 MB resident) for the life of the process that
first uses it, and WeasyPrint's layout of the report needs about 250 MB of its own. Drawn in the
report's process, the two add up (issue 20 measured 492 MB for ``ctatlas report -f pdf``). Drawn
in a child that exits before the layout starts, they never coexist, and the child's start-up
(about 0.5 s, most of it the runtime) overlaps the parent's import of WeasyPrint.

    job = ChartImages.start(charts, scale=2)   # returns at once
    ...                                        # other work meanwhile
    pngs = job.collect()                       # one PNG per chart, in order

The child is ``python -m ctatlas.report.chart_images DIR`` reading ``{"scale", "specs"}`` as
JSON on stdin and writing ``DIR/0.png``, ``DIR/1.png`` ... A child that fails raises
:class:`~ctatlas.errors.BadInput` with what it printed; the temporary folder is removed either way.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ctatlas.analysis.charts import Chart

__all__ = ["ChartImages", "child_process"]


def child_process(module: str, *args: str, **popen: Any) -> subprocess.Popen[bytes]:
    """``python -m module args`` with this interpreter, importing the same ``ctatlas`` as this
    process (its folder first on the child's ``PYTHONPATH``, whatever the working folder)."""
    import os

    import ctatlas

    env = dict(os.environ)
    root = str(Path(ctatlas.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return subprocess.Popen([sys.executable, "-m", module, *args], env=env, **popen)


class ChartImages:
    """PNG images of charts being drawn by a child process."""

    def __init__(self, proc: subprocess.Popen[bytes], folder: Path, count: int) -> None:
        self._proc = proc
        self._folder = folder
        self._count = count

    @classmethod
    def start(cls, charts: Sequence[Chart], scale: float = 2.0) -> ChartImages:
        """Start drawing ``charts``; returns without waiting."""
        folder = Path(tempfile.mkdtemp(prefix="ctatlas-charts-"))
        payload = json.dumps({"scale": scale, "specs": [c.spec for c in charts]}).encode()
        try:
            proc = child_process(
                "ctatlas.report.chart_images",
                str(folder),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            assert proc.stdin is not None
            proc.stdin.write(payload)  # the child reads all of it before drawing
            proc.stdin.close()
            proc.stdin = None  # communicate() must not flush it again
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return cls(proc, folder, len(charts))

    def collect(self) -> list[bytes]:
        """Wait for the child; the PNGs in the charts' order."""
        try:
            _, stderr = self._proc.communicate()
            if self._proc.returncode != 0:
                from ctatlas.errors import BadInput

                detail = stderr.decode(errors="replace").strip().splitlines()
                raise BadInput(
                    "drawing the report's charts failed (vl-convert, exit "
                    f"{self._proc.returncode}): {detail[-1] if detail else 'no message'}"
                )
            return [(self._folder / f"{i}.png").read_bytes() for i in range(self._count)]
        finally:
            shutil.rmtree(self._folder, ignore_errors=True)


    def discard(self) -> None:
        """Stop the child (if still drawing) and remove its folder."""
        try:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.communicate()
        finally:
            shutil.rmtree(self._folder, ignore_errors=True)


def _draw(folder: Path, job: dict[str, Any]) -> None:
    import vl_convert as vlc

    scale = float(job.get("scale", 2.0))
    for i, spec in enumerate(job["specs"]):
        (folder / f"{i}.png").write_bytes(bytes(vlc.vegalite_to_png(spec, scale=scale)))


if __name__ == "__main__":  # the child
    _draw(Path(sys.argv[1]), json.load(sys.stdin.buffer))
