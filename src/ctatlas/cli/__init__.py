"""The ``ctatlas`` command line: one Typer app, one module per command group.

Each module in ``COMMAND_MODULES`` defines ``register(app)``. Heavy libraries are imported
inside the commands, and the console script registers only the command group it is asked to
run (all of them for ``--help`` or an unknown word), so ``ctatlas products`` starts fast.
``ctatlas.cli.app`` is the complete app, for tests and embedding.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

import typer

__all__ = ["app", "build_app", "main"]

COMMAND_MODULES = (
    "data",
    "products",
    "pipeline",
    "classify",
    "jurisdiction",
    "crosscheck",
    "report",
    "export",
    "serve",
    "trials",
    "conditional",
    "designations",
)

#: Which module defines each top-level command (for registering only what a run needs).
COMMAND_TO_MODULE = {
    "validate": "data",
    "fmt": "data",
    "schema": "data",
    "build": "data",
    "products": "products",
    "show": "products",
    "pipeline": "pipeline",
    "classify": "classify",
    "jurisdiction": "jurisdiction",
    "crosscheck": "crosscheck",
    "report": "report",
    "export": "export",
    "serve": "serve",
    "trials": "trials",
    "conditional": "conditional",
    "designations": "designations",
}

GLOBAL_OPTIONS_WITH_VALUE = ("--db", "--data")


def _global(
    db: str | None = typer.Option(
        None, "--db", help="Store URL for every command [env: CTATLAS_DB]", show_default=False
    ),
    data: str | None = typer.Option(
        None, "--data", help="Curated data folder [env: CTATLAS_DATA]", show_default=False
    ),
) -> None:
    """Cell Therapy Atlas: approved cell therapy products, their regulation and pipeline."""
    from ctatlas.cli.common import STATE

    STATE.db, STATE.data = db, data


def build_app(modules: Sequence[str] = COMMAND_MODULES) -> typer.Typer:
    """A Typer app with the command groups of ``modules`` registered."""
    new = typer.Typer(
        name="ctatlas",
        help="Cell Therapy Atlas: approved cell therapy products, their regulation and pipeline.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    new.callback()(_global)
    for name in modules:
        importlib.import_module(f"{__name__}.{name}").register(new)
    return new


def _command_word(argv: Sequence[str]) -> str | None:
    """The first word after the global options, if any."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in GLOBAL_OPTIONS_WITH_VALUE:
            i += 2
            continue
        if word.startswith("--db=") or word.startswith("--data="):
            i += 1
            continue
        return None if word.startswith("-") else word
    return None


def __getattr__(name: str) -> typer.Typer:
    """``ctatlas.cli.app``: the complete app, built on first use."""
    if name == "app":
        full = build_app()
        globals()["app"] = full
        return full
    raise AttributeError(name)


def main() -> None:
    """Entry point of the ``ctatlas`` console script."""
    from ctatlas.cli.common import STATE, exit_now

    module = COMMAND_TO_MODULE.get(_command_word(sys.argv[1:]) or "")
    STATE.exit_fast = False  # only this run's command may ask for the fast end
    try:
        (build_app([module]) if module else build_app())()
    except SystemExit as exc:
        if STATE.exit_fast:  # the command closed its stores: no teardown needed
            exit_now(exc.code)
        raise
