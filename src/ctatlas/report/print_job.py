"""The PDF report's print HTML, made in a child process so that the layout runs alone.

WeasyPrint's layout of the report is the largest step in time and memory (about 250 MB). Made in
one process, the PDF also carries everything computed before the layout: the store and the
analysis's libraries (SQLAlchemy, Altair, pydantic: about 90 MB that a process cannot give
back). ``ctatlas report -f pdf`` therefore runs this module as a child: it opens the store,
computes the analysis, draws the charts and writes the print HTML to a file, then exits; the
parent, which imported none of that, lays the file out (issue 20: the PDF within 300 MB for the
whole process tree). The parent imports WeasyPrint while the child works.

The child reads its job as JSON on stdin (``db``, ``data``, ``jurisdictions``, ``as_of``,
``trials_db``, ``html``: where to write), answers ``{"as_of": "YYYY-MM-DD" | null}`` on stdout,
and on failure prints ``Error: ...`` on stderr and exits with the CLI's code for that error.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = ["PrintJob"]


class PrintJob:
    """The print HTML being made by a child process."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self._proc = proc

    @classmethod
    def start(cls, job: dict[str, Any]) -> PrintJob:
        """Start the child on ``job``; returns without waiting."""
        from ctatlas.report.chart_images import child_process

        proc = child_process(
            "ctatlas.report.print_job",
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(job).encode())
        proc.stdin.close()
        proc.stdin = None  # communicate() must not flush it again
        return cls(proc)

    def wait(self) -> dict[str, Any]:
        """The child's answer; a failed child raises :class:`ChildFailed` with its message."""
        out, errs = self._proc.communicate()
        if self._proc.returncode != 0:
            raise ChildFailed(errs.decode(errors="replace"), self._proc.returncode)
        answer: dict[str, Any] = json.loads(out)
        return answer

    def discard(self) -> None:
        """Stop the child if it is still working."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.communicate()


class ChildFailed(Exception):
    """The child exited with an error: what it printed, and its exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message.strip() or f"the report's child process exited with {exit_code}")
        self.message = message
        self.exit_code = exit_code


def _run(job: dict[str, Any]) -> dict[str, Any]:
    from ctatlas.analysis import landscape_from_store
    from ctatlas.config import trials_db_url, trials_store_exists
    from ctatlas.export import atomic_write
    from ctatlas.report import build_report
    from ctatlas.report.html import render_html
    from ctatlas.store import ensure_store

    store = ensure_store(job.get("db"), job.get("data"))
    land = landscape_from_store(store, job.get("jurisdictions"), job.get("as_of"))
    url = trials_db_url(job.get("trials_db"), atlas_url=store.url)
    trials = None
    if trials_store_exists(url):
        from ctatlas.trials.store import TrialStore

        trials = TrialStore(url, readonly=True)
    try:
        report = build_report(land, trials, job.get("lang") or "en")
    finally:
        if trials is not None:
            trials.close()
    html = render_html(report, lambda *_: None, printable=True)
    atomic_write(Path(job["html"]), html.encode("utf-8"))
    return {"as_of": land.as_of.isoformat() if land.as_of else None}


def main() -> None:
    """The child: the job from stdin, the answer on stdout, errors as the CLI prints them."""
    from ctatlas.cli.common import handle_errors

    job = json.load(sys.stdin.buffer)
    with handle_errors():
        answer = _run(job)
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    import typer

    try:
        main()
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
