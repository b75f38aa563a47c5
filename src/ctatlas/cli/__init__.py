"""The ``ctatlas`` command line: one Typer app, one module per command group.

Each module in ``COMMAND_MODULES`` defines ``register(app)``. Heavy libraries are imported
inside the commands, so ``ctatlas products`` starts fast.
"""

from __future__ import annotations

import importlib
import importlib.util

import typer

__all__ = ["app", "main"]

app = typer.Typer(
    name="ctatlas",
    help="Cell Therapy Atlas: approved cell therapy products, their regulation and pipeline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

COMMAND_MODULES = (
    "data",
    "products",
    "classify",
    "crosscheck",
    "report",
    "export",
    "serve",
    "trials",
)


@app.callback()
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


def _register_all() -> None:
    for name in COMMAND_MODULES:
        qualified = f"{__name__}.{name}"
        if importlib.util.find_spec(qualified) is None:
            continue  # a command group not written yet
        importlib.import_module(qualified).register(app)


_register_all()


def main() -> None:
    """Entry point of the ``ctatlas`` console script."""
    app()
