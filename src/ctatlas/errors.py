"""Named exceptions of the library. The CLI turns each into one line and an exit code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ctatlas.dataset import Problem

__all__ = [
    "BadInput",
    "CtatlasError",
    "DatasetInvalid",
    "RecordNotFound",
    "StoreError",
]


class CtatlasError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = 2


class DatasetInvalid(CtatlasError):
    """The curated data has problems; ``problems`` lists every one."""

    exit_code = 1

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__(f"the data has {len(errors)} error(s)")


class RecordNotFound(CtatlasError):
    """No record with that id; ``suggestions`` holds close matches."""

    exit_code = 3

    def __init__(self, what: str, key: str, suggestions: Sequence[str] = ()) -> None:
        self.what, self.key, self.suggestions = what, key, list(suggestions)
        message = f"no {what} '{key}'"
        if self.suggestions:
            message += ". Did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(message)


class BadInput(CtatlasError):
    """A user-supplied value or file is not acceptable."""

    exit_code = 2


class StoreError(CtatlasError):
    """The store cannot be built or read."""

    exit_code = 2
