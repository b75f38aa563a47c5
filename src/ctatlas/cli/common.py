"""Options and helpers shared by every command: defined once, reused."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from enum import Enum
from typing import Annotated, Any

import typer

from ctatlas.errors import BadInput, CtatlasError, DatasetInvalid

__all__ = [
    "DataOpt",
    "DbOpt",
    "FormatOpt",
    "JurisdictionOpt",
    "OutputFormat",
    "STATE",
    "exit_now",
    "fail",
    "handle_errors",
    "print_problems",
]


class OutputFormat(str, Enum):
    """Output formats of listing commands."""

    table = "table"
    json = "json"
    csv = "csv"


class _State:
    """Global options given before the command (``ctatlas --db URL products``)."""

    db: str | None = None
    data: str | None = None
    #: set by a command that has closed its stores and wants the console script to end the
    #: process at once (:func:`exit_now`) rather than tear the interpreter down
    exit_fast: bool = False


STATE = _State()


def exit_now(code: object) -> None:
    """End the process with ``code`` (a ``SystemExit`` code) after flushing stdout and
    stderr, without the interpreter's teardown (freeing every module and object one by one:
    ~0.1 s after an ingest has compiled the classifier's patterns). Only for a command that
    has already closed what it wrote (the store's last checkpoint is in the file), and only
    from the console script: a test's in-process run of the app never comes here."""
    import os

    if code is None:
        code = 0
    elif not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    kept = sys.modules.get("ctatlas.trials.recache")
    if kept is not None:  # the patterns compiled this run, for the next (atexit is skipped)
        kept.save()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be written anyway
            pass
    os._exit(code)

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Store URL (SQLAlchemy): sqlite:///path or postgresql://... [env: CTATLAS_DB]",
        show_default=False,
    ),
]
DataOpt = Annotated[
    str | None,
    typer.Option("--data", help="Curated data folder [env: CTATLAS_DATA; default: packaged data]"),
]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
JurisdictionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--jurisdiction",
        "-j",
        help="Jurisdiction code; repeat it or give a comma list (JP,KR).",
        show_default=False,
    ),
]


def db_url(explicit: str | None) -> str | None:
    """The command's --db, else the global one."""
    return explicit or STATE.db


def data_path(explicit: str | None) -> str | None:
    """The command's --data, else the global one."""
    return explicit or STATE.data


def err(message: str) -> None:
    """One line to stderr."""
    sys.stderr.write(message.rstrip("\n") + "\n")


def fail(message: str, code: int) -> typer.Exit:
    """Print ``Error: message`` to stderr and return the Exit to raise."""
    err(f"Error: {message}")
    return typer.Exit(code)


def print_problems(problems: list[Any]) -> None:
    """One line per problem to stderr, then a count."""
    for problem in problems:
        err(problem.format())
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    err(f"{errors} error(s), {warnings} warning(s)")


@contextlib.contextmanager
def handle_errors() -> Iterator[None]:
    """Turn the library's named errors into one-line messages and exit codes."""
    try:
        yield
    except DatasetInvalid as exc:
        print_problems(exc.problems)
        raise fail("the data is invalid; run `ctatlas validate` for details", 1) from None
    except CtatlasError as exc:
        raise fail(str(exc), exc.exit_code) from None


def check_jurisdictions(codes: list[str], known: list[str] | set[str]) -> None:
    """Refuse a jurisdiction code the store does not hold, naming the ones it does."""
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise BadInput(
            f"unknown jurisdiction {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
