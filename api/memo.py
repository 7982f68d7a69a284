"""A short per-process memo of who a screen's token is, and where the shared cache takes over.

Why: every poll of a screen first looks its token up (one indexed SQL query). Remembering the
screen for at most ``WEIZHI_API_MEMO_SECONDS`` (default one second; 0 turns it off) lets a
burst of polls — the screens of a scope refetching after a publish — skip the lookup. The
scope's pages, its content version and the rendered answers are kept in the cache every
process shares (``shared_cache``), not here: a per-process memo of one scope rarely hits when
thousands of scopes are polled across several processes.

What stays exact, and what may lag by at most the memo's time:

* Changes made in this process are seen at once: every model save or delete, every change of
  a many-to-many relation and Wagtail's ``published``/``unpublished`` signals forget the memo.
* Revocation: a token revoked in this process is refused on the next request; one revoked
  through another process within ``WEIZHI_API_MEMO_SECONDS`` at most. That is the choice made
  here: one second of grace for a decommissioned screen, against a database round trip on
  every poll of every screen.
* ``last seen``: the remembered screen is the same object on every poll, so its once-a-minute
  write (``Screen.mark_seen``) still happens on time.

The memo holds at most ``MAX_ENTRIES`` entries and is emptied when full, so unknown tokens
cannot grow a worker's memory; unknown tokens are not remembered at all.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published, page_unpublished, published, unpublished

from . import shared_cache
from .conditional import memo_seconds
from .models import Screen, screen_for_token

if TYPE_CHECKING:
    from collections.abc import Hashable

MAX_ENTRIES = 1024
_MISSING = object()


class Memo:
    """Values with a deadline on the monotonic clock; thread-safe, bounded."""

    def __init__(self) -> None:
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        # Bumped by ``clear``: a value computed while a change was being made is not kept.
        self.generation = 0

    def get(self, key: Hashable) -> Any:
        entry = self._entries.get(key)
        if entry is None:
            return _MISSING
        deadline, value = entry
        if time.monotonic() >= deadline:
            with self._lock:
                if self._entries.get(key) is entry:
                    del self._entries[key]
            return _MISSING
        return value

    def put(self, key: Hashable, value: Any, seconds: float, generation: int) -> None:
        """Keep ``value`` unless the memo was cleared since ``generation`` was read."""
        if seconds <= 0:
            return
        with self._lock:
            if generation != self.generation:
                return
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()  # not ``clear()``: nothing changed, the memo is full
            self._entries[key] = (time.monotonic() + seconds, value)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.generation += 1

    def __len__(self) -> int:
        return len(self._entries)


screens = Memo()


def forget_screens(*args: Any, **kwargs: Any) -> None:
    """Forget the screens: something was saved, deleted or (un)published in this process."""
    screens.clear()


def forget_all() -> None:
    """Forget the screens here and every scope and version kept in the shared cache."""
    screens.clear()
    shared_cache.forget()


def screen_for(token: str) -> Screen | None:
    """``screen_for_token``, remembered (found screens only, revoked ones included)."""
    key = (connection.alias, token)
    found = screens.get(key)
    if found is _MISSING:
        generation = screens.generation
        found = screen_for_token(token)
        if found is not None:
            screens.put(key, found, memo_seconds(), generation)
    return found


def connect() -> None:
    """Forget the memo, and replace the shared cache's stamps, on every change made in this
    process (called once, at start-up)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(forget_screens, dispatch_uid=f"api-memo-{id(signal)}", weak=False)
    for signal in (published, unpublished, page_published, page_unpublished):
        signal.connect(forget_screens, dispatch_uid=f"api-memo-{id(signal)}", weak=False)
    shared_cache.connect()
