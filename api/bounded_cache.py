"""A thread-safe least-recently-used map for per-process caches whose keys come from clients.

Bounded because clients choose the keys (query texts, variables): a new key only misses, it
cannot grow a worker's memory. cachetools keeps the order; the lock makes it safe under
gunicorn's threaded workers, which cachetools leaves to the caller.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Generic, TypeVar

from cachetools import LRUCache

if TYPE_CHECKING:
    from collections.abc import Hashable

V = TypeVar("V")


class BoundedCache(Generic[V]):
    def __init__(self, maxsize: int) -> None:
        self._entries: LRUCache[Hashable, V] = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            return self._entries.get(key)

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._entries[key] = value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
