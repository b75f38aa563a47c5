"""Static assets under fingerprinted names: ``/static/site.<hash>.css``.

The pages link every stylesheet, script and icon by a name holding a hash of its content
(:meth:`Assets.url`), served with ``Cache-Control: public, max-age=31536000, immutable``: a
browser keeps it for a year and never asks again, and a new release, whose files hash
differently, is fetched at once under its new names. The plain names (``/static/site.css``)
are still answered, with ``Cache-Control: no-cache`` (revalidated through their ETag), for
bookmarks and old pages; a fingerprint that is not the current one (a page cached before an
upgrade) redirects to the current name (``307``, not cached).

    >>> Assets.fingerprinted("vendor/vega.min.js", "0123456789ab")
    'vendor/vega.min.0123456789ab.js'
"""

from __future__ import annotations

import functools
import hashlib
import re
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

__all__ = ["IMMUTABLE", "REVALIDATE", "Assets", "FingerprintedStatic", "package_assets"]

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
#: ``name.<12 hex>.ext``: a fingerprinted name.
_FINGERPRINT = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{12})(?P<ext>\.[A-Za-z0-9]+)$")


class Assets:
    """The fingerprints of every file under ``folder`` (computed once: the files ship with the
    package and do not change while the server runs)."""

    def __init__(self, folder: Path, prefix: str = "/static/") -> None:
        self.folder = folder
        self.prefix = prefix
        self.hashes: dict[str, str] = {}
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(folder).as_posix()
                self.hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]

    @staticmethod
    def fingerprinted(name: str, digest: str) -> str:
        """``name`` with ``digest`` before its last extension."""
        folder, _, base = name.rpartition("/")
        stem, dot, ext = base.rpartition(".")
        if not dot:
            stem, ext = base, ""
        out = f"{stem}.{digest}" + (f".{ext}" if ext else "")
        return f"{folder}/{out}" if folder else out

    def url(self, name: str) -> str:
        """The URL of the asset ``name`` (``site.css``, ``vendor/vega.min.js``) under its
        fingerprinted name; KeyError for a file that does not exist (a typo in a template
        fails at once, not as a 404 in a browser)."""
        return self.prefix + self.fingerprinted(name, self.hashes[name])

    def resolve(self, path: str) -> tuple[str, str | None]:
        """(the file's own name, the fingerprint asked for or None) for a request path under
        the prefix."""
        match = _FINGERPRINT.match(path)
        if match:
            original = match["stem"] + match["ext"]
            if original in self.hashes:
                return original, match["hash"]
        return path, None


class FingerprintedStatic(StaticFiles):
    """StaticFiles answering fingerprinted names (immutable), plain names (revalidated) and
    outdated fingerprints (a redirect to the current name)."""

    def __init__(self, assets: Assets, **kwargs: Any) -> None:
        super().__init__(directory=assets.folder, **kwargs)
        self.assets = assets

    async def get_response(self, path: str, scope: Scope) -> Response:
        name, digest = self.assets.resolve(path)
        if digest is not None and digest != self.assets.hashes[name]:
            return RedirectResponse(
                self.assets.url(name), status_code=307, headers={"Cache-Control": REVALIDATE}
            )
        response = await super().get_response(name, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = IMMUTABLE if digest else REVALIDATE
        return response


@functools.cache
def package_assets() -> Assets:
    """The fingerprints of the package's own static folder (``ctatlas/web/static``)."""
    return Assets(Path(str(resources.files("ctatlas.web") / "static")))
