"""Short per-process memos for the screens' polls: who a token is, which pages a scope names,
and a scope's content version.

Why: a screen polls its persisted feed with ``If-None-Match`` and nearly always gets ``304``.
Without memos every poll costs three SQL queries (the token, the scope's pages, the content
version) — most of a 304's time. The answer already says ``Cache-Control: public, max-age=10``:
a client or proxy may show an answer ten seconds old. Remembering these three facts for at most
``WEIZHI_API_MEMO_SECONDS`` (default one second; 0 turns the memos off) stays well within what
clients are told, and lets a worker answer most polls without touching the database.

What stays exact, and what may lag by at most the memo's time:

* Changes made in this process are seen at once: every model save or delete, every change of
  a many-to-many relation and Wagtail's ``published``/``unpublished`` signals (pages and
  snippets) forget all memos. So a worker that publishes, unpublishes or revokes answers the
  next poll from the database, and tests see every change immediately.
* Changes made by another process (another worker, the ``publish_scheduled`` job, a Celery
  task, a database shell) are seen within ``WEIZHI_API_MEMO_SECONDS``.
* Scheduled expiry is never late: a content version is remembered no later than the soonest
  ``expire_at`` in its reach (``content_version_until``), so it changes the instant an expiry
  passes, exactly as without the memo.
* Revocation: a token revoked in this process is refused on the next request; one revoked
  through another process within ``WEIZHI_API_MEMO_SECONDS`` at most. That is the choice made
  here: one second of grace for a decommissioned screen, against a database round trip on
  every poll of every screen.
* ``last seen``: the remembered screen is the same object on every poll, so its once-a-minute
  write (``Screen.mark_seen``) still happens on time.

Each memo holds at most ``MAX_ENTRIES`` entries and is emptied when full, so unknown scopes or
tokens cannot grow a worker's memory; unknown tokens are not remembered at all.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from wagtail.signals import page_published, page_unpublished, published, unpublished

from .content_version import content_version_until
from .models import Screen, screen_for_token

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable
    from datetime import datetime

    from wagtail.models import Page

T = TypeVar("T")
MAX_ENTRIES = 1024
_MISSING = object()


def memo_seconds() -> float:
    return float(getattr(settings, "WEIZHI_API_MEMO_SECONDS", 1.0))


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

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The remembered value for ``key``, or ``compute()``'s, kept for ``memo_seconds()``."""
        value = self.get(key)
        if value is _MISSING:
            generation = self.generation
            value = compute()
            self.put(key, value, memo_seconds(), generation)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.generation += 1

    def __len__(self) -> int:
        return len(self._entries)


screens = Memo()
scope_pages = Memo()
versions = Memo()


def forget_all(*args: Any, **kwargs: Any) -> None:
    """Forget every memo: something was saved, deleted or (un)published in this process."""
    screens.clear()
    scope_pages.clear()
    versions.clear()


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


def pages_named(key: Hashable, lookup: Callable[[], list[Page] | None]) -> list[Page] | None:
    """The pages a scope argument names (``root_fields._pages_named``), remembered by its values."""
    return scope_pages.remembered((connection.alias, key), lookup)


def version_of(scope_page: Page | None) -> str:
    """``content_version`` of the scope, remembered until the memo's time or the next expiry."""
    key = (connection.alias, None if scope_page is None else scope_page.path)
    found = versions.get(key)
    if found is not _MISSING:
        return found
    generation = versions.generation
    version, next_expiry = content_version_until(scope_page)
    seconds = memo_seconds()
    if next_expiry is not None:
        seconds = min(seconds, _seconds_until(next_expiry))
    versions.put(key, version, seconds, generation)
    return version


def _seconds_until(moment: datetime) -> float:
    return (moment - timezone.now()).total_seconds()


def connect() -> None:
    """Forget the memos on every change made in this process (called once, at start-up)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(forget_all, dispatch_uid=f"api-memo-{id(signal)}", weak=False)
    for signal in (published, unpublished, page_published, page_unpublished):
        signal.connect(forget_all, dispatch_uid=f"api-memo-{id(signal)}", weak=False)
