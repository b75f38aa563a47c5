"""The web atlas: a read-only REST API under ``/api/v1`` and server-rendered pages.

``create_app(db_url=None, data=None, *, store=None)`` builds the ASGI app; ``ctatlas serve``
runs it with uvicorn.
"""

from __future__ import annotations

from ctatlas.web.app import create_app

__all__ = ["create_app"]
