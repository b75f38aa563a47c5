"""Quick commands stay quick: building the CLI imports no heavy library.

`ctatlas products` must answer in well under half a second end to end, so the command
modules import pydantic, SQLAlchemy, FastAPI, Altair and friends inside the commands, never at
module level. (The end-to-end time is measured by benchmarks/foundation.py, not here.)
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pydantic", "sqlalchemy", "fastapi", "altair", "pandas", "openpyxl", "httpx", "uvicorn")


def test_importing_the_cli_loads_no_heavy_library() -> None:
    code = (
        "import sys, ctatlas.cli; "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
