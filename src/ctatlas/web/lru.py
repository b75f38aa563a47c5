"""A least-recently-used map bounded by the bytes it holds, not only by its number of entries.

A cache keyed on request URLs grows with every distinct URL a client invents; bounding it by
bytes keeps the server's memory flat whatever the clients ask. Thread-safe (FastAPI runs
plain routes in a thread pool).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

__all__ = ["ByteLRU"]


class ByteLRU:
    """``key -> (value, size)``; the oldest entries go when the sizes pass ``max_bytes`` or
    the count passes ``max_entries``. A value larger than ``max_item`` is never kept."""

    def __init__(
        self, max_bytes: int, *, max_entries: int = 4096, max_item: int | None = None
    ) -> None:
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.max_item = max_bytes // 4 if max_item is None else max_item
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> Any:
        """The value, or None (and the entry becomes the most recent)."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self.hits += 1
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: Any, size: int) -> bool:
        """Keep ``value`` (``size`` bytes); False when it is too large to keep."""
        if size > self.max_item:
            return False
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._entries[key] = (value, size)
            self.bytes += size
            while self._entries and (
                self.bytes > self.max_bytes or len(self._entries) > self.max_entries
            ):
                _, (_, dropped) = self._entries.popitem(last=False)
                self.bytes -= dropped
        return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0
