"""Typed dependencies of the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ctatlas.web.state import Snapshot

__all__ = ["SnapshotDep", "snapshot"]


def snapshot(request: Request) -> Snapshot:
    """The current data (see :class:`ctatlas.web.state.Atlas`)."""
    return request.app.state.atlas.current()  # type: ignore[no-any-return]


SnapshotDep = Annotated[Snapshot, Depends(snapshot)]
