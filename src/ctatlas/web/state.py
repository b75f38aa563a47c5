"""The web app's view of the store: read-only data and everything derived from it, cached.

The store never changes under a running app except by a rebuild, which changes its
``data_hash``. Every cache here is keyed on that hash: :meth:`Atlas.current` re-reads the
store's metadata at most every ``refresh_seconds`` and drops the derived data when the hash
has moved, so a server keeps serving while ``ctatlas build`` swaps a new store in.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import threading
import time
from collections.abc import Callable
from typing import Any

from ctatlas import __version__, conditional
from ctatlas.config import trials_store_exists
from ctatlas.store import Store

__all__ = ["Atlas", "Snapshot", "Trials", "trials_store_exists"]


class Snapshot:
    """One version of the data (one ``data_hash``) and what has been computed from it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        meta = store.meta()
        self.data_hash = meta.get("data_hash", "")
        self.built_at = _parse_time(meta.get("built_at"))
        digest = hashlib.sha256(f"{self.data_hash}:{__version__}".encode()).hexdigest()
        #: One ETag for every data response of this version (strong: the bytes depend only
        #: on the data, the code version and the URL).
        self.etag = f'"{digest[:32]}"'
        self.last_modified = email.utils.format_datetime(self.built_at, usegmt=True)
        self._derived: dict[str, Any] = {}
        self._day: dt.date | None = None
        self._lock = threading.RLock()  # derived values are computed from other derived ones

    def derived(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per data version and day (thread-safe): conditional outcomes
        are computed for today, so everything derived is dropped when the day turns."""
        day = conditional.today()
        if self._day != day:
            with self._lock:
                if self._day != day:
                    self._derived = {}
                    self._day = day
        try:
            return self._derived[key]
        except KeyError:
            pass
        with self._lock:
            if key not in self._derived:
                self._derived[key] = compute()
            return self._derived[key]

    def replace(self, key: str, value: Any) -> None:
        """Set a derived value again (it depended on something besides the data: the
        trials store's state)."""
        with self._lock:
            self._derived[key] = value

    # the data, as the query layer wants it ------------------------------------------------
    def products(self) -> list[dict[str, Any]]:
        """Every product document, in slug order."""
        return self.store.products()

    def search_texts(self) -> dict[str, str]:
        """slug -> normalised search text."""
        return self.derived("search_texts", self.store.search_texts)  # type: ignore[no-any-return]

    def jurisdictions(self) -> dict[str, dict[str, Any]]:
        """code -> jurisdiction document."""
        return self.store.jurisdictions()

    def diseases(self) -> list[dict[str, Any]]:
        """Every disease document."""
        return self.store.diseases()

    def areas(self) -> list[dict[str, Any]]:
        """Every disease area."""
        return self.derived("areas", self.store.areas)  # type: ignore[no-any-return]

    def therapies(self) -> list[dict[str, Any]]:
        """Every therapy document (authorized or only in development), in slug order."""
        return self.store.therapies()

    def by_slug(self) -> dict[str, dict[str, Any]]:
        """slug -> therapy document (a product page shows any therapy, with its programs)."""
        return self.derived(  # type: ignore[no-any-return]
            "by_slug", lambda: {doc["slug"]: doc for doc in self.therapies()}
        )

    def warm(self) -> None:
        """Read everything the pages and the API need, so no request pays for it."""
        self.products()
        self.search_texts()
        self.jurisdictions()
        self.diseases()
        self.areas()
        self.by_slug()


def _parse_time(value: str | None) -> dt.datetime:
    if value:
        try:
            parsed = dt.datetime.fromisoformat(value)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
        except ValueError:
            pass
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class Atlas:
    """The app's handle on the store: the current :class:`Snapshot`, refreshed by data hash."""

    def __init__(self, store: Store, refresh_seconds: float = 10.0) -> None:
        self.url = store.url
        self.refresh_seconds = refresh_seconds
        self._snapshot = Snapshot(store)
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    def current(self) -> Snapshot:
        """The snapshot of the data now (a rebuilt store is picked up within the interval)."""
        if self.refresh_seconds and time.monotonic() - self._checked > self.refresh_seconds:
            with self._lock:
                if time.monotonic() - self._checked > self.refresh_seconds:
                    self._checked = time.monotonic()
                    self._maybe_reload()
        return self._snapshot

    def _maybe_reload(self) -> None:
        from ctatlas.errors import StoreError

        fresh = Store(self.url)
        try:
            data_hash = fresh.meta().get("data_hash", "")
        except StoreError:
            return  # keep serving what we have
        if data_hash != self._snapshot.data_hash:
            self._snapshot = Snapshot(fresh)


class Trials:
    """The app's handle on the trials store, which changes on its own (``ctatlas trials
    ingest`` / ``link``), not with the atlas's data hash.

    The store is opened once it exists and is never created by the app. :meth:`version` is a
    token of its contents (see :meth:`ctatlas.trials.store.TrialStore.state`), re-read at
    most every ``refresh_seconds`` (every call with 0), for caches of pages that show trials.
    """

    def __init__(self, url: str, refresh_seconds: float = 10.0) -> None:
        self.url = url
        self.refresh_seconds = refresh_seconds
        self._store: Any = None
        self._version = ""
        self._checked: float | None = None
        self._lock = threading.Lock()

    def store(self) -> Any:
        """The trials store, or None while there is none (nothing is created)."""
        if self._store is None:
            with self._lock:
                if self._store is None and trials_store_exists(self.url):
                    from ctatlas.trials.store import TrialStore

                    self._store = TrialStore(self.url, readonly=True)
        return self._store

    def version(self) -> str:
        """A token that changes when the trials store's contents may have changed."""
        now = time.monotonic()
        checked = self._checked
        if checked is None or now - checked >= self.refresh_seconds:
            import sqlalchemy as sa

            store = self.store()
            try:
                version = store.state() if store is not None else "none"
            except sa.exc.SQLAlchemyError:
                version = f"unreadable:{now}"  # never reuse what was cached
            self._version, self._checked = version, now
        return self._version

    def close(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            store.close()
