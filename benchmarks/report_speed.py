"""How long the report takes, cold, as a user runs it (issue 20: PDF <= 5 s and <= 300 MB for
the whole process tree; HTML <= 1 s).

Builds a SQLite store from ``data/`` once, then, for each format, runs ``ctatlas report`` in a
fresh process several times (what a user waits for: start-up, analysis, charts, layout) and
prints the median wall time, the peak memory of the whole process tree (PSS of the process and
its children summed, sampled every 10 ms: ``ctatlas report -f pdf`` makes its print HTML in a
child and draws charts in another) and the largest single process's RSS (``wait4``).
A second pass runs the same report in one process with
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
import threading
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


#: ``ctatlas`` from whatever ``ctatlas`` package is first on the path (for ``--before``)
_MAIN = "from ctatlas.cli import main; main()"


def _cli() -> list[str]:
    exe = Path(sys.executable).parent / "ctatlas"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "ctatlas"]


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found += [int(x) for x in fh.read().split()]
    except OSError:  # gone, or not Linux
        pass
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_mib(pid: int) -> float:
    """The proportional set size of ``pid`` and every descendant, summed (MiB): memory the
    process tree holds at this moment, shared pages counted once."""
    todo, total = [pid], 0
    while todo:
        p = todo.pop()
        total += _pss_kib(p)
        todo += _children(p)
    return total / 1024


def cold_run(
    args: list[str], command: list[str] | None = None, env: dict[str, str] | None = None
) -> tuple[float, float, float, float]:
    """One fresh ``ctatlas`` process (or ``command``): wall seconds, the peak of its whole
    process tree's memory (PSS summed over the tree, sampled every 10 ms; MiB), the
    largest RSS any single process of the tree reached (``wait4``; MiB), and the CPU seconds
    (user + system) of the process and the children it waited for: what holds under load."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command or _cli() + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=False,
        env=env,
    )
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_pss_mib(proc.pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"ctatlas {' '.join(args)} failed:\n{err}")
    return wall, peak[0], usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


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


def layout_floor(db: str, runs: int) -> tuple[float, float, int, float]:
    """WeasyPrint on the print HTML alone: (median seconds, seconds the HTML took, pages, peak
    memory in MiB of a fresh process that only imports WeasyPrint and lays the HTML out)."""
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
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "print.html"
        page.write_text(html, encoding="utf-8")
        script = (
            "import sys, weasyprint; "
            "weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])"
        )
        memory = max(
            cold_run([], [sys.executable, "-c", script, str(page), str(Path(tmp) / "o.pdf")])[1]
            for _ in range(runs)
        )
    return statistics.median(layouts), took_html, pages, memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(REPO / "data"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default="html,pdf")
    parser.add_argument("--no-phases", action="store_true", help="cold runs only")
    parser.add_argument(
        "--before", metavar="SRC",
        help="another checkout's src/ folder (e.g. main's, from git archive): its cold runs "
        "alternate with this code's, run for run, and the two medians are compared",
    )
    args = parser.parse_args()
    formats = [f for f in args.formats.split(",") if f]

    tmp = Path(tempfile.mkdtemp(prefix="ctatlas-report-bench-"))
    db = f"sqlite:///{tmp / 'atlas.sqlite'}"
    base = ["--db", db, "--data", args.data]
    cold_run([*base, "build"])
    print(f"report speed: {args.runs} cold runs per format, medians (one process each)")
    pdf_cold: tuple[float, float] | None = None
    for fmt in formats:
        out = tmp / f"report.{fmt}"
        command = [*base, "report", "-q", "-f", fmt, "-o", str(out)]
        runs, before = [], []
        for _ in range(args.runs):
            runs.append(cold_run(command))
            if args.before:
                env = dict(os.environ, PYTHONPATH=str(Path(args.before).resolve()))
                before.append(cold_run(command, [sys.executable, "-c", _MAIN, *command], env))
        if before:
            print(
                f"{fmt:5} before ({args.before}): {statistics.median(r[0] for r in before):6.2f} s "
                f"(runs {', '.join(f'{r[0]:.2f}' for r in before)}), CPU "
                f"{statistics.median(r[3] for r in before):.2f} s "
                f"(runs {', '.join(f'{r[3]:.2f}' for r in before)})"
            )
        wall = statistics.median(r[0] for r in runs)
        tree = max(r[1] for r in runs)
        rss = max(r[2] for r in runs)
        cpu = statistics.median(r[3] for r in runs)
        print(
            f"{fmt:5} cold: {wall:6.2f} s (runs {', '.join(f'{r[0]:.2f}' for r in runs)}), "
            f"CPU {cpu:.2f} s (runs {', '.join(f'{r[3]:.2f}' for r in runs)}), "
            f"process tree peak {tree:.0f} MiB (largest single process {rss:.0f} MiB RSS), "
            f"{out.stat().st_size / 1e6:.2f} MB"
        )
        if fmt == "pdf":
            pdf_cold = (wall, tree)
    if args.no_phases:
        return
    for fmt in formats:
        split = phases(db, args.data, fmt, tmp / f"phases.{fmt}")
        total = sum(split.values())
        print(f"{fmt} in one process, {total:.2f} s by step:")
        for label, took in sorted(split.items(), key=lambda kv: -kv[1]):
            print(f"  {took:6.2f} s  {took / total:5.0%}  {label}")
    if "pdf" in formats:
        floor, html, pages, memory = layout_floor(db, max(1, args.runs))
        print(
            f"layout floor: WeasyPrint alone on the print HTML ({pages} pages) {floor:.2f} s, "
            f"{memory:.0f} MiB in a fresh process (the print HTML itself took {html:.2f} s)"
        )
        if pdf_cold:
            wall, tree = pdf_cold
            print(f"cold PDF / layout floor: {wall / floor:.2f}x the time, "
                  f"{tree / memory:.2f}x the memory")


if __name__ == "__main__":
    main()
