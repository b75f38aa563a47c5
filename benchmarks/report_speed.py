"""How long the report takes, cold, as a user runs it (issue 20: PDF <= 5 s and <= 300 MB for
the whole process tree; HTML <= 1 s).

Builds a SQLite store from ``data/`` once, then, for each format, runs ``ctatlas report`` in a
fresh process several times (what a user waits for: start-up, analysis, charts, layout) and
prints the median wall time, the peak resident memory of the process and its children (from
``wait4``), and the PDF's page count. A second pass runs the same report in one process with
the renderer's progress steps timed, to show where the time goes (analysis, each chart, the
HTML, WeasyPrint's layout), and times WeasyPrint laying out the same print HTML on its own:
the layout engine's floor.

    python benchmarks/report_speed.py [--runs 3] [--formats html,pdf]

Prints; asserts nothing. The machine is shared: compare medians from one run.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _cli() -> list[str]:
    exe = Path(sys.executable).parent / "ctatlas"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "ctatlas"]


def cold_run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one fresh ``ctatlas`` process (children included)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        _cli() + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=False
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"ctatlas {' '.join(args)} failed:\n{err}")
    return wall, usage.ru_maxrss / 1024


def phases(db: str, data: str, fmt: str, out: Path) -> dict[str, float]:
    """Seconds per step of one in-process run: the analysis, then each renderer step."""
    from ctatlas.analysis.landscape import landscape_from_store
    from ctatlas.report import build_report, render
    from ctatlas.store import Store

    times: dict[str, float] = defaultdict(float)
    t0 = time.perf_counter()
    report = build_report(landscape_from_store(Store(db)))
    times["analysis (landscape, findings, tables, chart specs)"] = time.perf_counter() - t0
    last = [time.perf_counter(), "start"]

    def step(description: str, done: int, total: int) -> None:
        now = time.perf_counter()
        label = re.sub(r"\d+", "N", str(last[1]))
        times[label] += now - float(last[0])
        last[0], last[1] = now, description

    render(report, fmt, out, step)
    step("end", 0, 0)
    times.pop("start", None)
    return dict(times)


def layout_floor(db: str, runs: int) -> tuple[float, float, int]:
    """WeasyPrint on the print HTML alone: (median seconds, seconds the HTML took, pages)."""
    import weasyprint

    from ctatlas.analysis.landscape import landscape_from_store
    from ctatlas.report import build_report
    from ctatlas.report.html import render_html
    from ctatlas.store import Store

    report = build_report(landscape_from_store(Store(db)))
    t0 = time.perf_counter()
    html = render_html(report, lambda *a: None, printable=True)
    took_html = time.perf_counter() - t0
    layouts = []
    pages = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        document = weasyprint.HTML(string=html).render()
        document.write_pdf()
        layouts.append(time.perf_counter() - t0)
        pages = len(document.pages)
    return statistics.median(layouts), took_html, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(REPO / "data"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default="html,pdf")
    parser.add_argument("--no-phases", action="store_true", help="cold runs only")
    args = parser.parse_args()
    formats = [f for f in args.formats.split(",") if f]

    tmp = Path(tempfile.mkdtemp(prefix="ctatlas-report-bench-"))
    db = f"sqlite:///{tmp / 'atlas.sqlite'}"
    base = ["--db", db, "--data", args.data]
    cold_run([*base, "build"])
    print(f"report speed: {args.runs} cold runs per format, medians (one process each)")
    for fmt in formats:
        out = tmp / f"report.{fmt}"
        runs = [
            cold_run([*base, "report", "-q", "-f", fmt, "-o", str(out)]) for _ in range(args.runs)
        ]
        wall = statistics.median(w for w, _ in runs)
        rss = max(r for _, r in runs)
        extra = ""
        print(
            f"{fmt:5} cold: {wall:6.2f} s (runs {', '.join(f'{w:.2f}' for w, _ in runs)}), "
            f"peak RSS {rss:.0f} MiB, {out.stat().st_size / 1e6:.2f} MB{extra}"
        )
    if args.no_phases:
        return
    for fmt in formats:
        split = phases(db, args.data, fmt, tmp / f"phases.{fmt}")
        total = sum(split.values())
        print(f"{fmt} in one process, {total:.2f} s by step:")
        for label, took in sorted(split.items(), key=lambda kv: -kv[1]):
            print(f"  {took:6.2f} s  {took / total:5.0%}  {label}")
    if "pdf" in formats:
        floor, html, pages = layout_floor(db, max(1, args.runs))
        print(
            f"layout floor: WeasyPrint alone on the print HTML ({pages} pages) {floor:.2f} s "
            f"(the print HTML itself took {html:.2f} s)"
        )


if __name__ == "__main__":
    main()
