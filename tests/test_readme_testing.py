"""The README's "running the PostgreSQL and browser tests locally" matches what CI really does."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("### Running the PostgreSQL and browser tests locally")
    return readme[start : readme.index("\n## ", start)]


def test_readme_installs_what_ci_installs() -> None:
    section = _section()
    line = next(x for x in section.splitlines() if "apt-get install" in x)
    wanted = set((ROOT / ".ci" / "apt-packages.txt").read_text().split())
    assert set(line.split("apt-get install", 1)[1].split()) == wanted


def test_readme_describes_ci_run_as_it_is() -> None:
    section = _section()
    ci = (ROOT / ".ci" / "run").read_text()
    port = re.search(r"^PGPORT=(\d+)$", ci, re.M)
    database = re.search(r"createdb -h \S+ -p \$PGPORT (\w+)", ci)
    assert port and database
    assert f"port {port[1]}" in section and f"`{database[1]}`" in section
    assert "export CTATLAS_TEST_POSTGRES_URL=" in ci and "CTATLAS_TEST_POSTGRES_URL" in section
    assert (
        "scripts/test" in ci
        and "/usr/bin/chromium" in (ROOT / "tests" / "web" / "test_browser.py").read_text()
    )
